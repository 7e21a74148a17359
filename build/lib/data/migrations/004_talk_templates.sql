-- Version 4: what kind of agenda item an item is (so the formal requirements of the talk can be
-- checked), and which template a talk was made from.
ALTER TABLE agenda_item ADD COLUMN kind VARCHAR DEFAULT 'andet';
ALTER TABLE talk ADD COLUMN template VARCHAR DEFAULT 'standard';
