-- LEAPS: courses carried out (ended by $as_of) against the required number (year groups with
-- pupils times the configured courses per year), for a school, per school year. A school is
-- in the programme from the first school year with a registered course.
-- level: reference
-- scope: school
WITH rule AS (SELECT value AS per_year FROM leaps_rule WHERE rule = 'courses_per_year'),
year_groups AS (
    SELECT school_year, count(DISTINCT grade) AS year_groups
    FROM student WHERE institution_no = $school AND list_contains($years, school_year)
      AND NOT special_class
    GROUP BY school_year
),
first_year AS (SELECT min(school_year) AS first_year FROM leaps_course WHERE institution_no = $school),
done AS (
    SELECT school_year, count(*) AS courses_done
    FROM leaps_course
    WHERE institution_no = $school AND list_contains($years, school_year) AND end_date <= $as_of
    GROUP BY school_year
)
SELECT s.institution_no, y.school_year,
       s.in_leaps AND y.school_year >= (SELECT first_year FROM first_year) AS in_programme,
       coalesce(d.courses_done, 0) AS courses_done,
       (y.year_groups * (SELECT per_year FROM rule))::INTEGER AS courses_required,
       y.year_groups
FROM school s
JOIN year_groups y ON true
LEFT JOIN done d USING (school_year)
WHERE s.institution_no = $school
ORDER BY y.school_year;
