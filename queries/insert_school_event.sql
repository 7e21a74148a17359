-- The school adds one of its own events to the yearly wheel (inside the school year).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
INSERT INTO school_event (institution_no, school_year, title, starts_on, ends_on, created_by, created_at)
SELECT $school, y.school_year, $title, $starts_on, $ends_on, $username, now()
FROM school_year y
WHERE y.school_year = $school_year AND $starts_on BETWEEN y.start_date AND y.end_date
  AND $ends_on BETWEEN $starts_on AND y.end_date;
