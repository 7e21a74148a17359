-- The year group's profile in each of its tests of a school year: the share of the maximum the
-- pupils reached per signal word, per subject area and in all (points summed over pupils and tasks,
-- divided by the maxima summed the same way), with the number of pupils and tasks behind it.
-- Figures about the team's own named pupils, so pupil level like the matrix: never for kommune.
-- level: pupil
-- scope: school
-- roles: ledelse, team, admin
SELECT institution_no, grade, test_name, taken_on, dimension, label,
       sum(points) / sum(max_points) AS share, count(DISTINCT student_key) AS n,
       count(DISTINCT task_no) AS tasks
FROM (
    SELECT *, 'signal_word' AS dimension, signal_word AS label FROM team_test_result
    UNION ALL BY NAME
    SELECT *, 'area' AS dimension, area AS label FROM team_test_result
    UNION ALL BY NAME
    SELECT *, 'total' AS dimension, 'I alt' AS label FROM team_test_result
) r
WHERE institution_no = $school AND school_year = $school_year AND grade = $grade
GROUP BY institution_no, grade, test_name, taken_on, dimension, label
ORDER BY taken_on, test_name, dimension, label;
