-- The participants of one of the school's talks.
-- level: reference
-- scope: school
-- roles: ledelse, kommune, admin
SELECT t.institution_no, p.name, p.role
FROM talk_participant p JOIN talk t USING (talk_id)
WHERE t.institution_no = $school AND p.talk_id = $talk_id
ORDER BY p.role, p.name;
