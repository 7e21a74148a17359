-- Edit one LEAPS course of the school (and, for a team, of its own year group).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_leaps_course
UPDATE leaps_course SET title = $title, subjects = $subjects, weeks = $weeks, start_date = $start_date,
    end_date = $end_date, mandatory = $mandatory, description_shared = $description_shared,
    evaluation_done = $evaluation_done, company_partner = $company_partner,
    pupil_involvement = $pupil_involvement, competences = $competences,
    updated_by = $username, updated_at = $stamp
WHERE course_id = $course_id AND institution_no = $school AND year_group = $year_group;
