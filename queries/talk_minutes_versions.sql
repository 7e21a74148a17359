-- The saved versions of a talk's minutes (internal and public), newest first.
-- level: reference
-- scope: school
-- roles: ledelse, kommune, admin
SELECT t.institution_no, m.version, m.public, m.body_md, m.created_by, m.created_at
FROM minutes_version m JOIN talk t USING (talk_id)
WHERE t.institution_no = $school AND m.talk_id = $talk_id
ORDER BY m.version DESC, m.public;
