-- LEAPS courses carried out (ended by $as_of) against the required number, per school of the
-- municipality in one school year (schools in the programme only). Counts courses, not pupils.
-- level: reference
-- scope: none
-- roles: kommune, admin
WITH schools AS (
    SELECT institution_no, name AS school_name FROM school
    WHERE municipality_code = $municipality AND in_leaps
      AND ($scope_schools IS NULL OR list_contains($scope_schools, institution_no))
),
-- the year groups from the pupil summary (migration 22), of these schools only
year_groups AS (
    SELECT institution_no, count(DISTINCT grade) AS year_groups FROM pupil_summary
    WHERE school_year = $school_year AND NOT special_class AND n > 0
      AND institution_no IN (SELECT institution_no FROM schools)
    GROUP BY 1
),
done AS (
    SELECT institution_no, count(*) AS courses_done FROM leaps_course
    WHERE school_year = $school_year AND end_date <= $as_of GROUP BY 1
)
SELECT s.institution_no, s.school_name, coalesce(d.courses_done, 0) AS courses_done,
       (y.year_groups * (SELECT value FROM leaps_rule WHERE rule = 'courses_per_year'))::INTEGER AS courses_required
FROM schools s JOIN year_groups y USING (institution_no) LEFT JOIN done d USING (institution_no)
ORDER BY s.school_name;
