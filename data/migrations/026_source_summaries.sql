-- Version 26: the rows of each pupil-level source per school and school year (issue 18: the Data
-- screen's freshness under 50 ms on a national store), kept by every writer with the summaries they are
-- counted in (data/derived_source_summaries.sql, data/summaries.py).
CREATE TABLE source_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,  -- pupils, wellbeing, absence, tests or exams (the import sources)
    rows           BIGINT NOT NULL    -- the rows as the screens count them
);

-- Filled from the summaries already in the store (the statements of data/derived_source_summaries.sql).
CREATE TEMP TABLE summary_scope AS SELECT DISTINCT institution_no, school_year FROM student;
DELETE FROM source_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO source_summary
SELECT school_year, institution_no, 'pupils', sum(n) FROM pupil_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, 'wellbeing', sum(n) FROM wellbeing_summary
WHERE indicator = 'generel' AND (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, 'absence', sum(n) FROM absence_month_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, 'tests', sum(n) FROM national_test_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, 'exams', sum(n) FROM exam_subject_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY 1, 2;
DROP TABLE summary_scope;
