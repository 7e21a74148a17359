-- The school of an existing participation target (its key holds the school).
-- level: owner
SELECT institution_no FROM participation_target WHERE institution_no = $school AND indicator = $indicator;
