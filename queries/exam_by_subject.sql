-- 9th-grade exams in one school year: mean grade per subject/discipline for a school and its
-- municipality (special-class pupils left out, as in the published average). From the result
-- summaries (migration 17). `pupils`: the distinct pupils behind the level's chart, those with at least
-- one bound grade (a pupil sits several subjects, so no subject's n and no sum of them is that number;
-- a pupil with only an unbound grade is counted through the largest subject's n at the least).
-- level: aggregate
-- scope: school
-- keys: level, subject, bound
-- n: n
WITH target AS (SELECT municipality_code FROM school WHERE institution_no = $school),
peers AS (SELECT institution_no FROM school WHERE municipality_code = (SELECT municipality_code FROM target)),
groups AS (
    SELECT lvl.level, e.subject, e.bound, sum(e.n)::BIGINT AS n, sum(e.sum_grade)::DOUBLE AS total,
           sum(e.sumsq_grade)::DOUBLE AS squares
    FROM exam_subject_summary e
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE e.institution_no IN (SELECT institution_no FROM peers) AND e.school_year = $school_year
      AND NOT e.special_class AND (lvl.level = 'kommune' OR e.institution_no = $school)
    GROUP BY ALL
),
pupils AS (
    SELECT lvl.level, sum(e.pupils_bound)::BIGINT AS pupils
    FROM exam_summary e
    CROSS JOIN (VALUES ('skole'), ('kommune')) lvl(level)
    WHERE e.institution_no IN (SELECT institution_no FROM peers) AND e.school_year = $school_year
      AND NOT e.special_class AND (lvl.level = 'kommune' OR e.institution_no = $school)
    GROUP BY ALL
)
SELECT g.level, g.subject, g.bound, g.total / g.n AS mean,
       CASE WHEN g.n > 1 THEN sqrt(greatest((g.squares - g.total * g.total / g.n) / (g.n - 1), 0)) END AS sd, g.n,
       greatest(coalesce(p.pupils, 0), max(g.n) OVER (PARTITION BY g.level)) AS pupils
FROM groups g LEFT JOIN pupils p USING (level)
ORDER BY g.level, g.bound DESC, g.subject;
