-- Absence for a school and its municipality, per school year: the mean of pupils' absence
-- percentages weighted by months at the school, and the share of pupils above $high_above_pct.
-- level: aggregate
-- scope: school
-- keys: level, school_year
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
per_pupil AS (
    SELECT st.school_year, st.student_key, st.institution_no = $school AS at_school,
           any_value(st.months_enrolled) AS weight,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
               / nullif(sum(a.school_days), 0) AS pct
    FROM student st
    JOIN school s USING (institution_no)
    JOIN absence a USING (school_year, student_key)
    WHERE s.municipality_code = (SELECT municipality_code FROM target)
      AND list_contains($years, st.school_year)
    GROUP BY ALL
)
SELECT lvl.level, p.school_year,
       sum(p.pct * p.weight) / sum(p.weight) AS mean,
       stddev_samp(p.pct) AS sd,
       avg((p.pct > $high_above_pct)::INTEGER) * 100 AS over_share,
       count(*) AS n
FROM per_pupil p
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE (lvl.level = 'kommune' OR p.at_school) AND p.pct IS NOT NULL
GROUP BY ALL
ORDER BY lvl.level, p.school_year;
