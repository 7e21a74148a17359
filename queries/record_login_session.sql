-- A login opened a session (the cookie's expiry identifies it).
-- Runs in the operational store (SQLite or PostgreSQL): portable SQL, times in seconds since 1970 ($now).
-- level: write
-- scope: none
-- roles: admin
INSERT INTO login_session (username, expires, issued_at, revoked_at) VALUES ($username, $expires, $now, NULL);
DELETE FROM login_failure WHERE username = $username OR failed_at < $now - 86400;
