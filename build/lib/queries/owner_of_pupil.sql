-- The school and year group of a pupil in a school year: an assessment belongs to them.
-- level: owner
SELECT institution_no, grade AS year_group FROM student WHERE student_key = $student_key AND school_year = $school_year;
