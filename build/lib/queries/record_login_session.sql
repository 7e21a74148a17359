-- A login opened a session (the cookie's expiry identifies it).
-- level: write
-- scope: none
-- roles: admin
INSERT INTO login_session VALUES ($username, $expires, now(), NULL);
DELETE FROM login_failure WHERE username = $username OR failed_at < now() - INTERVAL 1 DAY;
