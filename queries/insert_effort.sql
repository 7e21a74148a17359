-- Add an effort (indsats) to the school's register.
-- level: write
-- scope: school
-- roles: ledelse, admin
INSERT INTO effort VALUES (
    $school || '-indsats-' || substr(md5(random()::VARCHAR), 1, 10),
    $school, $name, $starts_on, $ends_on, $indicators, $description, $username, now());
