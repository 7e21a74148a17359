-- Whether a cookie's session is open, and how many recent failed logins a username has.
-- Runs in the operational store (SQLite or PostgreSQL): portable SQL, times in seconds since 1970 ($now).
-- level: reference
-- store: operational
-- scope: none
-- roles: admin
SELECT
    (SELECT count(*) FROM login_session WHERE username = $username AND expires = $expires
       AND revoked_at IS NULL AND expires > $now) AS open_sessions,
    (SELECT count(*) FROM login_failure WHERE username = $username
       AND failed_at > $now - 60 * $lockout_minutes) AS recent_failures;
