-- Version 21: the school's efforts, its own events of the yearly wheel, its participation targets (and
-- their history), its projects with their criteria and its own competence areas are written while
-- people work, so they move to the operational store (data/operational_store.py, migration 003 there);
-- store.migrate copies their rows there first.
DROP TABLE effort;
DROP TABLE school_event;
DROP SEQUENCE school_event_seq;
DROP TABLE participation_target;
DROP TABLE participation_target_history;
DROP TABLE project_criterion;
DROP TABLE school_project;
DROP TABLE competence_area;
