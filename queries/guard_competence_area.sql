-- A school's own name for a competence area replaces one of the default areas (subject, stage,
-- position): upsert_competence_area is refused for any other (see the runner's write checks).
-- level: guard
SELECT 1 AS known FROM competence_area_default
WHERE subject = $subject AND stage = $stage AND position = $position;
