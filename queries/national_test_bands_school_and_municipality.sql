-- National tests (total score) for a school and its municipality, per school year and subject:
-- shares of pupils in the configured bands ("gode" counts everyone at the gode limit or above).
-- From the result summaries (migration 17): results counted per band of national_test_band.
-- level: aggregate
-- scope: school
-- keys: level, school_year, subject
-- n: n
-- roles: ledelse, kommune, admin
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
limits AS (SELECT band, lower_share FROM national_test_band),
results AS (
    SELECT lvl.level, t.school_year, t.subject, t.n, b.lower_share
    FROM national_test_summary t
    LEFT JOIN limits b USING (band)
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE t.institution_no IN (SELECT institution_no FROM peers) AND list_contains($years, t.school_year)
      AND t.profile_area = 'samlet' AND (lvl.level = 'kommune' OR t.institution_no = $school)
)
SELECT level, school_year, subject,
       coalesce(sum(n) FILTER (WHERE lower_share >= (SELECT lower_share FROM limits WHERE band = 'gode')), 0)
           * 100.0 / sum(n) AS good_share,
       coalesce(sum(n) FILTER (WHERE lower_share >= (SELECT lower_share FROM limits WHERE band = 'dygtigste')), 0)
           * 100.0 / sum(n) AS top_share,
       coalesce(sum(n) FILTER (WHERE lower_share IS NULL
                                  OR lower_share < (SELECT lower_share FROM limits WHERE band = 'ikke_gode')), 0)
           * 100.0 / sum(n) AS bottom_share,
       sum(n)::BIGINT AS n
FROM results
GROUP BY ALL
ORDER BY level, school_year, subject;
