-- The team sets one pupil's 1-5 assessment in an area for a term. Only for a pupil who is in the
-- given year group of the school that year (otherwise nothing is written and the save is refused).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_pupil
INSERT INTO pupil_assessment
SELECT $school_year, $term, st.student_key, $area, $score, $username, now()
FROM student st
WHERE st.student_key = $student_key AND st.institution_no = $school AND st.school_year = $school_year
  AND st.grade = $grade
ON CONFLICT (school_year, term, student_key, area) DO UPDATE SET score = excluded.score,
    assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at;
