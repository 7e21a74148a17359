-- The six competence areas of a subject and stage at a school: the school's own where it set them,
-- otherwise the defaults (migration 16).
-- level: reference
-- scope: school
SELECT d.position, coalesce(c.letter, d.letter) AS letter, coalesce(c.name, d.name) AS name,
       c.changed_by IS NOT NULL AS own
FROM competence_area_default d
LEFT JOIN competence_area c ON c.institution_no = $school AND c.subject = d.subject AND c.stage = d.stage
                           AND c.position = d.position
WHERE d.subject = $subject AND d.stage = $stage
ORDER BY d.position;
