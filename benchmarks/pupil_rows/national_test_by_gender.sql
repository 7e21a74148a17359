-- National tests in one school year per subject and gender: share at the "gode" limit or above
-- and mean share of correct answers, for a school and its municipality. Confidential.
-- level: aggregate
-- scope: school
-- keys: level, subject, gender
-- n: n
-- partition: level, subject
-- roles: ledelse, kommune, admin
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target))
SELECT lvl.level, t.subject, st.gender,
       avg((t.points::DOUBLE / t.max_points >= (SELECT lower_share FROM national_test_band WHERE band = 'gode'))::INTEGER) * 100 AS good_share,
       avg(t.points::DOUBLE / t.max_points) * 100 AS mean_correct,
       count(*) AS n
FROM student st
JOIN national_test t USING (school_year, student_key, institution_no)
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
  AND t.profile_area = 'samlet' AND (lvl.level = 'kommune' OR st.institution_no = $school)
GROUP BY ALL
ORDER BY lvl.level, t.subject, st.gender;
