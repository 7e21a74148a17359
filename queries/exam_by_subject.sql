-- 9th-grade exams in one school year: mean grade per subject/discipline for a school and its
-- municipality (special-class pupils left out, as in the published average). From the result
-- summaries (migration 17).
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
)
SELECT level, subject, bound, total / n AS mean,
       CASE WHEN n > 1 THEN sqrt(greatest((squares - total * total / n) / (n - 1), 0)) END AS sd, n
FROM groups
ORDER BY level, bound DESC, subject;
