-- A failed login attempt for a username (existing or not: the response never tells).
-- Runs in the operational store (SQLite or PostgreSQL): portable SQL, times in seconds since 1970 ($now).
-- level: write
-- scope: none
-- roles: admin
INSERT INTO login_failure (username, failed_at) VALUES ($username, $now);
