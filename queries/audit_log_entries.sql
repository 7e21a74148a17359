-- The audit log, newest first: who did what, when and for which school (read-only in the app; only
-- data/audit.py writes it). Every filter is optional: '', NULL or no texts matches everything; texts
-- and user match any part of a word, without regard to case. $texts are what the screen's search means
-- in the stored JSON (components/audit_details.search_terms): an entry with any of them is found.
-- level: reference
-- scope: none
-- roles: admin
SELECT a.entry_id, a.logged_at, a.username, a.action, s.name AS school_name, a.school, a.target, a.detail
FROM audit_log a LEFT JOIN school s ON s.institution_no = a.school
WHERE (coalesce($username, '') = '' OR a.username ILIKE '%' || $username || '%')
  AND (len(coalesce($texts, [])) = 0 OR EXISTS (
        SELECT 1 FROM unnest($texts) AS t(term)
        WHERE concat_ws(' ', a.action, a.target, a.detail) ILIKE '%' || t.term || '%'))
  AND (coalesce($school, '') = '' OR a.school = $school OR s.name ILIKE '%' || $school || '%')
  AND (CAST($date_from AS DATE) IS NULL OR a.logged_at >= CAST($date_from AS DATE))
  AND (CAST($date_to AS DATE) IS NULL OR a.logged_at < CAST($date_to AS DATE) + INTERVAL 1 DAY)
ORDER BY a.entry_id DESC
LIMIT 1000;
