-- The team places one pupil in one competence area (1-5) in a round of the school year. Only for a
-- pupil in the given year group of the school that year (otherwise nothing is written, and refused).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_pupil
INSERT INTO triangle_placement
SELECT $school_year, $round, st.student_key, $subject, $position, $level, $username, now()
FROM student st
WHERE st.student_key = $student_key AND st.institution_no = $school AND st.school_year = $school_year
  AND st.grade = $grade
ON CONFLICT (school_year, round, student_key, subject, position) DO UPDATE SET level = excluded.level,
    placed_by = excluded.placed_by, placed_at = excluded.placed_at;
