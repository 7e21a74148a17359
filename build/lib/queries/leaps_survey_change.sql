-- The LEAPS programme survey for a school: each question's share of favourable answers this
-- year and last year, per respondent group, with n (n is respondents, not pupils).
-- level: aggregate
-- scope: school
-- keys: respondent_group, question_id, question_text
-- n: n
SELECT r.respondent_group, r.question_id, any_value(r.question_text) AS question_text,
       any_value(r.share_favourable * 100) FILTER (WHERE r.school_year = $school_year) AS share,
       any_value(r.n) FILTER (WHERE r.school_year = $school_year) AS n,
       any_value(r.share_favourable * 100) FILTER (WHERE r.school_year = $previous_year) AS previous_share,
       any_value(r.n) FILTER (WHERE r.school_year = $previous_year) AS previous_n,
       any_value(r.measured_on) FILTER (WHERE r.school_year = $school_year) AS measured_on
FROM survey_result r
WHERE r.survey_id = 'leaps_programme' AND r.institution_no = $school
  AND r.school_year IN ($school_year, $previous_year)
GROUP BY r.respondent_group, r.question_id
ORDER BY r.respondent_group, r.question_id;
