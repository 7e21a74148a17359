-- The agreements of one of the school's talks (with the agreement they follow up, if any).
-- level: reference
-- scope: school
-- roles: ledelse, kommune, admin
SELECT t.institution_no, a.agreement_id, a.text, a.owner, a.deadline, a.status, a.carried_from,
       a.updated_by, a.updated_at
FROM agreement a JOIN talk t USING (talk_id)
WHERE t.institution_no = $school AND a.talk_id = $talk_id
ORDER BY a.agreement_id;
