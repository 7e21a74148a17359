-- The audit log, newest first: who did what, when and for which school (read-only in the app; only
-- data/audit.py writes it). Every filter is optional: '' or NULL matches everything; text and user
-- match any part of a word, without regard to case.
-- level: reference
-- scope: none
-- roles: admin
SELECT a.entry_id, a.logged_at, a.username, a.action, s.name AS school_name, a.school, a.target, a.detail
FROM audit_log a LEFT JOIN school s ON s.institution_no = a.school
WHERE (coalesce($username, '') = '' OR a.username ILIKE '%' || $username || '%')
  AND (coalesce($text, '') = '' OR concat_ws(' ', a.action, a.target, a.detail) ILIKE '%' || $text || '%')
  AND (coalesce($school, '') = '' OR a.school = $school OR s.name ILIKE '%' || $school || '%')
  AND (CAST($date_from AS DATE) IS NULL OR a.logged_at >= CAST($date_from AS DATE))
  AND (CAST($date_to AS DATE) IS NULL OR a.logged_at < CAST($date_to AS DATE) + INTERVAL 1 DAY)
ORDER BY a.entry_id DESC
LIMIT 1000;
