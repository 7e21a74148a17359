-- The school and year group of an existing LEAPS course, found by its key (see the runner's write checks).
-- level: owner
SELECT institution_no, year_group FROM leaps_course WHERE course_id = $course_id;
