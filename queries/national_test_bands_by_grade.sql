-- National tests (total score) in one school year: per subject and grade, the share of pupils in
-- each configured band, for a school and its municipality. Confidential (folkeskoleloven § 55 b).
-- From the result summaries (migration 17): results counted per band of national_test_band.
-- level: aggregate
-- scope: school
-- keys: level, subject, grade, band, label, rank
-- n: n
-- partition: level, subject, band
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
banded AS (
    SELECT lvl.level, t.subject, t.grade, t.band, sum(t.n) AS n
    FROM national_test_summary t
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE t.institution_no IN (SELECT institution_no FROM peers) AND t.school_year = $school_year
      AND t.profile_area = 'samlet' AND (lvl.level = 'kommune' OR t.institution_no = $school)
    GROUP BY ALL
),
groups AS (SELECT level, subject, grade, sum(n) AS n FROM banded GROUP BY ALL)
SELECT g.level, g.subject, g.grade, b.band, b.label, b.rank,
       coalesce(any_value(x.n), 0) * 100.0 / any_value(g.n) AS share, any_value(g.n)::BIGINT AS n
FROM groups g
CROSS JOIN national_test_band b
LEFT JOIN banded x ON x.level = g.level AND x.subject = g.subject AND x.grade = g.grade AND x.band = b.band
GROUP BY g.level, g.subject, g.grade, b.band, b.label, b.rank
ORDER BY g.level, g.subject, g.grade, b.rank;
