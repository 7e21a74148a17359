-- The school's exam result against its socio-economic reference, per school year: the published
-- expected average and difference with its significance, and the uncertainty of the difference
-- (1.96 standard errors of the school's average, from its pupils' spread; pupils with all 8 bound
-- grades, from the result summaries of migration 17).
-- level: aggregate
-- scope: school
-- keys: institution_no, school_year
-- n: n
WITH groups AS (
    SELECT school_year, sum(n_complete)::BIGINT AS n, sum(sum_complete)::DOUBLE / 8 AS total,
           sum(sumsq_complete)::DOUBLE / 64 AS squares
    FROM exam_summary
    WHERE institution_no = $school AND NOT special_class
    GROUP BY 1
),
spread AS (
    SELECT school_year, CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END AS sd, n
    FROM groups WHERE n > 0
)
SELECT r.institution_no, r.school_year, r.expected_average, r.expected_average + r.difference AS actual,
       r.difference, r.significance, 1.96 * s.sd / sqrt(s.n) AS margin, r.n_pupils AS n
FROM socio_reference r LEFT JOIN spread s USING (school_year)
WHERE r.institution_no = $school
ORDER BY r.school_year;
