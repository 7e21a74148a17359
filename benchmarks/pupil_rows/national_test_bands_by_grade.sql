-- National tests (total score) in one school year: per subject and grade, the share of pupils in
-- each configured band, for a school and its municipality. Confidential (folkeskoleloven § 55 b).
-- level: aggregate
-- scope: school
-- keys: level, subject, grade, band, label, rank
-- n: n
-- partition: level, subject, band
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
results AS (
    SELECT lvl.level, t.subject, t.grade, t.points::DOUBLE / t.max_points AS share_correct
    FROM student st
    JOIN national_test t USING (school_year, student_key, institution_no)
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
      AND t.profile_area = 'samlet' AND (lvl.level = 'kommune' OR st.institution_no = $school)
),
banded AS (
    SELECT r.*, (SELECT band FROM national_test_band b WHERE b.lower_share <= r.share_correct
                 ORDER BY b.lower_share DESC LIMIT 1) AS band
    FROM results r
),
groups AS (SELECT level, subject, grade, count(*) AS n FROM banded GROUP BY ALL)
SELECT g.level, g.subject, g.grade, b.band, b.label, b.rank,
       count(x.band) * 100.0 / any_value(g.n) AS share, any_value(g.n) AS n
FROM groups g
CROSS JOIN national_test_band b
LEFT JOIN banded x ON x.level = g.level AND x.subject = g.subject AND x.grade = g.grade AND x.band = b.band
GROUP BY g.level, g.subject, g.grade, b.band, b.label, b.rank
ORDER BY g.level, g.subject, g.grade, b.rank;
