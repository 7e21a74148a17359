-- The saved versions of a talk's minutes (internal and public), newest first, with the sections
-- (JSON, internal row) and the leader's approval of the version, if any.
-- level: reference
-- scope: school
-- roles: ledelse, kommune, admin
SELECT t.institution_no, m.version, m.public, m.body_md, m.blocks, m.created_by, m.created_at,
       a.approved_by, a.approved_at
FROM minutes_version m JOIN talk t USING (talk_id)
LEFT JOIN minutes_approval a ON a.talk_id = m.talk_id AND a.version = m.version
WHERE t.institution_no = $school AND m.talk_id = $talk_id
ORDER BY m.version DESC, m.public;
