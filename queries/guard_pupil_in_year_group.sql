-- The pupil is in the given year group of the school in scope that school year (the analytical
-- store's register): the team's assessments and learning triangles, kept in the operational store
-- by pupil, are refused for any other pupil (see the runner's write checks), so a forged pupil id
-- or school writes nothing.
-- level: guard
SELECT 1 AS registered FROM student
WHERE student_key = $student_key AND institution_no = $school AND school_year = $school_year AND grade = $grade;
