-- The measured criteria of one of the school's projects: baseline and endline share of favourable
-- answers for the criterion's respondent group and question, with each wave's n (respondents).
-- level: aggregate
-- scope: school
-- keys: criterion_id, text, respondent_group, target_change
-- n: n
SELECT c.criterion_id, c.text, c.respondent_group, c.target_change,
       b.share_favourable * 100 AS baseline, b.n AS baseline_n, b.measured_on AS baseline_on,
       e.share_favourable * 100 AS endline, e.n AS endline_n, e.measured_on AS endline_on,
       least(coalesce(b.n, 0), coalesce(e.n, 0)) AS n
FROM project_criterion c
JOIN school_project p USING (project_id)
LEFT JOIN survey_result b ON b.survey_id = p.survey_id AND b.institution_no = p.institution_no
     AND b.wave = 'baseline' AND b.respondent_group = c.respondent_group AND b.question_id = c.question_id
LEFT JOIN survey_result e ON e.survey_id = p.survey_id AND e.institution_no = p.institution_no
     AND e.wave = 'endline' AND e.respondent_group = c.respondent_group AND e.question_id = c.question_id
WHERE p.institution_no = $school AND c.project_id = $project_id AND c.kind = 'måling'
ORDER BY length(c.criterion_id), c.criterion_id;
