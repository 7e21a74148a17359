-- "Deltagelsesmuligheder for alle": participation indicators for a school per school year, for the
-- whole school, per department (indskoling, mellemtrin, udskoling, specialklasser) and per grade.
-- Each pupil contributes a value per indicator; the unit's value is the mean (a share in % for
-- yes/no indicators) over the pupils with a value.
-- level: aggregate
-- scope: school
-- keys: school_year, unit_kind, unit, unit_order, indicator
-- n: n
-- partition: school_year, unit_kind, indicator
-- From the summaries (migrations 20, 22), never a pupil row: per pupil group `n` pupils with a value,
-- `hits` of them with the yes/no indicator's yes (its values are 0 or 100), or the sum and sum of
-- squares of their scores (support from the adults). A pupil's absence is above $high_above_pct when
-- its band (the whole percent below it) is at or above it; a social score is at or below $low_social
-- when its band (the half point below it) is below it.
WITH groups AS (
    SELECT school_year, grade, special_class, 'absence_over10' AS indicator, n,
           CASE WHEN above_pct >= $high_above_pct THEN n ELSE 0 END AS hits, NULL::DOUBLE AS total,
           NULL::DOUBLE AS squares
    FROM absence_summary
    WHERE institution_no = $school AND list_contains($years, school_year)
    UNION ALL
    SELECT school_year, grade, special_class, 'low_social', n, CASE WHEN above < $low_social THEN n ELSE 0 END,
           NULL, NULL
    FROM wellbeing_summary
    WHERE institution_no = $school AND list_contains($years, school_year) AND indicator = 'social'
    UNION ALL
    SELECT school_year, grade, special_class, 'stoette', n, NULL, sum_score, sumsq_score
    FROM wellbeing_summary
    WHERE institution_no = $school AND list_contains($years, school_year) AND indicator = 'stoette'
    UNION ALL
    SELECT school_year, grade, special_class, 'general_class', n, CASE WHEN NOT special_class THEN n ELSE 0 END,
           NULL, NULL
    FROM pupil_summary
    WHERE institution_no = $school AND list_contains($years, school_year)
    UNION ALL
    SELECT school_year, grade, special_class, 'reduced_timetable', n, CASE WHEN reduced_timetable THEN n ELSE 0 END,
           NULL, NULL
    FROM pupil_summary
    WHERE institution_no = $school AND list_contains($years, school_year)
),
-- Each group's rows once into each kind of unit (the whole school, its department, its grade).
summed AS (
    SELECT g.school_year, u.unit_kind,
           CASE WHEN u.unit_kind = 'skole' THEN 'Hele skolen'
                WHEN u.unit_kind = 'klassetrin' THEN g.grade::VARCHAR || '. klasse'
                WHEN g.special_class THEN 'Specialklasser'
                WHEN g.grade <= 3 THEN 'Indskoling (0.–3.)'
                WHEN g.grade <= 6 THEN 'Mellemtrin (4.–6.)'
                ELSE 'Udskoling (7.–9.)' END AS unit,
           CASE WHEN u.unit_kind = 'skole' THEN 0 WHEN u.unit_kind = 'klassetrin' THEN g.grade
                WHEN g.special_class THEN 4 WHEN g.grade <= 3 THEN 1 WHEN g.grade <= 6 THEN 2 ELSE 3 END AS unit_order,
           g.indicator, sum(g.n)::BIGINT AS n, sum(g.hits) AS hits, sum(g.total) AS total, sum(g.squares) AS squares
    FROM groups g
    CROSS JOIN (VALUES ('skole'), ('afdeling'), ('klassetrin')) u(unit_kind)
    GROUP BY ALL
)
-- A yes/no indicator's spread from its counts (exact: no sum of squares to cancel); a score's from
-- its sums.
SELECT school_year, unit_kind, unit, unit_order, indicator,
       CASE WHEN hits IS NULL THEN total / n ELSE hits * 100.0 / n END AS value,
       CASE WHEN n < 2 THEN NULL
            WHEN hits IS NULL THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0))
            ELSE 100 * sqrt(hits * (n - hits) / (n * (n - 1.0))) END AS sd,
       n
FROM summed
ORDER BY school_year, unit_kind, unit_order, indicator;
