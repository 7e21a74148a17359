-- The questions behind one indicator (4.-9. grade): each question's mean score (1-5, 5 best)
-- at the school this year and last year, and in the municipality this year (over all its pupils,
-- the school's included), each with its spread and n for the noise rule.
-- level: aggregate
-- scope: school
-- keys: question_id, text
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
scored AS (
    SELECT st.school_year, st.institution_no = $school AS at_school, q.question_id, q.text,
           CASE WHEN q.first_option_best THEN q.n_options + 1 - a.answer_option ELSE a.answer_option END AS score
    FROM student st
    JOIN wellbeing_answer a USING (school_year, student_key, institution_no)
    JOIN wellbeing_question q USING (question_id)
    WHERE st.institution_no IN (SELECT institution_no FROM peers)
      AND st.school_year IN ($school_year, $previous_year)
      AND q.grade_band = '4-9' AND ($indicator = 'generel' AND q.indicator IS NOT NULL OR q.indicator = $indicator)
)
SELECT question_id, text,
       avg(score) FILTER (WHERE at_school AND school_year = $school_year) AS mean,
       stddev_samp(score) FILTER (WHERE at_school AND school_year = $school_year) AS sd,
       avg(score) FILTER (WHERE at_school AND school_year = $previous_year) AS previous_mean,
       stddev_samp(score) FILTER (WHERE at_school AND school_year = $previous_year) AS previous_sd,
       count(*) FILTER (WHERE at_school AND school_year = $previous_year) AS previous_n,
       avg(score) FILTER (WHERE school_year = $school_year) AS municipality_mean,
       stddev_samp(score) FILTER (WHERE school_year = $school_year) AS municipality_sd,
       count(*) FILTER (WHERE school_year = $school_year) AS municipality_n,
       count(*) FILTER (WHERE at_school AND school_year = $school_year) AS n
FROM scored
GROUP BY ALL
ORDER BY question_id;
