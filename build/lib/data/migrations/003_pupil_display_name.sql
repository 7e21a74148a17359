-- Version 3: a pupil's name, only when the school imports it (never a CPR number). Screens show
-- the pseudonymous key when it is empty.
ALTER TABLE student ADD COLUMN display_name VARCHAR;
