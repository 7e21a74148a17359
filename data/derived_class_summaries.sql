-- The class summaries (migration 25) for the schools and school years in the registered relation
-- `summary_scope` (institution_no, school_year): per school × school year × class and indicator the
-- pupils' n, sum and sum of squares, summed from the finer summaries this refresh has just written
-- (data/summaries.py runs this part after them). Queries that need classes or whole schools across
-- the country (the class clustering of queries/statistics.py, the municipality's school table) read
-- these few rows instead of the finer ones. Indicators as queries/class_clustering.sql names them.
DELETE FROM class_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- `weighted` / `weight` is the indicator's mean as the screens compute it: absence is weighted by
-- the pupils' months at the school, every other indicator by pupil.
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
-- The exam average: pupils with all 8 bound grades outside special classes (the ministry's rule).
SELECT school_year, institution_no, class_name, 'exam_bound_average', sum(n_complete),
       sum(sum_complete)::DOUBLE / 8, sum(sumsq_complete)::DOUBLE / 64, sum(sum_complete)::DOUBLE / 8,
       sum(n_complete)
FROM exam_summary
WHERE NOT special_class AND (institution_no, school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
HAVING sum(n_complete) > 0
UNION ALL
-- The national tests' share at "gode" or better per subject (each pupil 100 or 0).
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

-- The shares above a setting (højest trivsel, absence over a percentage) are bound at query time, so
-- the pupils are kept per class and band (`above`, as in wellbeing_summary and absence_summary); a
-- share above any threshold on the grid is the sum of the bands above it.
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
