-- Whether the store has schools and school years yet, asked before every screen (app.py): only
-- these two small tables, not store_contents' look into every source (the LEAPS courses come from
-- the operational store, 30 ms a screen on a national store).
-- level: reference
-- scope: none
SELECT (SELECT count(*) FROM school) AS schools, (SELECT count(*) FROM school_year) AS school_years;
