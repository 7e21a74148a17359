-- Version 18: login sessions, failed logins and the audit log are written by every server process
-- while people work, so they move to the operational store (data/operational_store.py, a SQLite file
-- in WAL mode that several processes share). store.migrate copies their rows there first.
DROP TABLE login_session;
DROP TABLE login_failure;
DROP TABLE audit_log;
DROP SEQUENCE audit_log_seq;
