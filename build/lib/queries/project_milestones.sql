-- The milestone criteria of one of the school's projects.
-- level: reference
-- scope: school
SELECT c.criterion_id, p.institution_no, c.text, c.due_date, c.done, c.evidence, c.updated_by, c.updated_at
FROM project_criterion c JOIN school_project p USING (project_id)
WHERE p.institution_no = $school AND c.project_id = $project_id AND c.kind = 'milepæl'
ORDER BY length(c.criterion_id), c.criterion_id;
