-- The round's two short texts for a pupil's triangle: the biggest progress ($body) and the next
-- focus ($body_internal). Named like the notes' texts so the audit log records their length only,
-- never the words about the pupil. Only for a pupil in the given year group of the school that year.
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_pupil
INSERT INTO triangle_note
SELECT $school_year, $round, st.student_key, $subject, $body, $body_internal, $username, now()
FROM student st
WHERE st.student_key = $student_key AND st.institution_no = $school AND st.school_year = $school_year
  AND st.grade = $grade
ON CONFLICT (school_year, round, student_key, subject) DO UPDATE SET progress = excluded.progress,
    next_focus = excluded.next_focus, written_by = excluded.written_by, written_at = excluded.written_at;
