-- The school of an existing agenda item, found by its key (see the runner's write checks).
-- level: owner
SELECT t.institution_no FROM agenda_item a JOIN talk t USING (talk_id) WHERE a.item_id = $item_id;
