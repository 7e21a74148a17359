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
WITH pupils AS (
    SELECT st.school_year, st.student_key, st.institution_no, st.class_name, st.special_class
    FROM student st WHERE st.school_year = $school_year
),
absence_pct AS (
    SELECT p.institution_no, p.class_name, p.student_key,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS pct
    FROM pupils p JOIN absence_year a USING (school_year, student_key, institution_no) GROUP BY ALL
),
values AS (
    SELECT p.institution_no, p.class_name, 'wellbeing_' || w.indicator AS indicator, w.score AS value
    FROM pupils p JOIN wellbeing_score w USING (school_year, student_key, institution_no)
    UNION ALL
    SELECT p.institution_no, p.class_name, 'wellbeing_high_share', (w.score > $high_above)::INTEGER * 100.0
    FROM pupils p JOIN wellbeing_score w USING (school_year, student_key, institution_no)
    WHERE w.indicator = 'generel'
    UNION ALL
    SELECT institution_no, class_name, 'absence_total_pct', pct FROM absence_pct WHERE pct IS NOT NULL
    UNION ALL
    SELECT institution_no, class_name, 'absence_over10_share', (pct > $high_above_pct)::INTEGER * 100.0
    FROM absence_pct WHERE pct IS NOT NULL
),
-- The exam average and the national tests' "gode" shares per class from the result summaries
-- (migration 17): n, sum and sum of squares of the pupils' values.
summarised AS (
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
    SELECT indicator, institution_no, class_name, count(*) AS n_i, avg(value) AS mean_i,
           coalesce(var_samp(value), 0) AS var_i
    FROM values GROUP BY ALL HAVING count(*) >= 2
    UNION ALL
    SELECT indicator, institution_no, class_name, n, total / n,
           greatest((squares - total * total / n) / (n - 1), 0)
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
