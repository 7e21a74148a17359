-- Add a participant to one of the school's talks.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_talk
INSERT INTO talk_participant SELECT t.talk_id, $name, $role FROM talk t
WHERE t.talk_id = $talk_id AND t.institution_no = $school;
