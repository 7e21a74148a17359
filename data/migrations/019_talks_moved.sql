-- Version 19: the talk's tables (participants, agenda, notes, agreements, minutes, approvals) are
-- written while people work, so they move to the operational store (data/operational_store.py);
-- store.migrate copies their rows there first.
DROP TABLE note;
DROP TABLE minutes_approval;
DROP TABLE minutes_version;
DROP TABLE agreement;
DROP TABLE agenda_item;
DROP TABLE talk_participant;
DROP TABLE talk;
