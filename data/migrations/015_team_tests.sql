-- Version 15: the team's own tests, task by task (seed 003, Ullerup Bæk Skole): each task with its
-- subject area ("Funktioner") and signal word ("Undersøg"), each pupil's points per task. One row
-- per pupil and task, written only by the team-tests importer (data/importers/team_tests.py), so
-- every row carries its batch; the importer's replace archives what a corrected file replaces.
-- The school and grade are the pupil's in the register that school year (the file names neither).
CREATE TABLE team_test_result (
    school_year    VARCHAR NOT NULL REFERENCES school_year(school_year),
    institution_no VARCHAR NOT NULL,
    grade          TINYINT NOT NULL CHECK (grade BETWEEN 0 AND 10),
    test_name      VARCHAR NOT NULL,
    taken_on       DATE NOT NULL,
    subject        VARCHAR,
    task_no        VARCHAR NOT NULL,
    task_order     SMALLINT NOT NULL,
    area           VARCHAR NOT NULL,
    signal_word    VARCHAR NOT NULL,
    max_points     DOUBLE NOT NULL CHECK (max_points > 0),
    max_given      BOOLEAN NOT NULL,           -- false: inferred as the highest points any pupil got
    student_key    VARCHAR NOT NULL,
    points         DOUBLE NOT NULL CHECK (points >= 0),
    batch_id       INTEGER
);
CREATE TABLE import_archive_team_test_result AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM team_test_result LIMIT 0;

-- A team's spreadsheet may name pupils by UNI-login instead of the pseudonymous key. The store never
-- keeps the login itself: only the SHA-256 of the store's own random salt and the login in lower case,
-- beside the pupil's key (written by the uni-logins importer, data/importers/uni_logins.py).
CREATE TABLE pupil_login (
    login_sha256   VARCHAR NOT NULL PRIMARY KEY,
    student_key    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    batch_id       INTEGER
);
CREATE TABLE import_archive_pupil_login AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM pupil_login LIMIT 0;
INSERT INTO store_info VALUES ('login_salt', CAST(uuid() AS VARCHAR)) ON CONFLICT DO NOTHING;
