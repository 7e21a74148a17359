-- Whether a cookie's session is open, and how many recent failed logins a username has.
-- level: reference
-- scope: none
-- roles: admin
SELECT
    (SELECT count(*) FROM login_session WHERE username = $username AND expires = $expires
       AND revoked_at IS NULL AND expires > epoch(now())) AS open_sessions,
    (SELECT count(*) FROM login_failure WHERE username = $username
       AND failed_at > now() - to_minutes($lockout_minutes)) AS recent_failures;
