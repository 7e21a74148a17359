-- Version 25: per class summaries (issue 18: every query under 50 ms on a national store), kept by
-- every writer with the finer summaries they are summed from (data/derived_class_summaries.sql,
-- data/summaries.py): the country's class clustering and the municipality's school table read a
-- row per class instead of one per class × grade × gender × group × band.
CREATE TABLE class_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,  -- as queries/class_clustering.sql names it
    n              BIGINT NOT NULL,   -- pupils with a value
    total          DOUBLE NOT NULL,   -- sum of their values
    squares        DOUBLE NOT NULL,   -- sum of the squared values
    weighted       DOUBLE NOT NULL,   -- the mean's numerator (absence: % × months at the school)
    weight         DOUBLE NOT NULL    -- and its denominator (absence: the months; else the pupils)
);
CREATE TABLE class_band_summary (
    school_year    VARCHAR NOT NULL,
    institution_no VARCHAR NOT NULL,
    class_name     VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,  -- wellbeing_high_share or absence_over10_share
    above          DOUBLE NOT NULL,   -- the band: wellbeing_summary.above or absence_summary.above_pct
    n              BIGINT NOT NULL    -- pupils in it
);

-- Filled from the summaries already in the store (the statements of data/derived_class_summaries.sql).
CREATE TEMP TABLE summary_scope AS SELECT DISTINCT institution_no, school_year FROM student;
DELETE FROM class_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO class_summary
SELECT school_year, institution_no, class_name, 'wellbeing_' || indicator, sum(n), sum(sum_score),
       sum(sumsq_score), sum(sum_score), sum(n)
FROM wellbeing_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, class_name, 'absence_total_pct', sum(n), sum(sum_pct), sum(sumsq_pct),
       sum(sum_weighted_pct), sum(sum_weight)
FROM absence_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, class_name, 'exam_bound_average', sum(n_complete),
       sum(sum_complete)::DOUBLE / 8, sum(sumsq_complete)::DOUBLE / 64, sum(sum_complete)::DOUBLE / 8,
       sum(n_complete)
FROM exam_summary
WHERE NOT special_class AND (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
HAVING sum(n_complete) > 0
UNION ALL
SELECT t.school_year, t.institution_no, t.class_name, 'test_good_share_' || t.subject, sum(t.n),
       100.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0),
       10000.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0),
       100.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0), sum(t.n)
FROM national_test_summary t
LEFT JOIN national_test_band b USING (band)
CROSS JOIN (SELECT lower_share FROM national_test_band WHERE band = 'gode') g
WHERE t.profile_area = 'samlet'
  AND (t.institution_no, t.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY 1, 2;

DELETE FROM class_band_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO class_band_summary
SELECT school_year, institution_no, class_name, 'wellbeing_high_share', above, sum(n)
FROM wellbeing_summary
WHERE indicator = 'generel'
  AND (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
UNION ALL
SELECT school_year, institution_no, class_name, 'absence_over10_share', above_pct, sum(n)
FROM absence_summary
WHERE (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY 1, 2;
DROP TABLE summary_scope;
