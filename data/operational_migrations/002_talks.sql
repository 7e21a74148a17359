-- Version 2: the talk (skoleudviklingssamtale) is prepared and minuted while people work: its
-- participants, agenda, notes, agreements, minutes and their approval. DuckDB migration 019 moves
-- their rows here. Dates are ISO text ('2025-03-13'), times of day 'HH:MM:SS', timestamps ISO text;
-- the runner hands them to DuckDB typed (data/operational_store.py).
CREATE TABLE talk (
    talk_id        TEXT PRIMARY KEY,
    institution_no TEXT NOT NULL,
    school_year    TEXT NOT NULL,
    talk_date      DATE NOT NULL,
    place          TEXT,
    status         TEXT NOT NULL CHECK (status IN ('planlagt', 'afholdt', 'referat godkendt')),
    template       TEXT DEFAULT 'standard'
);
CREATE INDEX talk_school ON talk (institution_no, school_year);

CREATE TABLE talk_participant (
    talk_id TEXT NOT NULL REFERENCES talk (talk_id),
    name    TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (talk_id, name)
);

CREATE TABLE agenda_item (
    item_id   TEXT PRIMARY KEY,
    talk_id   TEXT NOT NULL REFERENCES talk (talk_id),
    position  INTEGER NOT NULL,
    starts_at TIME NOT NULL,
    ends_at   TIME NOT NULL,
    title     TEXT NOT NULL,
    screen    TEXT,
    filters   TEXT,
    questions TEXT,
    kind      TEXT DEFAULT 'andet'
);

CREATE TABLE note (
    item_id    TEXT PRIMARY KEY REFERENCES agenda_item (item_id),
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE agreement (
    agreement_id TEXT PRIMARY KEY,
    talk_id      TEXT NOT NULL REFERENCES talk (talk_id),
    text         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    deadline     DATE,
    status       TEXT NOT NULL CHECK (status IN ('ikke startet', 'i gang', 'gennemført', 'opgivet')),
    carried_from TEXT,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE minutes_version (
    talk_id    TEXT NOT NULL REFERENCES talk (talk_id),
    version    INTEGER NOT NULL,
    body_md    TEXT NOT NULL,
    public     BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    blocks     TEXT,
    PRIMARY KEY (talk_id, version, public)
);

CREATE TABLE minutes_approval (
    talk_id     TEXT NOT NULL REFERENCES talk (talk_id),
    version     INTEGER NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (talk_id, version)
);
