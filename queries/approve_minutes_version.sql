-- A leader approves a version of the minutes for publishing (who and when). Only the newest
-- version of one of the leader's school's talks can be approved; approving it twice writes nothing.
-- level: write
-- scope: school
-- roles: ledelse
-- owner: owner_of_talk
INSERT INTO minutes_approval (talk_id, version, approved_by, approved_at)
SELECT t.talk_id, $version, $username, $stamp
FROM talk t
WHERE t.talk_id = $talk_id AND t.institution_no = $school
  AND $version = (SELECT max(version) FROM minutes_version WHERE talk_id = $talk_id)
ON CONFLICT DO NOTHING;
