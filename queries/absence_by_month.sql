-- Absence per month of one school year for a school and its municipality, per kind: absent days
-- as a share of school days in the month (all pupils' days together). Grades $grade_from-$grade_to.
-- level: aggregate
-- scope: school
-- keys: level, month
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
-- the chart's n: the distinct pupils of the year with school days (a pupil who left in March is in some months only)
pupils AS (
    SELECT lvl.level, sum(s.n)::BIGINT AS pupils
    FROM absence_summary s CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE s.institution_no IN (SELECT institution_no FROM peers)
      AND s.school_year = $school_year AND s.grade BETWEEN $grade_from AND $grade_to
      AND (lvl.level = 'kommune' OR s.institution_no = $school)
    GROUP BY ALL
)
-- The absence month summary (migration 20): per grade and month the pupils with school days and the days.
SELECT lvl.level, s.month,
       sum(s.illness_days) * 100.0 / sum(s.school_days) AS illness_pct,
       sum(s.authorised_days) * 100.0 / sum(s.school_days) AS authorised_pct,
       sum(s.unauthorised_days) * 100.0 / sum(s.school_days) AS unauthorised_pct,
       sum(s.illness_days + s.authorised_days + s.unauthorised_days) * 100.0 / sum(s.school_days) AS total_pct,
       sum(s.n)::BIGINT AS n, any_value(p.pupils) AS pupils
FROM absence_month_summary s
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
JOIN pupils p ON p.level = lvl.level
WHERE s.institution_no IN (SELECT institution_no FROM peers)
  AND s.school_year = $school_year AND s.grade BETWEEN $grade_from AND $grade_to
  AND (lvl.level = 'kommune' OR s.institution_no = $school)
GROUP BY ALL
ORDER BY lvl.level, s.month;
