-- How alike pupils of one class are, per indicator, for the design effect of queries/statistics.py:
-- the intraclass correlation of classes within schools, by the one-way ANOVA estimator on every
-- pupil of the store in one school year (classes nested in schools, so differences between schools
-- are not counted as clustering), and the mean number of pupils with a value per class (n0).
-- Only classes with at least 2 pupils with a value count. One row per indicator, no school or
-- class in the result: the estimate is a property of the measurement, the same for every school.
-- level: aggregate
-- scope: none
-- keys: indicator
-- n: n
-- Per class n, sum and sum of squares of the pupils' values: well-being and absence from their
-- summaries (migration 20; a share above a setting is the sum of the bands at or above it), the exam
-- average and the national tests' "gode" shares from the result summaries (migration 17).
WITH summarised AS (
    SELECT institution_no, class_name, 'wellbeing_' || indicator AS indicator, sum(n) AS n,
           sum(sum_score) AS total, sum(sumsq_score) AS squares
    FROM wellbeing_summary WHERE school_year = $school_year
    GROUP BY ALL
    UNION ALL
    SELECT institution_no, class_name, 'wellbeing_high_share', sum(n),
           100.0 * coalesce(sum(n) FILTER (WHERE above >= $high_above), 0),
           10000.0 * coalesce(sum(n) FILTER (WHERE above >= $high_above), 0)
    FROM wellbeing_summary WHERE school_year = $school_year AND indicator = 'generel'
    GROUP BY ALL
    UNION ALL
    SELECT institution_no, class_name, 'absence_total_pct', sum(n), sum(sum_pct), sum(sumsq_pct)
    FROM absence_summary WHERE school_year = $school_year
    GROUP BY ALL
    UNION ALL
    SELECT institution_no, class_name, 'absence_over10_share', sum(n),
           100.0 * coalesce(sum(n) FILTER (WHERE above_pct >= $high_above_pct), 0),
           10000.0 * coalesce(sum(n) FILTER (WHERE above_pct >= $high_above_pct), 0)
    FROM absence_summary WHERE school_year = $school_year
    GROUP BY ALL
    UNION ALL
    SELECT institution_no, class_name, 'exam_bound_average' AS indicator, sum(n_complete) AS n,
           sum(sum_complete)::DOUBLE / 8 AS total, sum(sumsq_complete)::DOUBLE / 64 AS squares
    FROM exam_summary WHERE school_year = $school_year AND NOT special_class
    GROUP BY ALL
    UNION ALL
    SELECT t.institution_no, t.class_name, 'test_good_share_' || t.subject, sum(t.n),
           100.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0),
           10000.0 * coalesce(sum(t.n) FILTER (WHERE b.lower_share >= g.lower_share), 0)
    FROM national_test_summary t
    LEFT JOIN national_test_band b USING (band)
    CROSS JOIN (SELECT lower_share FROM national_test_band WHERE band = 'gode') g
    WHERE t.school_year = $school_year AND t.profile_area = 'samlet'
    GROUP BY ALL
),
classes AS (
    SELECT indicator, institution_no, class_name, n AS n_i, total / n AS mean_i,
           greatest((squares - total * total / n) / (n - 1), 0) AS var_i
    FROM summarised WHERE n >= 2
),
schools AS (
    SELECT indicator, institution_no, sum(n_i) AS n_s, sum(n_i * mean_i) / sum(n_i) AS mean_s,
           sum(n_i * n_i) AS sq_s, count(*) AS k_s
    FROM classes GROUP BY ALL
),
anova AS (
    SELECT c.indicator,
           sum(c.n_i * (c.mean_i - s.mean_s) ^ 2) AS ss_between,
           sum((c.n_i - 1) * c.var_i) AS ss_within,
           sum(c.n_i)::BIGINT AS n, count(*) AS k
    FROM classes c JOIN schools s USING (indicator, institution_no) GROUP BY ALL
),
sizes AS (
    SELECT indicator, sum(k_s - 1) AS df_between, sum(n_s - sq_s / n_s) AS n0_numerator, count(*) AS schools
    FROM schools GROUP BY ALL
)
SELECT a.indicator, a.n, a.k AS classes, z.schools,
       a.ss_between / nullif(z.df_between, 0) AS ms_between,
       a.ss_within / nullif(a.n - a.k, 0) AS ms_within,
       z.n0_numerator / nullif(z.df_between, 0) AS class_size
FROM anova a JOIN sizes z USING (indicator)
ORDER BY a.indicator;
