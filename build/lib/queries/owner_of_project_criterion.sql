-- The school of an existing success criterion or milestone, found by its key (see the runner's write checks).
-- level: owner
SELECT p.institution_no FROM project_criterion c JOIN school_project p USING (project_id)
WHERE c.criterion_id = $criterion_id;
