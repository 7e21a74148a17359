-- For each grade 4-9 of a school in one school year: mean absence and mean social well-being of
-- the same pupils (pupils with both), to see whether they go together.
-- level: aggregate
-- scope: school
-- keys: school_year_key, grade
-- n: n
-- partition: school_year_key
WITH per_pupil AS (
    SELECT st.student_key, st.grade,
           sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
               / nullif(sum(a.school_days), 0) AS pct
    FROM student st JOIN absence_year a USING (school_year, student_key, institution_no)
    WHERE st.institution_no = $school AND st.school_year = $school_year AND st.grade BETWEEN 4 AND 9
    GROUP BY ALL
)
SELECT 'alle' AS school_year_key, p.grade, avg(p.pct) AS absence_mean, avg(w.score) AS social_mean,
       count(*) AS n
FROM per_pupil p
JOIN wellbeing_score w ON w.student_key = p.student_key AND w.school_year = $school_year AND w.institution_no = $school
     AND w.indicator = 'social'
WHERE p.pct IS NOT NULL
GROUP BY ALL
ORDER BY p.grade;
