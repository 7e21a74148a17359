-- The team's own tests of one year group in a school year (from the team-tests import), oldest
-- first: what the Årgang screen's item matrix offers to choose from. Pupil level (the team's data
-- about named pupils): never for the kommune role, and a team only for its own grades.
-- level: pupil
-- scope: school
-- roles: ledelse, team, admin
SELECT institution_no, grade, test_name, taken_on, any_value(subject) AS subject,
       count(DISTINCT task_no) AS tasks, count(DISTINCT student_key) AS pupils
FROM team_test_result
WHERE institution_no = $school AND school_year = $school_year AND grade = $grade
GROUP BY institution_no, grade, test_name, taken_on
ORDER BY taken_on, test_name;
