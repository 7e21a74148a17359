-- The school of an existing talk, found by its key (see the runner's write checks).
-- level: owner
SELECT institution_no FROM talk WHERE talk_id = $talk_id;
