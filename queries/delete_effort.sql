-- Remove one effort from the school's register.
-- level: write
-- scope: school
-- roles: ledelse, admin
-- owner: owner_of_effort
DELETE FROM effort WHERE effort_id = $effort_id AND institution_no = $school;
