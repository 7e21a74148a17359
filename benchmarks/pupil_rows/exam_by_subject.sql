-- 9th-grade exams in one school year: mean grade per subject/discipline for a school and its
-- municipality (special-class pupils left out, as in the published average).
-- level: aggregate
-- scope: school
-- keys: level, subject, bound
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target))
SELECT lvl.level, e.subject, e.bound, avg(e.grade) AS mean, stddev_samp(e.grade) AS sd, count(*) AS n
FROM student st
JOIN exam_grade e USING (school_year, student_key, institution_no)
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
  AND NOT st.special_class AND (lvl.level = 'kommune' OR st.institution_no = $school)
GROUP BY ALL
ORDER BY lvl.level, e.bound DESC, e.subject;
