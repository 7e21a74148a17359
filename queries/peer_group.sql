-- The school among the schools across the country (every folkeskole in the store) with the most
-- similar pupil background, like the ministry's comparisons: the socio-economic reference (expected
-- exam average, newest published up to the year), the share of pupils with another mother tongue than
-- Danish (bilingual) and the size (pupils, on a log scale). Each feature is standardised over all
-- schools with a profile; the peers are the $k schools nearest to the school (Euclidean distance).
-- A school with only published figures (no pupil register) is matched on the reference and the size.
-- Returns aggregates only, never another school's name or figure: one `profile` row (the school's
-- profile and the peers' mean profile) and one row per indicator (the school's value, the mean of the
-- peers' values when at least $min_peers peers have one, and the school's place among them, 1 = best).
-- level: aggregate
-- scope: school
-- keys: kind, indicator
-- n: n
-- roles: ledelse, kommune, admin
WITH folk AS (SELECT institution_no FROM school WHERE school_type = 'folkeskole'),
-- the register's pupils from its summary (migration 22)
registered AS (
    SELECT institution_no, sum(n) AS pupils,
           coalesce(sum(n) FILTER (WHERE bilingual), 0) * 100.0 / sum(n) AS bilingual_share
    FROM pupil_summary WHERE school_year = $school_year GROUP BY 1
),
published AS (
    SELECT institution_no, measure, arg_max(school_value, school_year) AS value, arg_max(n, school_year) AS n
    FROM published_school_figure
    WHERE department_no = institution_no AND breakdown = 'alle' AND school_value IS NOT NULL
      AND school_year <= $school_year
    GROUP BY ALL
),
expected AS (
    SELECT institution_no, arg_max(expected_average, school_year) AS expected_average
    FROM socio_reference WHERE school_year <= $school_year AND expected_average IS NOT NULL GROUP BY 1
),
profiles AS (
    SELECT f.institution_no,
           coalesce(e.expected_average, pe.value) AS expected_average,
           r.bilingual_share,
           coalesce(r.pupils, pp.value) AS pupils
    FROM folk f
    LEFT JOIN expected e USING (institution_no)
    LEFT JOIN published pe ON pe.institution_no = f.institution_no AND pe.measure = 'socio_expected'
    LEFT JOIN registered r ON r.institution_no = f.institution_no
    LEFT JOIN published pp ON pp.institution_no = f.institution_no AND pp.measure = 'pupils'
),
complete AS (
    SELECT * FROM profiles WHERE expected_average IS NOT NULL AND pupils > 0
),
spread AS (
    SELECT avg(expected_average) AS m_e, nullif(stddev_pop(expected_average), 0) AS s_e,
           avg(bilingual_share) AS m_b, nullif(stddev_pop(bilingual_share), 0) AS s_b,
           avg(ln(pupils)) AS m_p, nullif(stddev_pop(ln(pupils)), 0) AS s_p
    FROM complete
),
standard AS (
    SELECT c.*, (c.expected_average - m_e) / coalesce(s_e, 1) AS z_e,
           (c.bilingual_share - m_b) / coalesce(s_b, 1) AS z_b, (ln(c.pupils) - m_p) / coalesce(s_p, 1) AS z_p
    FROM complete c, spread
),
me AS (SELECT * FROM standard WHERE institution_no = $school),
distances AS (
    SELECT s.institution_no,
           sqrt((s.z_e - me.z_e) ^ 2 + (s.z_p - me.z_p) ^ 2
                + CASE WHEN me.z_b IS NULL THEN 0 ELSE (s.z_b - me.z_b) ^ 2 END) AS distance
    FROM standard s, me
    WHERE s.institution_no <> me.institution_no AND (me.z_b IS NULL OR s.z_b IS NOT NULL)
),
peers AS (SELECT institution_no FROM distances ORDER BY distance, institution_no LIMIT $k),
chosen AS (SELECT institution_no FROM peers UNION ALL SELECT institution_no FROM me),
-- the indicators of the school and its peers only: well-being of grades 4-9 from its summary (migration
-- 20; the share above the setting is the sum of the bands at or above it), absence and the exam average
-- from the class summaries (migration 25)
wellbeing AS (
    SELECT institution_no, sum(sum_score) / sum(n) AS generel,
           coalesce(sum(n) FILTER (WHERE above >= $high_above), 0)::DOUBLE / sum(n) * 100 AS high_share,
           sum(n)::BIGINT AS n
    FROM wellbeing_summary
    WHERE school_year = $school_year AND indicator = 'generel' AND grade BETWEEN 4 AND 9
      AND institution_no IN (SELECT institution_no FROM chosen)
    GROUP BY 1
),
absence_pct AS (
    SELECT institution_no, sum(weighted) / sum(weight) AS pct, sum(n)::BIGINT AS n
    FROM class_summary
    WHERE school_year = $school_year AND indicator = 'absence_total_pct'
      AND institution_no IN (SELECT institution_no FROM chosen)
    GROUP BY 1
),
-- The exam average (pupils with all 8 bound grades, outside special classes) from the class summaries.
exam AS (
    SELECT institution_no, sum(weighted) / sum(weight) AS average, sum(n)::BIGINT AS n
    FROM class_summary
    WHERE school_year = $school_year AND indicator = 'exam_bound_average'
      AND institution_no IN (SELECT institution_no FROM chosen)
    GROUP BY 1
),
socio AS (
    SELECT institution_no, difference, n_pupils AS n FROM socio_reference WHERE school_year = $school_year
),
measures(indicator, higher_is_better) AS (
    VALUES ('wellbeing_generel', true), ('wellbeing_high_share', true), ('absence_total_pct', false),
           ('exam_bound_average', true), ('socio_difference', true)
),
values AS (
    SELECT c.institution_no, m.indicator, m.higher_is_better,
           CASE m.indicator WHEN 'wellbeing_generel' THEN w.generel WHEN 'wellbeing_high_share' THEN w.high_share
                WHEN 'absence_total_pct' THEN a.pct WHEN 'exam_bound_average' THEN x.average
                ELSE so.difference END AS own,
           CASE m.indicator WHEN 'wellbeing_generel' THEN w.n WHEN 'wellbeing_high_share' THEN w.n
                WHEN 'absence_total_pct' THEN a.n WHEN 'exam_bound_average' THEN x.n ELSE so.n END AS own_n,
           pub.value AS published, pub.n AS published_n
    FROM chosen c CROSS JOIN measures m
    LEFT JOIN wellbeing w ON w.institution_no = c.institution_no
    LEFT JOIN absence_pct a ON a.institution_no = c.institution_no
    LEFT JOIN exam x ON x.institution_no = c.institution_no
    LEFT JOIN socio so ON so.institution_no = c.institution_no
    LEFT JOIN published pub ON pub.institution_no = c.institution_no AND pub.measure = m.indicator
),
judged AS (
    -- a school's own figure from its pupils where the store has them (at least 5), else the published one
    SELECT institution_no, indicator, higher_is_better,
           CASE WHEN own IS NOT NULL AND own_n >= 5 THEN own WHEN own IS NULL THEN published END AS value,
           CASE WHEN own IS NOT NULL THEN own_n ELSE published_n END AS n,
           own IS NULL AND published IS NOT NULL AS is_published
    FROM values
),
ranked AS (
    SELECT *, rank() OVER (PARTITION BY indicator ORDER BY CASE WHEN higher_is_better THEN -value ELSE value END)
              AS place,
           count(*) OVER (PARTITION BY indicator) AS ranked
    FROM judged WHERE value IS NOT NULL
)
SELECT 'profile' AS kind, 'profile' AS indicator,
       me.expected_average AS school_value, (SELECT avg(expected_average) FROM standard WHERE institution_no IN
           (SELECT institution_no FROM peers)) AS peer_value,
       me.bilingual_share AS school_bilingual_share,
       (SELECT avg(bilingual_share) FROM standard WHERE institution_no IN (SELECT institution_no FROM peers))
           AS peer_bilingual_share,
       me.pupils::BIGINT AS school_pupils,
       (SELECT avg(pupils) FROM standard WHERE institution_no IN (SELECT institution_no FROM peers)) AS peer_pupils,
       (SELECT count(*) FROM peers) AS peers, (SELECT count(*) FROM complete) AS schools,
       NULL::BIGINT AS place, NULL::BIGINT AS ranked, NULL::BOOLEAN AS school_published,
       me.pupils::BIGINT AS n
FROM me
UNION ALL
SELECT 'indicator', m.indicator,
       own.value, CASE WHEN count(p.value) >= $min_peers THEN avg(p.value) END,
       NULL, NULL, NULL, NULL, count(p.value), NULL,
       CASE WHEN count(p.value) >= $min_peers THEN any_value(r.place) END,
       CASE WHEN count(p.value) >= $min_peers THEN any_value(r.ranked) END,
       own.is_published, coalesce(own.n, 0)::BIGINT
FROM measures m
LEFT JOIN judged own ON own.indicator = m.indicator AND own.institution_no = $school
LEFT JOIN judged p ON p.indicator = m.indicator AND p.institution_no IN (SELECT institution_no FROM peers)
LEFT JOIN ranked r ON r.indicator = m.indicator AND r.institution_no = $school
WHERE EXISTS (SELECT 1 FROM me)
GROUP BY m.indicator, own.value, own.is_published, own.n
ORDER BY kind DESC, indicator;
