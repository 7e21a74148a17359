-- The agenda of one of the school's talks, with each item's notes.
-- level: reference
-- scope: school
-- roles: ledelse, kommune, admin
SELECT t.institution_no, a.item_id, a.position, a.starts_at, a.ends_at, a.title, a.kind, a.screen, a.filters,
       a.questions, n.body AS note, coalesce(n.version, 0) AS note_version, n.updated_by AS note_by,
       n.updated_at AS note_at
FROM agenda_item a JOIN talk t USING (talk_id)
LEFT JOIN note n USING (item_id)
WHERE t.institution_no = $school AND a.talk_id = $talk_id
ORDER BY a.position;
