-- The questions behind one indicator (4.-9. grade): each question's mean score (1-5, 5 best)
-- at the school this year and last year, and in the municipality this year (over all its pupils,
-- the school's included), each with its spread and n for the noise rule; `pupils`: the distinct pupils
-- at the school this year who answered any of the questions (the chart's n: a pupil answers many).
-- level: aggregate
-- scope: school
-- keys: question_id, text
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
-- Answers per question and option from the well-being summary (migration 20), scored 1-5 (5 best).
scored AS (
    SELECT s.school_year, s.institution_no = $school AS at_school, q.question_id, q.text, s.n,
           CASE WHEN q.first_option_best THEN q.n_options + 1 - s.answer_option ELSE s.answer_option END AS score
    FROM wellbeing_answer_summary s
    JOIN wellbeing_question q USING (question_id)
    WHERE s.institution_no IN (SELECT institution_no FROM peers)
      AND s.school_year IN ($school_year, $previous_year)
      AND q.grade_band = '4-9' AND ($indicator = 'generel' AND q.indicator IS NOT NULL OR q.indicator = $indicator)
),
pupils AS (
    SELECT sum(w.n)::BIGINT AS pupils FROM wellbeing_summary w
    WHERE w.institution_no = $school AND w.school_year = $school_year AND w.grade BETWEEN 4 AND 9
      AND w.indicator = $indicator
),
summed AS (
    SELECT question_id, text,
           sum(n) FILTER (WHERE at_school AND school_year = $school_year) AS n_n,
           sum(n * score) FILTER (WHERE at_school AND school_year = $school_year)::DOUBLE AS t_n,
           sum(n * score * score) FILTER (WHERE at_school AND school_year = $school_year)::DOUBLE AS q_n,
           sum(n) FILTER (WHERE at_school AND school_year = $previous_year) AS n_p,
           sum(n * score) FILTER (WHERE at_school AND school_year = $previous_year)::DOUBLE AS t_p,
           sum(n * score * score) FILTER (WHERE at_school AND school_year = $previous_year)::DOUBLE AS q_p,
           sum(n) FILTER (WHERE school_year = $school_year) AS n_m,
           sum(n * score) FILTER (WHERE school_year = $school_year)::DOUBLE AS t_m,
           sum(n * score * score) FILTER (WHERE school_year = $school_year)::DOUBLE AS q_m
    FROM scored
    GROUP BY ALL
)
SELECT question_id, text,
       t_n / n_n AS mean, CASE WHEN n_n > 1 THEN sqrt(greatest((q_n - t_n * t_n / n_n) / (n_n - 1), 0)) END AS sd,
       t_p / n_p AS previous_mean, CASE WHEN n_p > 1 THEN sqrt(greatest((q_p - t_p * t_p / n_p) / (n_p - 1), 0)) END AS previous_sd,
       coalesce(n_p, 0)::BIGINT AS previous_n,
       t_m / n_m AS municipality_mean, CASE WHEN n_m > 1 THEN sqrt(greatest((q_m - t_m * t_m / n_m) / (n_m - 1), 0)) END AS municipality_sd,
       coalesce(n_m, 0)::BIGINT AS municipality_n,
       coalesce(n_n, 0)::BIGINT AS n, pupils.pupils
FROM summed CROSS JOIN pupils
ORDER BY question_id;
