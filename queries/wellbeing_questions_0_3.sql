-- The 0.-3. grade questionnaire as asked: per question, the share of respondents per answer,
-- for a school (optionally one grade: $grade, or -1 for all of 0.-3.) and its municipality;
-- `pupils`: the distinct respondents of the level (the chart's n: each pupil answers every question).
-- level: aggregate
-- scope: school
-- keys: level, question_id, sort_order, text, option_no, label, is_best
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
-- The school's municipality's schools; used as a semi-join, so DuckDB reads only their blocks (migration 8).
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
-- Answers per question and option from the answer summary (migration 20).
answers AS (
    SELECT lvl.level, a.question_id, a.answer_option, sum(a.n) AS n
    FROM wellbeing_answer_summary a
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE a.institution_no IN (SELECT institution_no FROM peers) AND a.school_year = $school_year
      AND a.grade BETWEEN 0 AND 3 AND ($grade = -1 OR a.grade = $grade)
      AND (lvl.level = 'kommune' OR a.institution_no = $school)
    GROUP BY ALL
),
per_question AS (SELECT level, question_id, sum(n) AS n FROM answers GROUP BY ALL),
-- The respondents from the pupil summary (migration 22): a pupil is in one school a year, so the
-- schools' respondents add up to the municipality's.
respondents AS (
    SELECT lvl.level, sum(p.respondents) AS pupils
    FROM pupil_summary p
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE p.institution_no IN (SELECT institution_no FROM peers) AND p.school_year = $school_year
      AND p.grade BETWEEN 0 AND 3 AND ($grade = -1 OR p.grade = $grade)
      AND (lvl.level = 'kommune' OR p.institution_no = $school)
    GROUP BY ALL
)
SELECT pq.level, q.question_id, q.sort_order, q.text, o.option_no, o.label,
       (o.option_no = 1) = q.first_option_best AS is_best,
       coalesce(any_value(a.n), 0) * 100.0 / any_value(pq.n) AS share,
       any_value(pq.n)::BIGINT AS n, any_value(r.pupils)::BIGINT AS pupils
FROM wellbeing_question q
JOIN wellbeing_answer_scale o ON o.scale = q.scale
JOIN per_question pq ON pq.question_id = q.question_id
JOIN respondents r ON r.level = pq.level
LEFT JOIN answers a ON a.question_id = q.question_id AND a.answer_option = o.option_no AND a.level = pq.level
WHERE q.grade_band = '0-3' AND pq.level IS NOT NULL
GROUP BY pq.level, q.question_id, q.sort_order, q.text, o.option_no, o.label, q.first_option_best
ORDER BY q.sort_order, o.option_no, pq.level;
