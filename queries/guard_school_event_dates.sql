-- A school's own event lies inside its school year (the analytical store's calendar), ends on or
-- after its start: insert_school_event is refused otherwise (see the runner's write checks).
-- level: guard
SELECT 1 AS inside FROM school_year y
WHERE y.school_year = $school_year AND $starts_on BETWEEN y.start_date AND y.end_date
  AND $ends_on BETWEEN $starts_on AND y.end_date;
