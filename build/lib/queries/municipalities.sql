-- The municipalities whose schools the caller may see.
-- level: reference
-- scope: none
SELECT DISTINCT m.code, m.name
FROM municipality m JOIN school s ON s.municipality_code = m.code
WHERE $scope_schools IS NULL OR list_contains($scope_schools, s.institution_no)
ORDER BY m.name;
