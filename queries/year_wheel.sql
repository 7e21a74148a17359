-- The data points of a school year that anyone with the school in scope may plan by (the yearly wheel,
-- seed 003: Munkevængets Skole): the national well-being survey's window, the national tests as the
-- store has them (first and last test day per subject and grade), the exam period when the school has
-- a 9th grade, the SUS, LEAPS courses, the imports of the year's data and the school's own events.
-- Dates only, never results. The team's own data points are in year_wheel_team.
-- level: reference
-- scope: school
SELECT $school AS institution_no, e.* FROM (
    SELECT 'måling' AS kind, 'Trivselsmålingen (national)' AS title, make_date(year(y.end_date), 1, 20) AS starts_on,
           make_date(year(y.end_date), 3, 20) AS ends_on, CAST(NULL AS TINYINT) AS grade,
           'fast vindue (20. januar–20. marts)' AS source, CAST(NULL AS INTEGER) AS event_id
    FROM school_year y WHERE y.school_year = $school_year
    UNION ALL
    SELECT 'test', 'Nationale test: ' || CASE subject WHEN 'matematik' THEN 'matematik' ELSE 'dansk, læsning' END,
           min(taken_on), max(taken_on), grade, 'testdatoerne i elevdata', NULL
    FROM national_test WHERE institution_no = $school AND school_year = $school_year
    GROUP BY subject, grade
    UNION ALL
    SELECT 'test', 'Afgangsprøver', make_date(year(y.end_date), 5, 1), make_date(year(y.end_date), 6, 20), 9,
           'prøveterminen maj–juni', NULL
    FROM school_year y WHERE y.school_year = $school_year
      AND EXISTS (SELECT 1 FROM student WHERE institution_no = $school AND school_year = $school_year AND grade = 9)
    UNION ALL
    SELECT 'samtale', 'Skoleudviklingssamtale', talk_date, talk_date, NULL, 'samtalen', NULL
    FROM talk WHERE institution_no = $school AND school_year = $school_year
    UNION ALL
    SELECT 'forløb', 'LEAPS: ' || title, start_date, end_date, year_group, 'LEAPS-forløbene', NULL
    FROM leaps_course WHERE institution_no = $school AND school_year = $school_year
    UNION ALL
    SELECT 'import', 'Import: ' || b.source, CAST(b.imported_at AS DATE), CAST(b.imported_at AS DATE), NULL,
           b.file_name, NULL
    FROM import_batch b
    WHERE b.status = 'aktiv' AND b.batch_id IN (SELECT batch_id FROM import_batch_scope
                                                WHERE institution_no = $school AND school_year = $school_year)
    UNION ALL
    SELECT 'egen', title, starts_on, ends_on, NULL, 'skolens egen', event_id
    FROM school_event WHERE institution_no = $school AND school_year = $school_year
) e
ORDER BY starts_on, title, grade;
