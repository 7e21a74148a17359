-- Version 13: what an import replaced is kept, so rolling the import back puts it back. A corrected
-- file, a pupil register imported as an explicit replacement (which also removes the data of the
-- pupils it leaves out), a register that moves pupils to another school and an institution register
-- that changes schools archive every row they delete or change, tagged with the batch (archived_by).
-- Rolling that batch back restores the rows and empties its part of the archive. The importers add
-- any column a later migration gives a source table (data/importers/common.py, archive_table).
CREATE TABLE import_archive_school AS SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM school LIMIT 0;
CREATE TABLE import_archive_student AS SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM student LIMIT 0;
CREATE TABLE import_archive_wellbeing_answer AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM wellbeing_answer LIMIT 0;
CREATE TABLE import_archive_wellbeing_score AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM wellbeing_score LIMIT 0;
CREATE TABLE import_archive_absence AS SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM absence LIMIT 0;
CREATE TABLE import_archive_absence_year AS SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM absence_year LIMIT 0;
CREATE TABLE import_archive_national_test AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM national_test LIMIT 0;
CREATE TABLE import_archive_exam_grade AS SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM exam_grade LIMIT 0;
CREATE TABLE import_archive_pupil_assessment AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM pupil_assessment LIMIT 0;
CREATE TABLE import_archive_survey_result AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM survey_result LIMIT 0;
CREATE TABLE import_archive_leaps_course AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM leaps_course LIMIT 0;
CREATE TABLE import_archive_published_school_figure AS
    SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM published_school_figure LIMIT 0;
