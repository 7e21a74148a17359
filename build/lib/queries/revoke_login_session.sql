-- Logout: the session's cookie is refused from now on, even if it is replayed.
-- level: write
-- scope: none
-- roles: admin
UPDATE login_session SET revoked_at = now() WHERE username = $username AND expires = $expires;
