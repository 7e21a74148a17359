-- What the store holds per source, for the admin's checklist of what to import next.
-- level: reference
-- scope: none
-- roles: admin
SELECT
    (SELECT count(*) FROM school) AS schools,
    (SELECT count(*) FROM school_year) AS school_years,
    (SELECT count(*) FROM (SELECT 1 FROM published_school_figure LIMIT 1)) AS published_figures,
    (SELECT count(*) FROM (SELECT 1 FROM student LIMIT 1)) AS pupils,
    (SELECT count(*) FROM (SELECT 1 FROM wellbeing_answer LIMIT 1)) AS wellbeing,
    (SELECT count(*) FROM (SELECT 1 FROM absence LIMIT 1)) AS absence,
    (SELECT count(*) FROM (SELECT 1 FROM national_test LIMIT 1)) AS tests,
    (SELECT count(*) FROM (SELECT 1 FROM exam_grade LIMIT 1)) AS exams,
    (SELECT count(*) FROM (SELECT 1 FROM survey_result LIMIT 1)) AS surveys,
    (SELECT count(*) FROM (SELECT 1 FROM leaps_course LIMIT 1)) AS leaps;
