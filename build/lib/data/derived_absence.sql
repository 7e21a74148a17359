-- absence_year from absence for the schools and school years in the registered relation
-- `absence_scope` (institution_no, school_year): the sum of each pupil's months (migration 9).
DELETE FROM absence_year WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM absence_scope);

INSERT INTO absence_year
SELECT a.school_year, a.student_key, a.institution_no, sum(a.school_days), sum(a.illness_days),
       sum(a.authorised_days), sum(a.unauthorised_days), count(*)
FROM absence a
WHERE (a.institution_no, a.school_year) IN (SELECT institution_no, school_year FROM absence_scope)
GROUP BY ALL
ORDER BY a.school_year, a.institution_no, a.student_key;
