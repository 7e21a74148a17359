"""The operational store beside the DuckDB file (data/operational_store.py): private files, WAL, the
runner's routing of each query to the store that holds its tables, and no write lost between
threads."""

from __future__ import annotations

import stat
import threading

import pytest

from data import operational_store
from queries.runner import Scope, load_query, query_names
from tests.operational import ops_rows

SYSTEM = Scope("admin", None)


def test_the_operational_store_and_its_wal_are_readable_by_their_owner_only(tmp_path):
    ops = operational_store.OperationalStore(tmp_path / "s.duckdb.ops.sqlite")
    with ops.transaction() as cur:
        cur.execute("INSERT INTO login_failure VALUES ('x', 1.0)")
    files = [p for p in tmp_path.iterdir() if p.name.startswith("s.duckdb.ops.sqlite")]
    assert {p.name for p in files} >= {"s.duckdb.ops.sqlite", "s.duckdb.ops.sqlite-wal"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), [(p.name, oct(p.stat().st_mode)) for p in files]
    assert ops.connection().execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_postgresql_connection_string_is_refused_in_danish_until_it_is_built(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABLIK_OPS_URL", "postgresql://datablik@localhost/datablik")
    with pytest.raises(operational_store.OperationalStoreError, match="PostgreSQL.*ikke bygget"):
        operational_store.OperationalStore(tmp_path / "x.ops.sqlite")


def test_each_query_runs_where_its_tables_are():
    operational = {n for n in query_names() if load_query(n).operational_only}
    assert operational == {
        "login_session_open",
        "login_session_state",
        "record_login_failure",
        "record_login_session",
        "revoke_login_session",  # the login's bookkeeping
        "approve_minutes_version",
        "create_talk",
        "insert_agenda_item",
        "insert_participant",
        "save_minutes_version",
        "save_note",
        "update_agenda_item",
        "upsert_agreement",
        "owner_of_agenda_item",
        "owner_of_agreement",
        "owner_of_talk",
    }  # the talk's edits
    joining = {n for n in query_names() if load_query(n).joins_stores}
    assert joining == {
        "audit_log_entries",
        "season_agenda_titles",
        "season_talks",
        "talk_agenda",
        "talk_agreements",
        "talk_minutes_versions",
        "talk_participants",
        "talks_for_school",
        "year_wheel",
    }  # read in DuckDB, the operational tables handed to it


def test_the_audit_log_screen_joins_the_operational_log_with_the_schools_and_filters_it(store_copy):
    from queries.runner import runner_for

    runner = runner_for(store_copy)
    runner.audit("leder", "visning", "Trivsel", "<script>alert(1)</script>", "900001")
    runner.audit("kommune", "eksport", "fil.xlsx")
    found = runner.run("audit_log_entries", SYSTEM, username="lede", text="", school="", date_from=None, date_to=None)
    assert found.select("username", "target", "detail").rows() == [("leder", "Trivsel", "<script>alert(1)</script>")]
    assert found["school_name"].to_list()[0]  # the school's name, from the DuckDB file
    everything = runner.run("audit_log_entries", SYSTEM, username="", text="", school="", date_from=None, date_to=None)
    assert everything["username"].to_list()[:2] == ["kommune", "leder"]  # newest first


def test_sixteen_threads_recording_failures_at_once_lose_none(store_copy):
    from queries.runner import runner_for

    runner = runner_for(store_copy)
    start = threading.Barrier(16)

    def one(i):
        start.wait()
        runner.write("record_login_failure", SYSTEM, f"u{i}", [{"username": f"u{i}"}])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ops_rows(runner, "SELECT count(*) FROM login_failure") == [(16,)]
    assert ops_rows(runner, "SELECT count(*) FROM audit_log WHERE action = 'mislykket login'") == [(16,)]
