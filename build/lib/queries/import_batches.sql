-- Import history, newest first: every batch with its status and the schools and years it covered.
-- level: reference
-- scope: none
-- roles: admin
SELECT b.batch_id, b.source, b.file_name, b.row_count, b.imported_at, b.imported_by, b.status,
       b.retrieved_on, b.changed_by, b.changed_at,
       count(DISTINCT s.institution_no) AS schools,
       string_agg(DISTINCT nullif(s.school_year, ''), ', ' ORDER BY nullif(s.school_year, '')) AS school_years
FROM import_batch b LEFT JOIN import_batch_scope s USING (batch_id)
GROUP BY ALL
ORDER BY b.batch_id DESC
LIMIT 500;
