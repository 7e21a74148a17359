-- The schools whose name has $school in it (part of a word, any case; a '%' or '_' typed is that
-- character): what a search of the audit log by school name looks for (queries/audit_log.py).
-- level: reference
-- scope: none
-- roles: admin
SELECT institution_no
FROM school
WHERE coalesce($school, '') <> ''
  AND name ILIKE '%' || replace(replace(replace($school, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'
ORDER BY institution_no;
