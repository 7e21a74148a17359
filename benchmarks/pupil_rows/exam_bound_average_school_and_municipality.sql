-- 9th-grade exam average in the bound subjects for a school and its municipality, per school
-- year, as published: the mean of pupils' bound-subject averages, special-class pupils left out,
-- and, as the ministry counts, only pupils with a grade in every one of the 8 bound exams (a pupil
-- lacking one, e.g. exempted or ill, is left out rather than averaged over the rest).
-- level: aggregate
-- scope: school
-- keys: level, school_year
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
per_pupil AS (
    SELECT st.school_year, st.student_key, st.institution_no = $school AS at_school,
           avg(e.grade) AS average
    FROM student st
    JOIN exam_grade e USING (school_year, student_key, institution_no)
    WHERE st.institution_no IN (SELECT institution_no FROM peers)
      AND list_contains($years, st.school_year)
      AND e.bound AND NOT st.special_class
    GROUP BY ALL
    HAVING count(*) = 8  -- every bound grade (exam_grade holds one row per pupil and subject)
)
SELECT lvl.level, p.school_year, avg(p.average) AS mean, stddev_samp(p.average) AS sd,
       count(*) AS n
FROM per_pupil p
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE lvl.level = 'kommune' OR p.at_school
GROUP BY ALL
ORDER BY lvl.level, p.school_year;
