-- 9th-grade exams in one school year: the share of all bound-subject grades at each mark of the
-- 7-point scale, for a school and its municipality. From the result summaries (migration 17).
-- level: aggregate
-- scope: school
-- keys: level, mark
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
totals AS (
    SELECT lvl.level, sum(e.bound_grades) AS grades, sum(e.pupils_bound)::BIGINT AS n,
           [sum(e.m_minus3), sum(e.m00), sum(e.m02), sum(e.m04), sum(e.m07), sum(e.m10), sum(e.m12)] AS counts
    FROM exam_summary e
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE e.institution_no IN (SELECT institution_no FROM peers) AND e.school_year = $school_year
      AND NOT e.special_class AND (lvl.level = 'kommune' OR e.institution_no = $school)
    GROUP BY ALL
),
marks AS (SELECT unnest([-3, 0, 2, 4, 7, 10, 12]) AS mark, unnest([1, 2, 3, 4, 5, 6, 7]) AS i)
SELECT t.level, m.mark, t.counts[m.i] * 100.0 / t.grades AS share, t.n
FROM totals t CROSS JOIN marks m
ORDER BY t.level, m.mark;
