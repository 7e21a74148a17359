-- The school adds one of its own events to the yearly wheel (inside the school year).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- guard: guard_school_event_dates
INSERT INTO school_event (institution_no, school_year, title, starts_on, ends_on, created_by, created_at)
VALUES ($school, $school_year, $title, $starts_on, $ends_on, $username, $stamp);
