-- Absence for a school and its municipality, per school year: the mean of pupils' absence
-- percentages weighted by months at the school (in total and per kind), and the shares of
-- pupils above $high_above_pct and above 15 %. Grades $grade_from-$grade_to.
-- level: aggregate
-- scope: school
-- keys: level, school_year
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
per_pupil AS (
    SELECT st.school_year, st.student_key, st.institution_no = $school AS at_school,
           any_value(st.months_enrolled) AS weight,
           sum(a.school_days) AS days,
           sum(a.illness_days) * 100.0 / nullif(sum(a.school_days), 0) AS illness_pct,
           sum(a.authorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS authorised_pct,
           sum(a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS unauthorised_pct
    FROM student st
    JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE st.institution_no IN (SELECT institution_no FROM peers)
      AND list_contains($years, st.school_year) AND st.grade BETWEEN $grade_from AND $grade_to
    GROUP BY ALL
),
pupils AS (SELECT *, illness_pct + authorised_pct + unauthorised_pct AS pct FROM per_pupil WHERE days > 0)
SELECT lvl.level, p.school_year,
       sum(p.pct * p.weight) / sum(p.weight) AS mean,
       stddev_samp(p.pct) AS sd,
       sum(p.illness_pct * p.weight) / sum(p.weight) AS illness_mean,
       sum(p.authorised_pct * p.weight) / sum(p.weight) AS authorised_mean,
       sum(p.unauthorised_pct * p.weight) / sum(p.weight) AS unauthorised_mean,
       avg((p.pct > $high_above_pct)::INTEGER) * 100 AS over_share,
       avg((p.pct > 15)::INTEGER) * 100 AS over15_share,
       count(*) AS n
FROM pupils p
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE lvl.level = 'kommune' OR p.at_school
GROUP BY ALL
ORDER BY lvl.level, p.school_year;
