-- A school's talks, newest first.
-- level: reference
-- scope: school
-- roles: ledelse, kommune, admin
SELECT talk_id, institution_no, school_year, talk_date, place, status, template
FROM talk WHERE institution_no = $school ORDER BY talk_date DESC;
