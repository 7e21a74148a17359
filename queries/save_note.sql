-- Save the note of an agenda item, only if nobody saved a newer version since the writer opened
-- it ($base_version); otherwise nothing is written and the save is refused.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_agenda_item
INSERT INTO note (item_id, body, version, updated_by, updated_at)
SELECT a.item_id, $body, $base_version + 1, $username, $stamp
FROM agenda_item a JOIN talk t USING (talk_id)
WHERE a.item_id = $item_id AND t.institution_no = $school
  AND coalesce((SELECT version FROM note WHERE item_id = $item_id), 0) = $base_version
ON CONFLICT (item_id) DO UPDATE SET body = excluded.body, version = excluded.version,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at;
