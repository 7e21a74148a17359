-- The ministry's published figures for the municipality's schools (uddannelsesstatistik.dk), per
-- school year and measure, with the municipality and country values published beside them.
-- Whole-school rows only (no grade or gender breakdown). Published figures are already blanked by
-- the ministry below 5 pupils, so they are reference data here, not re-suppressed.
-- A school with several departments shows each department as its own row.
-- level: reference
-- scope: none
-- roles: kommune, admin
SELECT f.school_year, f.institution_no,
       CASE WHEN f.department_no = f.institution_no OR f.department_name IS NULL THEN s.name
            ELSE s.name || ' – ' || f.department_name END AS school_name,
       f.measure AS indicator, f.school_value AS value, f.municipality_value, f.country_value, f.n,
       f.note, f.retrieved_on
FROM published_school_figure f
JOIN school s USING (institution_no)
WHERE s.municipality_code = $municipality
  AND f.breakdown = 'alle'
  AND list_contains($years, f.school_year)
  AND ($scope_schools IS NULL OR list_contains($scope_schools, f.institution_no))
ORDER BY 1, 3, 4;
