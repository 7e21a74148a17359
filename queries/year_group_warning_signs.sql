-- Pupils of one year group with several warning signs at once: more than 10 % absence this school
-- year, an assessment of 1-2 in the newest term, the bottom level in a national test this year.
-- Plain signals side by side, no score. Never well-being answers.
-- level: pupil
-- scope: school
-- pupils: school
WITH pupils AS (
    SELECT * FROM student WHERE institution_no = $school AND school_year = $school_year AND grade = $grade
),
absence_pct AS (
    SELECT p.student_key, sum(a.illness_days + a.authorised_days + a.unauthorised_days) * 100.0
           / nullif(sum(a.school_days), 0) AS pct
    FROM pupils p JOIN absence_year a USING (school_year, student_key, institution_no) GROUP BY 1
),
newest_term AS (
    SELECT max_by(term, CASE term WHEN 'forår' THEN 2 ELSE 1 END) AS term
    FROM pupil_assessment JOIN pupils USING (school_year, student_key)
),
low_assessments AS (
    SELECT pa.student_key, list(pa.area ORDER BY pa.area) AS areas
    FROM pupil_assessment pa JOIN pupils p USING (school_year, student_key)
    WHERE pa.term = (SELECT term FROM newest_term) AND pa.score <= 2
    GROUP BY 1
),
bottom_tests AS (
    SELECT t.student_key, list(t.subject ORDER BY t.subject) AS subjects
    FROM national_test t JOIN pupils p USING (school_year, student_key, institution_no)
    WHERE t.profile_area = 'samlet'
      AND t.points::DOUBLE / t.max_points < (SELECT lower_share FROM national_test_band WHERE band = 'ikke_gode')
    GROUP BY 1
),
signals AS (
    SELECT p.institution_no, p.grade, p.class_name, p.student_key,
           coalesce(p.display_name, 'Elev ' || p.student_key) AS pupil,
           ab.pct AS absence_pct, la.areas AS low_assessment_areas, bt.subjects AS bottom_test_subjects,
           (coalesce(ab.pct, 0) > $high_above_pct)::INTEGER + (la.areas IS NOT NULL)::INTEGER
               + (bt.subjects IS NOT NULL)::INTEGER AS signal_count
    FROM pupils p
    LEFT JOIN absence_pct ab USING (student_key)
    LEFT JOIN low_assessments la USING (student_key)
    LEFT JOIN bottom_tests bt USING (student_key)
)
SELECT * FROM signals WHERE signal_count >= $min_signals
ORDER BY signal_count DESC, class_name, pupil;
