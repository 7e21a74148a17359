-- The team sets one pupil's 1-5 assessment in an area for a term. Only for a pupil who is in the
-- given year group of the school that year (the guard; otherwise nothing is written and the save is refused).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- guard: guard_pupil_in_year_group
INSERT INTO pupil_assessment (school_year, term, student_key, area, score, assessed_by, assessed_at)
VALUES ($school_year, $term, $student_key, $area, $score, $username, $stamp)
ON CONFLICT (school_year, term, student_key, area) DO UPDATE SET score = excluded.score,
    assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at;
