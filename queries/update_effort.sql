-- Change one effort of the school's register.
-- level: write
-- scope: school
-- roles: ledelse, admin
-- owner: owner_of_effort
UPDATE effort SET name = $name, starts_on = $starts_on, ends_on = $ends_on, indicators = $indicators,
    description = $description, updated_by = $username, updated_at = $stamp
WHERE effort_id = $effort_id AND institution_no = $school;
