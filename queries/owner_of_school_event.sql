-- The school of one of the school's own events on the yearly wheel.
-- level: owner
SELECT institution_no FROM school_event WHERE event_id = $event_id;
