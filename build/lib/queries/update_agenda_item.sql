-- Change an item of one of the school's talks (time slot, title, kind, screen, questions).
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_agenda_item
UPDATE agenda_item SET starts_at = $starts_at, ends_at = $ends_at, title = $title, kind = $kind, screen = $screen,
    questions = $questions
WHERE item_id = $item_id AND talk_id IN (SELECT talk_id FROM talk WHERE institution_no = $school);
