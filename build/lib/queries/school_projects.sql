-- A school's projects.
-- level: reference
-- scope: school
SELECT project_id, institution_no, title, purpose, start_date, end_date, survey_id
FROM school_project WHERE institution_no = $school ORDER BY start_date DESC;
