-- Absence per month of one school year for a school and its municipality, per kind: absent days
-- as a share of school days in the month (all pupils' days together). Grades $grade_from-$grade_to.
-- level: aggregate
-- scope: school
-- keys: level, month
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
days AS (
    SELECT lvl.level, a.month, st.student_key, a.illness_days, a.authorised_days, a.unauthorised_days, a.school_days
    FROM student st
    JOIN absence a USING (school_year, student_key, institution_no)
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE st.institution_no IN (SELECT institution_no FROM peers)
      AND st.school_year = $school_year AND a.school_days > 0 AND st.grade BETWEEN $grade_from AND $grade_to
      AND (lvl.level = 'kommune' OR st.institution_no = $school)
),
-- the chart's n: the distinct pupils of the year (a pupil who left in March is in some months only)
pupils AS (SELECT level, count(DISTINCT student_key) AS pupils FROM days GROUP BY ALL)
SELECT d.level, d.month,
       sum(d.illness_days) * 100.0 / sum(d.school_days) AS illness_pct,
       sum(d.authorised_days) * 100.0 / sum(d.school_days) AS authorised_pct,
       sum(d.unauthorised_days) * 100.0 / sum(d.school_days) AS unauthorised_pct,
       sum(d.illness_days + d.authorised_days + d.unauthorised_days) * 100.0 / sum(d.school_days) AS total_pct,
       count(DISTINCT d.student_key) AS n, any_value(p.pupils) AS pupils
FROM days d JOIN pupils p USING (level)
GROUP BY d.level, d.month
ORDER BY d.level, d.month;
