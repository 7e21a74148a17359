-- Version 11: the minutes as blocks, each with its visibility (JSON on the internal row of a
-- version; the public row keeps the rendered website text), and a leader's approval of one
-- version for publishing. The public export exists only for the newest version while it is approved.
ALTER TABLE minutes_version ADD COLUMN blocks VARCHAR;
CREATE TABLE minutes_approval (
    talk_id     VARCHAR NOT NULL REFERENCES talk(talk_id),
    version     INTEGER NOT NULL,
    approved_by VARCHAR NOT NULL,
    approved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (talk_id, version)
);
