-- The ministry's published figures for one school (uddannelsesstatistik.dk), per school year and
-- measure, whole-school rows only (no grade or gender breakdown), with the municipality and country
-- values published beside them, the ministry's own significance where it publishes one (the
-- socio-economic reference) and the day they were retrieved. One row per department.
-- Already blanked by the ministry below 5 pupils, so reference data here, not re-suppressed.
-- level: reference
-- scope: school
SELECT f.school_year, f.measure, f.department_no, f.department_name, f.school_value AS value,
       f.municipality_value, f.country_value, f.n, f.note, f.retrieved_on
FROM published_school_figure f
WHERE f.institution_no = $school
  AND f.breakdown = 'alle'
  AND list_contains($years, f.school_year)
ORDER BY 1, 2, 3;
