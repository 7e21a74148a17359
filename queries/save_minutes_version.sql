-- Save the minutes as a new version: the sections with their visibility ($blocks, JSON, on the
-- internal row) and the rendered internal and public text; only when the writer started from the
-- newest version ($base_version), so a concurrent save makes this write nothing. A new version
-- has no approval: the public export waits until a leader approves it.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_talk
INSERT INTO minutes_version (talk_id, version, body_md, public, created_by, created_at, blocks)
SELECT t.talk_id, $base_version + 1, v.body, v.public, $username, $stamp, CASE WHEN v.public THEN NULL ELSE $blocks END
FROM talk t, (SELECT false AS public, $body_internal AS body UNION ALL SELECT true, $body_public) v
WHERE t.talk_id = $talk_id AND t.institution_no = $school
  AND coalesce((SELECT max(version) FROM minutes_version WHERE talk_id = $talk_id), 0) = $base_version;
