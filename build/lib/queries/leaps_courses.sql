-- The LEAPS courses of a school in one school year (for a team: its own year groups).
-- level: reference
-- scope: school
SELECT course_id, institution_no, school_year, year_group AS grade, title, subjects, weeks, start_date,
       end_date, mandatory, description_shared, evaluation_done, company_partner, pupil_involvement,
       competences, updated_by, updated_at
FROM leaps_course
WHERE institution_no = $school AND school_year = $school_year
ORDER BY year_group, start_date;
