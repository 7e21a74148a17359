-- National tests (total score) for a school and its municipality, per school year and subject:
-- shares of pupils in the configured bands ("gode" counts everyone at the gode limit or above).
-- level: aggregate
-- scope: school
-- keys: level, school_year, subject
-- n: n
-- roles: ledelse, kommune, admin
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
limits AS (SELECT band, lower_share FROM national_test_band),
results AS (
    SELECT st.school_year, t.subject, st.institution_no = $school AS at_school,
           t.points::DOUBLE / t.max_points AS share_correct
    FROM student st
    JOIN national_test t USING (school_year, student_key, institution_no)
    WHERE st.institution_no IN (SELECT institution_no FROM peers)
      AND list_contains($years, st.school_year)
      AND t.profile_area = 'samlet'
)
SELECT lvl.level, r.school_year, r.subject,
       avg((r.share_correct >= (SELECT lower_share FROM limits WHERE band = 'gode'))::INTEGER) * 100 AS good_share,
       avg((r.share_correct >= (SELECT lower_share FROM limits WHERE band = 'dygtigste'))::INTEGER) * 100 AS top_share,
       avg((r.share_correct < (SELECT lower_share FROM limits WHERE band = 'ikke_gode'))::INTEGER) * 100 AS bottom_share,
       count(*) AS n
FROM results r
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE lvl.level = 'kommune' OR r.at_school
GROUP BY ALL
ORDER BY lvl.level, r.school_year, r.subject;
