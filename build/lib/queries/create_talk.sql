-- Prepare a talk for a school.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_talk
INSERT INTO talk (talk_id, institution_no, school_year, talk_date, place, status, template)
VALUES ($talk_id, $school, $school_year, $talk_date, $place, 'planlagt', $template);
