-- The audit log, newest first: who did what and when (read-only in the app; only the runner writes it).
-- level: reference
-- scope: none
-- roles: admin
SELECT entry_id, logged_at, username, action, target, detail
FROM audit_log
WHERE ($username = '' OR username = $username) AND ($action = '' OR action = $action)
ORDER BY entry_id DESC
LIMIT 1000;
