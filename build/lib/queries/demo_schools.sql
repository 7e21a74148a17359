-- The schools whose rows the demo builder made (fictional), for the demo banner: in a store built
-- by `python -m data demo`, a school the institution register has not brought, or one that still
-- has pupils no import brought. Imported rows always carry a batch_id; the demo's never do.
-- level: reference
-- scope: none
SELECT s.institution_no, s.name
FROM school s
WHERE (SELECT value FROM store_info WHERE key = 'demo') = 'true'
  AND (s.batch_id IS NULL
       OR s.institution_no IN (SELECT institution_no FROM student WHERE batch_id IS NULL))
  AND ($scope_schools IS NULL OR list_contains($scope_schools, s.institution_no))
ORDER BY s.name;
