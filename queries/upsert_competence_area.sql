-- The school names one of the six competence areas of a subject and stage (letter and name).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_competence_area
INSERT INTO competence_area
SELECT $school, d.subject, d.stage, d.position, $letter, $name, $username, now()
FROM competence_area_default d
WHERE d.subject = $subject AND d.stage = $stage AND d.position = $position
ON CONFLICT (institution_no, subject, stage, position) DO UPDATE SET letter = excluded.letter,
    name = excluded.name, changed_by = excluded.changed_by, changed_at = excluded.changed_at;
