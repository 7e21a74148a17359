-- The school of an existing effort, found by its key (see the runner's write checks).
-- level: owner
SELECT institution_no FROM effort WHERE effort_id = $effort_id;
