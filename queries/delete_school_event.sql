-- The school removes one of its own events from the yearly wheel.
-- level: write
-- scope: school
-- roles: ledelse, team, admin
-- owner: owner_of_school_event
DELETE FROM school_event WHERE event_id = $event_id AND institution_no = $school;
