-- "Deltagelsesmuligheder for alle": participation indicators for a school per school year, for the
-- whole school, per department (indskoling, mellemtrin, udskoling, specialklasser) and per grade.
-- Each pupil contributes a value per indicator; the unit's value is the mean (a share in % for
-- yes/no indicators) over the pupils with a value.
-- level: aggregate
-- scope: school
-- keys: school_year, unit_kind, unit, unit_order, indicator
-- n: n
-- partition: school_year, unit_kind, indicator
WITH absence_pct AS (
    SELECT st.school_year, st.student_key,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0 / nullif(sum(a.school_days), 0) AS pct
    FROM student st JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE st.institution_no = $school AND list_contains($years, st.school_year)
    GROUP BY ALL
),
pupils AS (
    SELECT st.school_year, st.student_key, st.grade, st.special_class, st.reduced_timetable,
           CASE WHEN st.special_class THEN 'Specialklasser'
                WHEN st.grade <= 3 THEN 'Indskoling (0.–3.)'
                WHEN st.grade <= 6 THEN 'Mellemtrin (4.–6.)'
                ELSE 'Udskoling (7.–9.)' END AS department,
           CASE WHEN st.special_class THEN 4 WHEN st.grade <= 3 THEN 1 WHEN st.grade <= 6 THEN 2 ELSE 3 END AS department_order,
           ab.pct AS absence_pct, soc.score AS social, sup.score AS stoette
    FROM student st
    LEFT JOIN absence_pct ab USING (school_year, student_key)
    LEFT JOIN wellbeing_score soc ON soc.school_year = st.school_year AND soc.student_key = st.student_key
         AND soc.institution_no = st.institution_no
         AND soc.indicator = 'social'
    LEFT JOIN wellbeing_score sup ON sup.school_year = st.school_year AND sup.student_key = st.student_key
         AND sup.institution_no = st.institution_no
         AND sup.indicator = 'stoette'
    WHERE st.institution_no = $school AND list_contains($years, st.school_year)
),
values AS (
    SELECT p.school_year, p.grade, p.department, p.department_order, v.indicator, v.value
    FROM pupils p,
    LATERAL (VALUES ('absence_over10', CASE WHEN p.absence_pct IS NULL THEN NULL ELSE (p.absence_pct > $high_above_pct)::INTEGER * 100.0 END),
                    ('low_social', CASE WHEN p.social IS NULL THEN NULL ELSE (p.social <= $low_social)::INTEGER * 100.0 END),
                    ('stoette', p.stoette),
                    ('general_class', (NOT p.special_class)::INTEGER * 100.0),
                    ('reduced_timetable', p.reduced_timetable::INTEGER * 100.0)) v(indicator, value)
    WHERE v.value IS NOT NULL
)
SELECT school_year, 'skole' AS unit_kind, 'Hele skolen' AS unit, 0 AS unit_order, indicator,
       avg(value) AS value, stddev_samp(value) AS sd, count(*) AS n
FROM values GROUP BY ALL
UNION ALL
SELECT school_year, 'afdeling', department, department_order, indicator, avg(value), stddev_samp(value), count(*)
FROM values GROUP BY ALL
UNION ALL
SELECT school_year, 'klassetrin', grade::VARCHAR || '. klasse', grade, indicator, avg(value), stddev_samp(value), count(*)
FROM values GROUP BY ALL
ORDER BY school_year, unit_kind, unit_order, indicator;
