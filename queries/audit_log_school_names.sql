-- The names of the schools $schools (the audit log entries found name them by number).
-- level: reference
-- scope: none
-- roles: admin
SELECT institution_no AS school, name AS school_name
FROM school
WHERE list_contains($schools, institution_no);
