-- National tests in one school year per subject and gender: share at the "gode" limit or above
-- and mean share of correct answers, for a school and its municipality. Confidential.
-- From the result summaries (migration 17).
-- level: aggregate
-- scope: school
-- keys: level, subject, gender
-- n: n
-- partition: level, subject
-- roles: ledelse, kommune, admin
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target))
SELECT lvl.level, t.subject, t.gender,
       coalesce(sum(t.n) FILTER (WHERE b.lower_share >= (SELECT lower_share FROM national_test_band
                                                         WHERE band = 'gode')), 0) * 100.0 / sum(t.n) AS good_share,
       sum(t.sum_points::DOUBLE / t.max_points) * 100 / sum(t.n) AS mean_correct,
       sum(t.n)::BIGINT AS n
FROM national_test_summary t
LEFT JOIN national_test_band b USING (band)
CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
WHERE t.institution_no IN (SELECT institution_no FROM peers) AND t.school_year = $school_year
  AND t.profile_area = 'samlet' AND (lvl.level = 'kommune' OR t.institution_no = $school)
GROUP BY ALL
ORDER BY lvl.level, t.subject, t.gender;
