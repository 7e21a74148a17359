-- Add or change an agreement of one of the school's talks.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_agreement
INSERT INTO agreement (agreement_id, talk_id, text, owner, deadline, status, carried_from, updated_by, updated_at)
SELECT $agreement_id, t.talk_id, $text, $owner, $deadline, $status, $carried_from, $username, $stamp
FROM talk t WHERE t.talk_id = $talk_id AND t.institution_no = $school
ON CONFLICT (agreement_id) DO UPDATE SET text = excluded.text, owner = excluded.owner,
    deadline = excluded.deadline, status = excluded.status, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at;
