-- Add an item to the agenda of one of the school's talks.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_talk
INSERT INTO agenda_item (item_id, talk_id, position, starts_at, ends_at, title, screen, filters, questions, kind)
SELECT $talk_id || '-' || $position, t.talk_id, $position, $starts_at, $ends_at, $title, $screen, NULL,
       $questions, $kind
FROM talk t WHERE t.talk_id = $talk_id AND t.institution_no = $school;
