-- One of the team's tests task by task: every pupil's points per task with the task's area,
-- signal word and maximum (the item matrix of seed 003, Ullerup Bæk Skole). The class is the
-- pupil's in the register that school year. Pupil level: never for kommune; a team only its grades.
-- level: pupil
-- scope: school
-- roles: ledelse, team, admin
SELECT r.institution_no, r.grade, st.class_name, r.student_key,
       coalesce(st.display_name, 'Elev ' || r.student_key) AS pupil,
       r.task_no, r.task_order, r.area, r.signal_word, r.max_points, r.max_given, r.points
FROM team_test_result r
JOIN student st USING (school_year, student_key, institution_no)
WHERE r.institution_no = $school AND r.school_year = $school_year AND r.grade = $grade
  AND r.test_name = $test_name AND r.taken_on = $taken_on
ORDER BY st.class_name, pupil, r.task_order;
