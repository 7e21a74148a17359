-- The leadership sets (or changes) the target of one participation indicator; history is kept.
-- level: write
-- scope: school
-- roles: ledelse, admin
-- owner: owner_of_participation_target
INSERT INTO participation_target (institution_no, indicator, target, set_by, set_at)
VALUES ($school, $indicator, $target, $username, $stamp)
ON CONFLICT (institution_no, indicator) DO UPDATE SET target = excluded.target, set_by = excluded.set_by,
    set_at = excluded.set_at;
INSERT INTO participation_target_history (institution_no, indicator, target, set_by, set_at)
VALUES ($school, $indicator, $target, $username, $stamp);
