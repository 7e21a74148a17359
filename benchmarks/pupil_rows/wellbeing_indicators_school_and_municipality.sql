-- Well-being indicators (4.-9. grade) for a school and its municipality, per school year:
-- mean of pupil scores, its spread and n, and the share with the highest well-being
-- (generel score above $high_above; only meaningful for indicator 'generel'). Optional filters:
-- grades $grade_from-$grade_to and $gender ('alle', 'pige' or 'dreng').
-- level: aggregate
-- scope: school
-- keys: level, school_year, indicator
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
pupils AS (
    SELECT st.school_year, st.student_key, st.institution_no,
           st.institution_no = $school AS at_school
    FROM student st
    WHERE st.institution_no IN (SELECT institution_no FROM peers)
      AND list_contains($years, st.school_year)
      AND st.grade BETWEEN $grade_from AND $grade_to AND ($gender = 'alle' OR st.gender = $gender)
)
SELECT lvl.level, p.school_year, w.indicator,
       avg(w.score) AS mean,
       stddev_samp(w.score) AS sd,
       avg((w.score > $high_above)::INTEGER) * 100 AS high_share,
       count(*) AS n
FROM pupils p
JOIN wellbeing_score w USING (school_year, student_key, institution_no)
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE lvl.level = 'kommune' OR p.at_school
GROUP BY ALL
ORDER BY lvl.level, p.school_year, w.indicator;
