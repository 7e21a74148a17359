-- Save the minutes as a new version (internal and public text together), only when the writer
-- started from the newest version ($base_version); a concurrent save makes this write nothing.
-- level: write
-- scope: school
-- roles: ledelse, kommune, admin
-- owner: owner_of_talk
INSERT INTO minutes_version
SELECT t.talk_id, $base_version + 1, v.body, v.public, $username, now()
FROM talk t, (VALUES (false, $body_internal), (true, $body_public)) v(public, body)
WHERE t.talk_id = $talk_id AND t.institution_no = $school
  AND coalesce((SELECT max(version) FROM minutes_version WHERE talk_id = $talk_id), 0) = $base_version;
