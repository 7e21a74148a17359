-- Add a LEAPS course for a year group of the school.
-- level: write
-- scope: school
-- roles: ledelse, team, admin
INSERT INTO leaps_course VALUES (
    $school || '-' || $school_year || '-' || $year_group || '-' || $token,
    $school, $school_year, $year_group, $title, $subjects, $weeks, $start_date, $end_date, $mandatory,
    $description_shared, $evaluation_done, $company_partner, $pupil_involvement, $competences,
    $username, $stamp, NULL);
