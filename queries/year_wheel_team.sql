-- The team's own data points of a school year on the yearly wheel: the rounds of 1-5 assessments and
-- learning triangles (first and last day entered) and the team's own tests, per grade. Dates only, but
-- the team's data: never for kommune, and a team sees its own grades only (rows carry the grade).
-- level: reference
-- scope: school
-- pupils: school
-- roles: ledelse, team, admin
SELECT $school AS institution_no, e.* FROM (
    SELECT 'vurdering' AS kind, 'Vurderinger 1–5 (' || pa.term || ')' AS title, CAST(min(pa.assessed_at) AS DATE)
           AS starts_on, CAST(max(pa.assessed_at) AS DATE) AS ends_on, st.grade, 'årgangsteamets vurderinger' AS source
    FROM pupil_assessment pa
    JOIN student st ON st.school_year = pa.school_year AND st.student_key = pa.student_key
    WHERE st.institution_no = $school AND pa.school_year = $school_year
    GROUP BY pa.term, st.grade
    UNION ALL
    SELECT 'vurdering', 'Læringstrekant, ' || p.round || '. runde', CAST(min(p.placed_at) AS DATE),
           CAST(max(p.placed_at) AS DATE), st.grade, 'teamets placeringer'
    FROM triangle_placement p
    JOIN student st ON st.school_year = p.school_year AND st.student_key = p.student_key
    WHERE st.institution_no = $school AND p.school_year = $school_year
    GROUP BY p.round, st.grade
    UNION ALL
    SELECT DISTINCT 'teamprøve', 'Teamets prøve: ' || test_name, taken_on, taken_on, grade, 'teamets egne prøver'
    FROM team_test_result WHERE institution_no = $school AND school_year = $school_year
) e
ORDER BY starts_on, title, grade;
