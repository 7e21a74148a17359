-- The school of a school's own name for a competence area (the row an upsert would change).
-- level: owner
SELECT institution_no FROM competence_area
WHERE institution_no = $school AND subject = $subject AND stage = $stage AND position = $position;
