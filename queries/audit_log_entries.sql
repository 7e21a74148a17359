-- The audit log, newest first: who did what, when and for which school (read-only in the app; only
-- data/audit.py writes it). Runs in the operational store (SQLite or PostgreSQL), so only the <= 1000
-- rows found leave it (queries/audit_log.py joins the school names on after). Every filter is optional:
-- '', NULL or no texts matches everything; texts and user match any part of a word, without regard to
-- case, and a '%' or '_' typed is that character (escaped with '\'). $texts are what the screen's search
-- means in the stored JSON (components/audit_details.search_terms): an entry with any of them is found.
-- $school is a school number, or part of a school's name: $school_numbers are the schools whose name
-- has it (audit_log_schools_named, in DuckDB). $date_before is the day after the last day wanted.
-- level: reference
-- store: operational
-- scope: none
-- roles: admin
SELECT a.entry_id, a.logged_at, a.username, a.action, a.school, a.target, a.detail
FROM audit_log a
WHERE (coalesce($username, '') = '' OR lower(a.username) LIKE
        '%' || replace(replace(replace(lower(CAST($username AS TEXT)), '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\')
  AND (COUNT($texts) = 0 OR ANY($texts:
        lower(a.action || coalesce(' ' || a.target, '') || coalesce(' ' || a.detail, '')) LIKE
        '%' || replace(replace(replace(lower(CAST($texts AS TEXT)), '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'))
  AND (coalesce($school, '') = '' OR a.school = $school OR a.school IN ($school_numbers))
  AND (CAST($date_from AS TEXT) IS NULL OR a.logged_at >= CAST($date_from AS TEXT))
  AND (CAST($date_before AS TEXT) IS NULL OR a.logged_at < CAST($date_before AS TEXT))
ORDER BY a.entry_id DESC
LIMIT 1000;
