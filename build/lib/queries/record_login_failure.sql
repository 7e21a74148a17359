-- A failed login attempt for a username (existing or not: the response never tells).
-- level: write
-- scope: none
-- roles: admin
INSERT INTO login_failure VALUES ($username, now());
