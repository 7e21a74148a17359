-- Country values published by the ministry beside the school figures of any imported file
-- (uddannelsesstatistik.dk), per school year and measure: the newest retrieval's value.
-- These are national figures as published, used where data/reference/national_figures.csv has none.
-- level: reference
-- scope: none
SELECT measure, school_year, arg_max(country_value, retrieved_on) AS value, max(retrieved_on) AS retrieved_on
FROM published_school_figure
WHERE breakdown = 'alle' AND country_value IS NOT NULL AND list_contains($years, school_year)
GROUP BY ALL
ORDER BY 1, 2;
