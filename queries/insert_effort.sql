-- Add an effort (indsats) to the school's register.
-- level: write
-- scope: school
-- roles: ledelse, admin
INSERT INTO effort VALUES (
    $school || '-indsats-' || $token, $school, $name, $starts_on, $ends_on, $indicators, $description, $username,
    $stamp);
