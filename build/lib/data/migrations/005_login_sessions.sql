-- Version 5: server-side login sessions (a cookie is only honoured while its session is open),
-- and failed logins (for the lockout).
CREATE TABLE login_session (
    username   VARCHAR NOT NULL,
    expires    DOUBLE NOT NULL,        -- the exp_date inside the signed cookie
    issued_at  TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    PRIMARY KEY (username, expires)
);

CREATE TABLE login_failure (
    username  VARCHAR NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
