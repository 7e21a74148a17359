-- The agenda titles and notes of every talk of the caller's schools in one school year (to find
-- themes that recur across schools).
-- level: reference
-- scope: none
-- roles: kommune, admin
SELECT t.institution_no, a.title, a.kind, n.body AS note
FROM agenda_item a JOIN talk t USING (talk_id) LEFT JOIN note n USING (item_id)
WHERE t.school_year = $school_year
  AND ($scope_schools IS NULL OR list_contains($scope_schools, t.institution_no));
