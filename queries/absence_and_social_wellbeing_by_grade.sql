-- For each grade 4-9 of a school in one school year: mean absence and mean social well-being of
-- the same pupils (pupils with both), to see whether they go together.
-- level: aggregate
-- scope: school
-- keys: school_year_key, grade
-- n: n
-- partition: school_year_key
-- The pupil summary (migration 22) holds, per pupil group, the pupils with both an absence % and a
-- social score, and the sums of each over those pupils.
SELECT 'alle' AS school_year_key, grade, sum(sum_absence_pct) / sum(n_absence_social) AS absence_mean,
       sum(sum_social) / sum(n_absence_social) AS social_mean, sum(n_absence_social)::BIGINT AS n
FROM pupil_summary
WHERE institution_no = $school AND school_year = $school_year AND grade BETWEEN 4 AND 9
GROUP BY ALL
HAVING sum(n_absence_social) > 0
ORDER BY grade;
