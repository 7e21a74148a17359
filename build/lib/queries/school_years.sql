-- The school years in the store, newest first.
-- level: reference
-- scope: none
SELECT school_year, start_date, end_date FROM school_year ORDER BY start_date DESC;
