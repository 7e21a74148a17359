-- Absence per month of one school year for a school and its municipality, per kind: absent days
-- as a share of school days in the month (all pupils' days together). Grades $grade_from-$grade_to.
-- level: aggregate
-- scope: school
-- keys: level, month
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target))
SELECT lvl.level, a.month,
       sum(a.illness_days) * 100.0 / sum(a.school_days) AS illness_pct,
       sum(a.authorised_days) * 100.0 / sum(a.school_days) AS authorised_pct,
       sum(a.unauthorised_days) * 100.0 / sum(a.school_days) AS unauthorised_pct,
       sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0 / sum(a.school_days) AS total_pct,
       count(DISTINCT st.student_key) AS n
FROM student st
JOIN absence a USING (school_year, student_key, institution_no)
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE st.institution_no IN (SELECT institution_no FROM peers)
  AND st.school_year = $school_year AND a.school_days > 0 AND st.grade BETWEEN $grade_from AND $grade_to
  AND (lvl.level = 'kommune' OR st.institution_no = $school)
GROUP BY ALL
ORDER BY lvl.level, a.month;
