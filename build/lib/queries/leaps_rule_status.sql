-- LEAPS status against the programme's rules (leaps_rule, leaps_subject) per year group of a
-- school in one school year: courses against the required number, courses outside the allowed
-- length, company courses, and the subjects the year group should have met but has not.
-- level: reference
-- scope: school
WITH rules AS (SELECT rule, value FROM leaps_rule),
year_groups AS (
    SELECT DISTINCT grade FROM student
    WHERE institution_no = $school AND school_year = $school_year AND NOT special_class
),
courses AS (SELECT * FROM leaps_course WHERE institution_no = $school AND school_year = $school_year),
per_group AS (
    SELECT y.grade,
           count(c.course_id) AS courses,
           count(c.course_id) FILTER (WHERE c.weeks < (SELECT value FROM rules WHERE rule = 'min_weeks')
                                       OR c.weeks > (SELECT value FROM rules WHERE rule = 'max_weeks')) AS wrong_length,
           count(c.company_partner) AS company_courses,
           count(c.course_id) FILTER (WHERE NOT c.description_shared) AS descriptions_missing,
           count(c.course_id) FILTER (WHERE NOT c.evaluation_done) AS evaluations_missing,
           flatten(list(c.subjects) FILTER (WHERE c.course_id IS NOT NULL)) AS covered
    FROM year_groups y LEFT JOIN courses c ON c.year_group = y.grade
    GROUP BY y.grade
)
SELECT $school AS institution_no, p.grade, p.courses,
       (SELECT value FROM rules WHERE rule = 'courses_per_year')::INTEGER AS courses_required,
       p.wrong_length, p.company_courses,
       (SELECT value FROM rules WHERE rule = 'company_courses_per_year_group')::INTEGER AS company_required,
       p.descriptions_missing, p.evaluations_missing,
       list_sort(list_filter((SELECT list(subject) FROM leaps_subject s WHERE p.grade BETWEEN s.from_grade AND s.to_grade),
                             lambda x: NOT list_contains(coalesce(p.covered, []), x))) AS subjects_missing
FROM per_group p
ORDER BY p.grade;
