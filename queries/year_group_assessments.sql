-- The team's 1-5 assessment grid for one year group: each pupil of the year group with every
-- assessment from this and last school year (never well-being answers).
-- level: pupil
-- scope: school
-- pupils: school
SELECT st.institution_no, st.grade, st.class_name, st.student_key,
       coalesce(st.display_name, 'Elev ' || st.student_key) AS pupil,
       pa.school_year, pa.term, pa.area, pa.score, pa.assessed_by, pa.assessed_at
FROM student st
LEFT JOIN pupil_assessment pa ON pa.student_key = st.student_key AND pa.school_year IN ($school_year, $previous_year)
WHERE st.institution_no = $school AND st.school_year = $school_year AND st.grade = $grade
ORDER BY st.class_name, pupil, pa.school_year, pa.term DESC, pa.area;
