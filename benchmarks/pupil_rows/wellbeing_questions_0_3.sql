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
-- Per answer the pupil: the chart's n is the distinct respondents, which no summary holds yet.
answers AS (
    SELECT lvl.level, a.question_id, a.answer_option, st.student_key
    FROM student st
    JOIN wellbeing_answer a USING (school_year, student_key, institution_no)
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE st.institution_no IN (SELECT institution_no FROM peers) AND st.school_year = $school_year
      AND st.grade BETWEEN 0 AND 3 AND ($grade = -1 OR st.grade = $grade)
      AND (lvl.level = 'kommune' OR st.institution_no = $school)
),
per_question AS (SELECT level, question_id, count(*) AS n FROM answers GROUP BY ALL),
respondents AS (SELECT level, count(DISTINCT student_key) AS pupils FROM answers GROUP BY ALL)
SELECT pq.level, q.question_id, q.sort_order, q.text, o.option_no, o.label,
       (o.option_no = 1) = q.first_option_best AS is_best,
       count(a.question_id) * 100.0 / any_value(pq.n) AS share,
       any_value(pq.n) AS n, any_value(r.pupils) AS pupils
FROM wellbeing_question q
JOIN wellbeing_answer_scale o ON o.scale = q.scale
JOIN per_question pq ON pq.question_id = q.question_id
JOIN respondents r ON r.level = pq.level
LEFT JOIN answers a ON a.question_id = q.question_id AND a.answer_option = o.option_no AND a.level = pq.level
WHERE q.grade_band = '0-3' AND pq.level IS NOT NULL
GROUP BY pq.level, q.question_id, q.sort_order, q.text, o.option_no, o.label, q.first_option_best
ORDER BY q.sort_order, o.option_no, pq.level;
