-- 9th-grade exams in one school year: the share of all bound-subject grades at each mark of the
-- 7-point scale, for a school and its municipality.
-- level: aggregate
-- scope: school
-- keys: level, mark
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
marks AS (SELECT unnest([-3, 0, 2, 4, 7, 10, 12]) AS mark),
grades AS (
    SELECT lvl.level, e.grade AS mark, st.student_key
    FROM student st
    JOIN exam_grade e USING (school_year, student_key, institution_no)
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
      AND e.bound AND NOT st.special_class AND (lvl.level = 'kommune' OR st.institution_no = $school)
),
totals AS (SELECT level, count(*) AS grades, count(DISTINCT student_key) AS n FROM grades GROUP BY level)
SELECT t.level, m.mark, count(g.mark) * 100.0 / any_value(t.grades) AS share, any_value(t.n) AS n
FROM totals t CROSS JOIN marks m
LEFT JOIN grades g ON g.level = t.level AND g.mark = m.mark
GROUP BY t.level, m.mark
ORDER BY t.level, m.mark;
