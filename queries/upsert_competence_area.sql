-- The school names one of the six competence areas of a subject and stage (letter and name).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_competence_area
-- guard: guard_competence_area
INSERT INTO competence_area (institution_no, subject, stage, position, letter, name, changed_by, changed_at)
VALUES ($school, $subject, $stage, $position, $letter, $name, $username, $stamp)
ON CONFLICT (institution_no, subject, stage, position) DO UPDATE SET letter = excluded.letter,
    name = excluded.name, changed_by = excluded.changed_by, changed_at = excluded.changed_at;
