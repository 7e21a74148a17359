-- Absence per grade in one school year for a school and its municipality: mean of pupils'
-- percentages (weighted by months at the school) and the shares above 10 % and 15 %.
-- level: aggregate
-- scope: school
-- keys: level, grade
-- n: n
-- partition: level
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
per_pupil AS (
    SELECT st.institution_no = $school AS at_school, st.grade, any_value(st.months_enrolled) AS weight,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
               / nullif(sum(a.school_days), 0) AS pct
    FROM student st
    JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
    GROUP BY st.institution_no, st.student_key, st.grade
)
SELECT lvl.level, p.grade,
       sum(p.pct * p.weight) / sum(p.weight) AS mean,
       avg((p.pct > $high_above_pct)::INTEGER) * 100 AS over10_share,
       avg((p.pct > 15)::INTEGER) * 100 AS over15_share,
       count(*) AS n
FROM per_pupil p
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE (lvl.level = 'kommune' OR p.at_school) AND p.pct IS NOT NULL
GROUP BY ALL
ORDER BY lvl.level, p.grade;
