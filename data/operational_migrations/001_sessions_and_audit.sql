-- Version 1 of the operational store (SQLite or PostgreSQL): what every server process writes while
-- people work, so several processes can share it. Times are seconds since 1970 (UTC) as REAL, so the
-- same SQL runs on both engines; audit_log.logged_at is the local time as ISO text ('2026-12-02 03:34:09.123456').
CREATE TABLE login_session (
    username   TEXT NOT NULL,
    expires    REAL NOT NULL,          -- the exp_date inside the signed cookie
    issued_at  REAL NOT NULL,
    revoked_at REAL,
    PRIMARY KEY (username, expires)
);

CREATE TABLE login_failure (
    username  TEXT NOT NULL,
    failed_at REAL NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (username, failed_at);

CREATE TABLE audit_log (
    entry_id  INTEGER PRIMARY KEY,     -- SQLite: the rowid, so ids only grow (PostgreSQL: an identity)
    logged_at TIMESTAMP NOT NULL,
    username  TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    detail    TEXT,
    school    TEXT
);
CREATE INDEX audit_log_school ON audit_log (school);
