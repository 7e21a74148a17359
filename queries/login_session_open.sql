-- Whether a logged-in session is still open: not revoked (a logout in any browser holding its
-- cookie) and not expired. Checked on every run of a logged-in session, so one key lookup only.
-- Runs in the operational store (SQLite or PostgreSQL): portable SQL, times in seconds since 1970 ($now).
-- level: reference
-- store: operational
-- scope: none
-- roles: admin
SELECT count(*) AS open_sessions
FROM login_session
WHERE username = $username AND expires = $expires AND revoked_at IS NULL AND expires > $now;
