-- One pupil's learning triangles in a subject over the years at the school: every round's placement
-- per competence area with the round's texts, and the pupil's grade then. The pupil must be in the
-- given grade of the school in the school year; a team sees only the rounds of its own grades.
-- level: pupil
-- scope: school
-- pupils: school
-- roles: ledelse, team, admin
SELECT st.institution_no, st.grade, p.school_year, p.round, p.position, p.level, p.placed_by, p.placed_at,
       n.progress, n.next_focus
FROM triangle_placement p
JOIN student st ON st.school_year = p.school_year AND st.student_key = p.student_key
LEFT JOIN triangle_note n ON n.school_year = p.school_year AND n.round = p.round
                         AND n.student_key = p.student_key AND n.subject = p.subject
WHERE p.student_key = $student_key AND p.subject = $subject AND st.institution_no = $school
  AND p.student_key IN (SELECT student_key FROM student
                        WHERE institution_no = $school AND school_year = $school_year AND grade = $grade)
ORDER BY p.school_year, p.round, p.position;
