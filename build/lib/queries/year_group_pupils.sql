-- The pupils of one school's grade in a school year, with their absence this year: the team's
-- pupil-by-pupil view. Pupil level: never for the kommune role; a team sees only its grades.
-- level: pupil
-- scope: school
SELECT st.institution_no, st.school_year, st.grade, st.class_name, st.student_key, st.gender,
       st.special_class, st.reception_class, st.reduced_timetable,
       round(sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
             / nullif(sum(a.school_days), 0), 1) AS absence_pct
FROM student st
LEFT JOIN absence_year a USING (school_year, student_key, institution_no)
WHERE st.institution_no = $school AND st.school_year = $school_year AND st.grade = $grade
GROUP BY ALL
ORDER BY st.class_name, st.student_key;
