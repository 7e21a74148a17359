-- Summaries of the pupil-level results (migration 17) for the schools and school years in the
-- registered relation `summary_scope` (institution_no, school_year): the sufficient statistics per
-- school × school year × grade × gender × class (× subject or band) from which the screens' figures
-- and their uncertainty are computed without reading a pupil row. Kept by every writer of the
-- pupil tables or the register, in the writer's transaction (data/summaries.py).
-- A pupil counts where the pupil-level row's school is the register's that year (the join the
-- screens' queries always made).
DELETE FROM exam_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- Bound exams: per pupil the sum and count of the bound grades. n_complete, sum_complete and
-- sumsq_complete cover the pupils with all 8 (the published average's rule: a pupil's average is
-- sum / 8); the marks are every bound grade, and pupils_bound every pupil with at least one.
INSERT INTO exam_summary
WITH per_pupil AS (
    SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
           st.student_key, count(*) AS grades, sum(e.grade::INTEGER) AS points,
           count(*) FILTER (WHERE e.grade = -3) AS m_minus3, count(*) FILTER (WHERE e.grade = 0) AS m00,
           count(*) FILTER (WHERE e.grade = 2) AS m02, count(*) FILTER (WHERE e.grade = 4) AS m04,
           count(*) FILTER (WHERE e.grade = 7) AS m07, count(*) FILTER (WHERE e.grade = 10) AS m10,
           count(*) FILTER (WHERE e.grade = 12) AS m12
    FROM student st
    JOIN exam_grade e USING (school_year, student_key, institution_no)
    WHERE e.bound AND (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
    GROUP BY ALL
)
SELECT school_year, institution_no, grade, gender, class_name, special_class,
       count(*) AS pupils_bound,
       count(*) FILTER (WHERE grades = 8) AS n_complete,
       coalesce(sum(points) FILTER (WHERE grades = 8), 0) AS sum_complete,
       coalesce(sum(points * points) FILTER (WHERE grades = 8), 0) AS sumsq_complete,
       sum(grades) AS bound_grades,
       sum(m_minus3), sum(m00), sum(m02), sum(m04), sum(m07), sum(m10), sum(m12)
FROM per_pupil
GROUP BY ALL
ORDER BY school_year, institution_no;

DELETE FROM exam_subject_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

INSERT INTO exam_subject_summary
SELECT st.school_year, st.institution_no, st.grade, st.gender, st.class_name, st.special_class,
       e.subject, e.bound, count(*) AS n, sum(e.grade) AS sum_grade, sum(e.grade::INTEGER * e.grade) AS sumsq_grade
FROM student st
JOIN exam_grade e USING (school_year, student_key, institution_no)
WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
GROUP BY ALL
ORDER BY st.school_year, st.institution_no;

DELETE FROM national_test_summary WHERE (institution_no, school_year) IN
    (SELECT institution_no, school_year FROM summary_scope);

-- National tests: results per band of national_test_band (the band with the highest lower limit
-- at or below the pupil's share correct; NULL below every band) and the sum of the points, per
-- maximum (so the mean share correct is exact and the same whatever order the rows were written in).
INSERT INTO national_test_summary
WITH results AS (
    SELECT st.school_year, st.institution_no, t.grade, st.gender, st.class_name, t.subject, t.profile_area,
           t.max_points, t.points, t.points::DOUBLE / t.max_points AS share_correct
    FROM student st
    JOIN national_test t USING (school_year, student_key, institution_no)
    WHERE (st.institution_no, st.school_year) IN (SELECT institution_no, school_year FROM summary_scope)
)
SELECT r.school_year, r.institution_no, r.grade, r.gender, r.class_name, r.subject, r.profile_area, r.max_points,
       b.band, count(*) AS n, sum(r.points) AS sum_points
FROM results r
ASOF LEFT JOIN national_test_band b ON r.share_correct >= b.lower_share
GROUP BY ALL
ORDER BY r.profile_area, r.school_year, r.institution_no;  -- one area's rows together: the screens read 'samlet'
