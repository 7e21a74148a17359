-- The targets the school's leadership has set for its participation indicators, with who and when.
-- level: reference
-- scope: school
SELECT institution_no, indicator, target, set_by, set_at
FROM participation_target WHERE institution_no = $school;
