-- The rows of each pupil-level source per school and school year (migration 26) for the schools and
-- school years in the registered relation `summary_scope`, counted in the summaries this refresh has
-- just written (data/summaries.py runs this part last): the Data screen's freshness table reads these
-- few rows, not millions. The rows as the screens count them: pupils in the register, pupils with a
-- well-being score, pupil-months with school days, national test results (one per pupil, test and
-- profile area) and exam grades.
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
