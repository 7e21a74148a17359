-- The round's two short texts for a pupil's triangle: the biggest progress ($body) and the next
-- focus ($body_internal). Named like the notes' texts so the audit log records their length only,
-- never the words about the pupil. Only for a pupil in the given year group of the school that year (the guard).
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- guard: guard_pupil_in_year_group
INSERT INTO triangle_note (school_year, round, student_key, subject, progress, next_focus, written_by, written_at)
VALUES ($school_year, $round, $student_key, $subject, $body, $body_internal, $username, $stamp)
ON CONFLICT (school_year, round, student_key, subject) DO UPDATE SET progress = excluded.progress,
    next_focus = excluded.next_focus, written_by = excluded.written_by, written_at = excluded.written_at;
