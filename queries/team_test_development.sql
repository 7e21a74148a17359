-- One pupil of a year group across the team's tests at the school (every school year): per test the
-- share of the maximum in all, per subject area and per signal word. The pupil must be in the given
-- grade of the school in the school year; a team sees only the tests of its own grades (the runner
-- drops rows whose grade is outside them).
-- level: pupil
-- scope: school
-- roles: ledelse, team, admin
SELECT r.institution_no, r.grade, r.school_year, r.test_name, r.taken_on, d.dimension, d.label,
       sum(r.points) / sum(r.max_points) AS share, sum(r.points) AS points, sum(r.max_points) AS max_points
FROM team_test_result r
CROSS JOIN LATERAL (VALUES ('total', 'I alt'), ('area', r.area), ('signal_word', r.signal_word)) d(dimension, label)
WHERE r.institution_no = $school AND r.student_key = $student_key
  AND r.student_key IN (SELECT student_key FROM student
                        WHERE institution_no = $school AND school_year = $school_year AND grade = $grade)
GROUP BY ALL
ORDER BY r.taken_on, r.test_name, d.dimension, d.label;
