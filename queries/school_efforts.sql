-- The school's efforts (indsatser), oldest first.
-- level: reference
-- scope: school
SELECT effort_id, institution_no, name, starts_on, ends_on, indicators, description, updated_by, updated_at
FROM effort
WHERE institution_no = $school
ORDER BY starts_on, name;
