-- Well-being indicators (4.-9. grade) by class in one school year for a school: mean score, spread, share above $high_above and n.
-- level: aggregate
-- scope: school
-- keys: level, indicator, class_name
-- n: n
-- partition: level, indicator
-- roles: ledelse, team, admin
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target))
SELECT lvl.level, w.indicator, st.class_name,
       avg(w.score) AS mean, stddev_samp(w.score) AS sd,
       avg((w.score > $high_above)::INTEGER) * 100 AS high_share,
       count(*) AS n
FROM student st
JOIN wellbeing_score w USING (school_year, student_key, institution_no)
CROSS JOIN (VALUES ('skole')) lvl(level)
WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
  AND (lvl.level = 'kommune' OR st.institution_no = $school)
GROUP BY ALL
ORDER BY lvl.level, w.indicator, st.class_name;
