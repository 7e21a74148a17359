-- The school's exam result against its socio-economic reference, per school year: the published
-- expected average and difference with its significance, and the uncertainty of the difference
-- (1.96 standard errors of the school's average, from its pupils' spread; pupils with all 8 bound grades).
-- level: aggregate
-- scope: school
-- keys: institution_no, school_year
-- n: n
WITH pupils AS (
    SELECT st.school_year, avg(e.grade) AS average
    FROM student st JOIN exam_grade e USING (school_year, student_key, institution_no)
    WHERE st.institution_no = $school AND e.bound AND NOT st.special_class
    GROUP BY st.school_year, st.student_key
    HAVING count(*) = 8
),
spread AS (SELECT school_year, stddev_samp(average) AS sd, count(*) AS n FROM pupils GROUP BY 1)
SELECT r.institution_no, r.school_year, r.expected_average, r.expected_average + r.difference AS actual,
       r.difference, r.significance, 1.96 * s.sd / sqrt(s.n) AS margin, r.n_pupils AS n
FROM socio_reference r LEFT JOIN spread s USING (school_year)
WHERE r.institution_no = $school
ORDER BY r.school_year;
