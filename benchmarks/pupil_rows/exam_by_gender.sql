-- 9th-grade bound-subject average per gender in one school year, for a school and its municipality;
-- only pupils with all 8 bound grades count (the ministry's rule, as exam_bound_average_school_and_municipality).
-- level: aggregate
-- scope: school
-- keys: level, gender
-- n: n
-- partition: level
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
pupils AS (
    SELECT st.institution_no = $school AS at_school, st.gender, st.student_key, avg(e.grade) AS average
    FROM student st
    JOIN exam_grade e USING (school_year, student_key, institution_no)
    WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
      AND e.bound AND NOT st.special_class
    GROUP BY ALL
    HAVING count(*) = 8
)
SELECT lvl.level, p.gender, avg(p.average) AS mean, stddev_samp(p.average) AS sd, count(*) AS n
FROM pupils p CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE lvl.level = 'kommune' OR p.at_school
GROUP BY ALL
ORDER BY lvl.level, p.gender;
