-- Each school's profile for peer groups: its socio-economic expected exam average (newest
-- published up to the year), its share of bilingual pupils and its number of pupils.
-- level: aggregate
-- scope: none
-- keys: institution_no, school_name, school_type
-- n: n
-- roles: kommune, admin
WITH expected AS (
    SELECT institution_no, arg_max(expected_average, school_year) AS expected_average
    FROM socio_reference WHERE school_year <= $school_year GROUP BY 1
)
SELECT s.institution_no, s.name AS school_name, s.school_type, e.expected_average,
       avg(st.bilingual::INTEGER) * 100 AS bilingual_share, count(*) AS n
FROM school s
JOIN student st ON st.institution_no = s.institution_no AND st.school_year = $school_year
LEFT JOIN expected e ON e.institution_no = s.institution_no
WHERE s.municipality_code = $municipality
  AND ($scope_schools IS NULL OR list_contains($scope_schools, s.institution_no))
GROUP BY ALL
ORDER BY s.name;
