-- The audit log names the school an action concerned (the school whose row a write changed, the
-- school whose figures were viewed), and its actions read as Danish words; older rows are relabelled
-- with the words their codes meant when they were written.
ALTER TABLE audit_log ADD COLUMN school VARCHAR;
UPDATE audit_log SET school = target WHERE regexp_full_match(target, '[0-9]{6}');
UPDATE audit_log SET action = CASE action
    WHEN 'record_login_session' THEN 'logget ind'
    WHEN 'record_login_failure' THEN 'mislykket login'
    WHEN 'revoke_login_session' THEN 'logget ud'
    WHEN 'create_talk' THEN 'samtale oprettet'
    WHEN 'insert_agenda_item' THEN 'dagsordenspunkt tilføjet'
    WHEN 'update_agenda_item' THEN 'dagsordenspunkt ændret'
    WHEN 'insert_participant' THEN 'deltager tilføjet'
    WHEN 'save_note' THEN 'note gemt'
    WHEN 'upsert_agreement' THEN 'aftale gemt'
    WHEN 'save_minutes_version' THEN 'referat gemt'
    WHEN 'set_participation_target' THEN 'mål for deltagelse sat'
    WHEN 'insert_leaps_course' THEN 'LEAPS-forløb tilføjet'
    WHEN 'update_leaps_course' THEN 'LEAPS-forløb ændret'
    WHEN 'update_project_milestone' THEN 'milepæl ændret'
    WHEN 'upsert_pupil_assessment' THEN 'elevvurdering gemt'
    WHEN 'rul import tilbage' THEN 'import rullet tilbage'
    ELSE action END;
