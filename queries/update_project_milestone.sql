-- The leadership records a milestone's status, date and evidence.
-- level: write
-- scope: school
-- roles: ledelse, admin
-- owner: owner_of_project_criterion
UPDATE project_criterion SET done = $done, due_date = $due_date, evidence = $evidence,
    updated_by = $username, updated_at = $stamp
WHERE criterion_id = $criterion_id AND kind = 'milepæl'
  AND project_id IN (SELECT project_id FROM school_project WHERE institution_no = $school);
