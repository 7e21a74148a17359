-- The team places one pupil in one competence area (1-5) in a round of the school year. Only for a
-- pupil in the given year group of the school that year (the guard; otherwise nothing is written, and refused).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- guard: guard_pupil_in_year_group
INSERT INTO triangle_placement (school_year, round, student_key, subject, position, level, placed_by, placed_at)
VALUES ($school_year, $round, $student_key, $subject, $position, $level, $username, $stamp)
ON CONFLICT (school_year, round, student_key, subject, position) DO UPDATE SET level = excluded.level,
    placed_by = excluded.placed_by, placed_at = excluded.placed_at;
