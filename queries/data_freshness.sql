-- How fresh each source is per school: the newest school year in the store, the rows the screens
-- count, and when it was last imported (NULL for data that did not come through an import, such as
-- the demo data). The pupil-level sources are counted by their writers (source_summary, migration 26,
-- counted in the summaries; an import refuses a pupil the register does not have at that school, so
-- every row is in them): pupils in the register, pupils with a well-being score, pupil-months with
-- school days (a month without school days counts in no figure), national test results and exam grades.
-- level: reference
-- scope: none
-- roles: admin
WITH newest AS (
    SELECT source, institution_no, max(school_year) AS newest_year, sum(rows) AS rows
    FROM source_summary GROUP BY ALL
    UNION ALL
    SELECT 'surveys', institution_no, max(school_year), count(*) FROM survey_result GROUP BY ALL
    UNION ALL
    SELECT 'leaps', institution_no, max(school_year), count(*) FROM leaps_course GROUP BY ALL
    UNION ALL
    SELECT 'school-figures', institution_no, max(school_year), count(*) FROM published_school_figure GROUP BY ALL
),
imported AS (
    SELECT split_part(b.source, '/', 1) AS source, s.institution_no, max(b.imported_at) AS last_import,
           max(b.retrieved_on) AS retrieved_on
    FROM import_batch b JOIN import_batch_scope s USING (batch_id)
    WHERE b.status <> 'rullet tilbage'
    GROUP BY ALL
)
SELECT n.source, n.institution_no, sc.name AS school_name, n.newest_year, n.rows::BIGINT AS rows, i.last_import,
       i.retrieved_on
FROM newest n
JOIN school sc USING (institution_no)
LEFT JOIN imported i USING (source, institution_no)
ORDER BY sc.name, n.source;
