-- Published national figures (reference rows with their source), for the given school years.
-- level: reference
-- scope: none
SELECT measure, school_year, value, source, note
FROM reference_value
WHERE level = 'land' AND list_contains($years, school_year);
