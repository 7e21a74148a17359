-- Gaps between pupil groups (bilingual or not; girls and boys) in one school year for a school:
-- share with 10 %+ absence and share with low social well-being, per group.
-- level: aggregate
-- scope: school
-- keys: comparison, pupil_group, indicator
-- n: n
-- partition: comparison, indicator
-- From the summaries (migrations 20, 22), keyed by bilingual and gender: the pupils per band, so a
-- share above (or at or below) a setting is the sum of the bands beyond it. A pupil's absence is
-- above $high_above_pct when its band (the whole percent below it) is at or above it; a social score
-- is at or below $low_social when its band (the half point below it) is below it.
WITH bands AS (
    SELECT bilingual, gender, 'absence_over10' AS indicator, n, above_pct >= $high_above_pct AS hit
    FROM absence_summary
    WHERE institution_no = $school AND school_year = $school_year
    UNION ALL
    SELECT bilingual, gender, 'low_social', n, above < $low_social
    FROM wellbeing_summary
    WHERE institution_no = $school AND school_year = $school_year AND indicator = 'social'
),
grouped AS (
    SELECT 'Tosprogede / ikke tosprogede' AS comparison,
           CASE WHEN bilingual THEN 'Tosprogede' ELSE 'Ikke tosprogede' END AS pupil_group, indicator, n, hit
    FROM bands
    UNION ALL
    SELECT 'Piger / drenge', CASE WHEN gender = 'pige' THEN 'Piger' ELSE 'Drenge' END, indicator, n, hit FROM bands
)
SELECT comparison, pupil_group, indicator,
       coalesce(sum(n) FILTER (WHERE hit), 0)::DOUBLE / sum(n) * 100 AS value, sum(n)::BIGINT AS n
FROM grouped
GROUP BY ALL
ORDER BY comparison, indicator, pupil_group;
