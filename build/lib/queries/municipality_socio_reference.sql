-- The exam result against the socio-economic reference for every school of the municipality in
-- one school year (the published expected average, actual average and significance).
-- level: aggregate
-- scope: none
-- keys: institution_no, school_name
-- n: n
-- roles: kommune, admin
SELECT r.institution_no, s.name AS school_name, r.expected_average, r.expected_average + r.difference AS actual,
       r.difference, r.significance, r.n_pupils AS n
FROM socio_reference r JOIN school s USING (institution_no)
WHERE s.municipality_code = $municipality AND r.school_year = $school_year
  AND ($scope_schools IS NULL OR list_contains($scope_schools, r.institution_no))
ORDER BY s.name;
