-- Logout: the session's cookie is refused from now on, even if it is replayed.
-- Runs in the operational store (SQLite or PostgreSQL): portable SQL, times in seconds since 1970 ($now).
-- level: write
-- scope: none
-- roles: admin
UPDATE login_session SET revoked_at = $now WHERE username = $username AND expires = $expires;
