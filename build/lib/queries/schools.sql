-- The schools the caller may see, for pickers and `python -m data schools`.
-- level: reference
-- scope: none
SELECT s.institution_no, s.name, s.municipality_code, m.name AS municipality_name,
       s.school_type, s.in_leaps
FROM school s JOIN municipality m ON m.code = s.municipality_code
WHERE $scope_schools IS NULL OR list_contains($scope_schools, s.institution_no)
ORDER BY s.name;
