-- Pupil indicator scores from raw answers, by the official rule: the mean of the pupil's scored
-- answers to the indicator's questions, counted only with answers to at least half of them.
-- 'generel' is the mean over all indicator questions. Runs after every well-being load, for the
-- school years in $years; rows are written in school order (see migration 8).
DELETE FROM wellbeing_score WHERE list_contains($years, school_year);

INSERT INTO wellbeing_score (school_year, student_key, institution_no, indicator, score, n_answers)
WITH scored AS (
    SELECT a.school_year, a.student_key, a.institution_no, q.indicator,
           CASE WHEN q.first_option_best THEN q.n_options + 1 - a.answer_option
                ELSE a.answer_option END AS score
    FROM wellbeing_answer a
    JOIN wellbeing_question q USING (question_id)
    WHERE q.indicator IS NOT NULL AND q.grade_band = '4-9' AND list_contains($years, a.school_year)
),
per_indicator AS (
    SELECT school_year, student_key, institution_no, indicator, avg(score) AS score, count(*) AS n_answers
    FROM scored GROUP BY ALL
    UNION ALL
    SELECT school_year, student_key, institution_no, 'generel', avg(score), count(*)
    FROM scored GROUP BY school_year, student_key, institution_no
),
n_questions AS (
    SELECT indicator, count(*) AS n FROM wellbeing_question
    WHERE indicator IS NOT NULL AND grade_band = '4-9' GROUP BY indicator
    UNION ALL
    SELECT 'generel', count(*) FROM wellbeing_question
    WHERE indicator IS NOT NULL AND grade_band = '4-9'
)
SELECT p.school_year, p.student_key, p.institution_no, p.indicator, p.score, p.n_answers
FROM per_indicator p JOIN n_questions q USING (indicator)
WHERE p.n_answers * 2 >= q.n
ORDER BY p.school_year, p.institution_no, p.student_key;
