-- The school of an existing agreement, found by its key (see the runner's write checks).
-- level: owner
SELECT t.institution_no FROM agreement a JOIN talk t USING (talk_id) WHERE a.agreement_id = $agreement_id;
