-- The season overview: every talk of the caller's schools in one school year, with its agreements.
-- level: reference
-- scope: none
-- roles: kommune, admin
SELECT s.institution_no, s.name AS school_name, t.talk_id, t.talk_date, t.status,
       a.text AS agreement, a.owner, a.status AS agreement_status
FROM talk t JOIN school s USING (institution_no)
LEFT JOIN agreement a USING (talk_id)
WHERE t.school_year = $school_year
  AND ($scope_schools IS NULL OR list_contains($scope_schools, t.institution_no))
ORDER BY t.talk_date, s.name, a.agreement_id;
