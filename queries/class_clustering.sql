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
-- Per class n, sum and sum of squares of the pupils' values from the class summaries (migration 25);
-- a share above a setting is the sum of the class's bands at or above it. With T, Q the sum and sum of
-- squares, the within-class sum of squares is Q - T²/n per class and the between-class one
-- Σ T_class²/n_class - T_school²/n_school per school: one pass over the classes, one over the schools.
WITH classes AS (
    SELECT indicator, institution_no, n, total, squares
    FROM class_summary WHERE school_year = $school_year AND n >= 2
    UNION ALL
    SELECT indicator, institution_no, n, 100.0 * high, 10000.0 * high
    FROM (
        SELECT indicator, institution_no, class_name, sum(n) AS n,
               coalesce(sum(n) FILTER (WHERE above >= CASE indicator WHEN 'wellbeing_high_share' THEN $high_above
                                                                     ELSE $high_above_pct END), 0) AS high
        FROM class_band_summary WHERE school_year = $school_year
        GROUP BY ALL
    )
    WHERE n >= 2
),
schools AS (
    SELECT indicator, institution_no, sum(n) AS n_s, sum(total) AS t_s, sum(total * total / n) AS between_s,
           sum(greatest(squares - total * total / n, 0)) AS within_s, sum(n * n) AS sq_s, count(*) AS k_s
    FROM classes GROUP BY ALL
)
SELECT indicator, sum(n_s)::BIGINT AS n, sum(k_s)::BIGINT AS classes, count(*) AS schools,
       sum(between_s - t_s * t_s / n_s) / nullif(sum(k_s - 1), 0) AS ms_between,
       sum(within_s) / nullif(sum(n_s) - sum(k_s), 0) AS ms_within,
       sum(n_s - sq_s / n_s) / nullif(sum(k_s - 1), 0) AS class_size
FROM schools
GROUP BY ALL
ORDER BY indicator;
