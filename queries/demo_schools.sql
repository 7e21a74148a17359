-- The schools whose rows the demo builder made (fictional), for the demo banner: in a store built
-- by `python -m data demo`, a school the institution register has not brought, or one that still
-- has pupils no import brought. Imported rows always carry a batch_id; the demo's never do.
-- level: reference
-- scope: none
SELECT s.institution_no, s.name
FROM school s
WHERE (SELECT value FROM store_info WHERE key = 'demo') = 'true'
  AND ($scope_schools IS NULL OR list_contains($scope_schools, s.institution_no))
  -- Only the pupils of imported schools are looked at: the join on them lets DuckDB skip the pupil
  -- rows of every other school (a national demo store: 3 ms, not 120-560 ms for 2,7 M pupil-years).
  AND (s.batch_id IS NULL
       OR s.institution_no IN (SELECT st.institution_no FROM student st JOIN school i USING (institution_no)
                               WHERE st.batch_id IS NULL AND i.batch_id IS NOT NULL))
ORDER BY s.name;
