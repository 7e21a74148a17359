"""Per-table versions of the operational store (data/operational_store.py `versions`): a commit changes
the versions of the tables it wrote and no other, so a login, a session's end or an audit entry keeps
every cached frame and result of the other tables; a write is still read at once, in this process and
after another process's commit; a rollback changes nothing. On both backends."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from data import operational_store, store
from queries.runner import QueryError, Runner, Scope, _expand_lists, load_query, query_names

pytestmark = pytest.mark.both_ops_backends

ROOT = Path(__file__).resolve().parent.parent
SYSTEM = Scope("admin", None)
LEDER = Scope("ledelse", frozenset(["900001"]))
LOGIN = {"login_session", "login_failure", "audit_log"}
TEAM = Scope("ledelse", frozenset(["900003"]))
ASSESSMENTS = dict(school="900003", school_year="2025/26", previous_year="2024/25", grade=5)
HOSTILE = "'); UPDATE agreement SET text = 'x'; -- ? $text %s æøå"


@pytest.fixture
def fresh_ops(ops_backend, tmp_path) -> operational_store.OperationalStore:
    return operational_store.for_store(tmp_path / "s.duckdb")


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {t for t in operational_store.TABLES if before.get(t) != after.get(t)}


def _agreement(talk_id: str, agreement_id: str, text: str) -> dict:
    return {
        "agreement_id": agreement_id,
        "talk_id": talk_id,
        "school": "900001",
        "text": text,
        "owner": "leder",
        "deadline": date(2027, 3, 1),
        "status": "i gang",
        "carried_from": None,
        "username": "leder",
    }


def _talk(runner: Runner, talk_id: str) -> None:
    talk = {"talk_id": talk_id, "school": "900001", "school_year": "2025/26", "talk_date": date(2026, 12, 10)}
    runner.write("create_talk", LEDER, "leder", [{**talk, "place": "lokale 1", "template": "standard"}])


def test_every_migrated_store_has_a_version_for_every_operational_table(fresh_ops):
    assert set(fresh_ops.versions()) == operational_store.TABLES


def test_a_login_a_logout_a_failed_login_and_an_audit_entry_keep_the_cached_frames_of_other_tables(store_copy):
    runner = Runner(store.connect(store_copy, read_only=True), read_only=True)
    first = runner.run("year_group_assessments", TEAM, **ASSESSMENTS)
    assert first["score"].drop_nulls().len() > 0
    before = runner.ops.versions()
    whole = runner.ops.frame("pupil_assessment", before["pupil_assessment"])
    agreements = runner.run("talk_agreements", LEDER, school="900001", talk_id="ingen")
    expires = time.time() + 600
    runner.write("record_login_failure", SYSTEM, "leder", [{"username": "leder"}])
    runner.write("record_login_session", SYSTEM, "leder", [{"username": "leder", "expires": expires}])
    runner.write("revoke_login_session", SYSTEM, "leder", [{"username": "leder", "expires": expires}])
    runner.audit("leder", "eksport", "fravær", school="900001")
    after = runner.ops.versions()
    assert _changed(before, after) == LOGIN
    read = runner.ops.pupil_rows_read
    assert runner.ops.frame("pupil_assessment", after["pupil_assessment"]) is whole
    assert runner.run("year_group_assessments", TEAM, **ASSESSMENTS) is first  # the cached result itself
    assert runner.run("talk_agreements", LEDER, school="900001", talk_id="ingen") is agreements
    assert runner.ops.pupil_rows_read == read  # nothing converted again


def test_a_new_agreement_is_read_at_once_here_and_after_another_processs_commit(store_copy):
    runner = Runner(store.connect(store_copy, read_only=True), read_only=True)
    _talk(runner, "v-1")
    first = runner.run("year_group_assessments", TEAM, **ASSESSMENTS)
    assert runner.run("talk_agreements", LEDER, school="900001", talk_id="v-1").height == 0
    before = runner.ops.versions()
    runner.write("upsert_agreement", LEDER, "leder", [_agreement("v-1", "v-1-a", HOSTILE)])
    after = runner.ops.versions()
    assert _changed(before, after) == {"agreement", "audit_log"}
    assert after["agreement"] > before["agreement"]
    found = runner.run("talk_agreements", LEDER, school="900001", talk_id="v-1")
    assert found.select("agreement_id", "text").rows() == [("v-1-a", HOSTILE)]
    assert runner.run("year_group_assessments", TEAM, **ASSESSMENTS) is first
    # another server process writes the next one: this process's cached read must not hide it
    script = (
        "import json, sys\n"
        "from queries.runner import Scope, runner_for\n"
        "row = json.loads(sys.argv[2])\n"
        "runner_for(sys.argv[1], read_only=True).write('upsert_agreement', "
        "Scope('ledelse', frozenset(['900001'])), 'leder', [row])\n"
    )
    row = {**_agreement("v-1", "v-1-b", "fra den anden proces"), "deadline": "2027-03-01"}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script, str(store_copy), json.dumps(row)], check=True, env=env, cwd=ROOT)
    found = runner.run("talk_agreements", LEDER, school="900001", talk_id="v-1")
    assert found["agreement_id"].to_list() == ["v-1-a", "v-1-b"]
    assert runner.run("year_group_assessments", TEAM, **ASSESSMENTS) is first


def test_a_rollback_and_a_refused_write_change_no_version(store_copy):
    runner = Runner(store.connect(store_copy, read_only=True), read_only=True)
    _talk(runner, "v-2")
    before = runner.ops.versions()
    with pytest.raises(RuntimeError):
        with runner.ops.transaction() as cur:
            cur.execute("DELETE FROM agreement")
            cur.execute("UPDATE pupil_assessment SET score = 1")
            raise RuntimeError("stop")
    other = Scope("ledelse", frozenset(["900002"]))  # the talk is 900001's: refused, nothing written
    with pytest.raises(QueryError):
        runner.write("upsert_agreement", other, "leder", [{**_agreement("v-2", "v-2-a", "x"), "school": "900002"}])
    with runner.ops.transaction() as cur:  # a transaction that only reads changes nothing either
        cur.execute("SELECT count(*) FROM agreement").fetchone()
    assert runner.ops.versions() == before


def test_a_statement_counts_the_table_it_writes_not_those_it_reads_or_its_conflict_clause(fresh_ops):
    before = fresh_ops.versions()
    with fresh_ops.transaction() as cur:
        cur.execute(
            "INSERT INTO import_archive_pupil_assessment (archived_by, school_year, term, student_key, area, score,"
            " assessed_by, assessed_at) SELECT 1, school_year, term, student_key, area, score, assessed_by,"
            " assessed_at FROM pupil_assessment WHERE student_key IN (SELECT student_key FROM triangle_note)"
        )
        cur.execute(
            "INSERT INTO competence_area (institution_no, subject, stage, position, letter, name, changed_by,"
            " changed_at) VALUES ('900001', 'dansk', 'indskoling', 1, 'A', 'y', 'u', '2026-01-01 00:00:00')"
            " ON CONFLICT (institution_no, subject, stage, position) DO UPDATE SET name = excluded.name"
        )
    assert _changed(before, fresh_ops.versions()) == {"import_archive_pupil_assessment", "competence_area"}


def test_a_restore_and_a_replacement_change_every_tables_version_and_a_refused_restore_none(fresh_ops):
    with fresh_ops.transaction() as cur:
        cur.execute("INSERT INTO login_failure VALUES ('x', 1.0)")
    dumped = fresh_ops.dump()
    before = fresh_ops.versions()
    fresh_ops.replace_all({"talk": fresh_ops.frame("talk")})  # the demo build's way
    replaced = fresh_ops.versions()
    assert _changed(before, replaced) == operational_store.TABLES
    with pytest.raises(operational_store.OperationalStoreError):  # login_failure holds a row: refused
        fresh_ops.load(dumped)
    assert fresh_ops.versions() == replaced
    with fresh_ops.transaction() as cur:
        cur.execute("DELETE FROM login_failure")
    emptied = fresh_ops.versions()
    fresh_ops.load(dumped)  # a restore into the empty store
    assert _changed(emptied, fresh_ops.versions()) == operational_store.TABLES
    assert fresh_ops.rows("SELECT username FROM login_failure") == [("x",)]


def _tables_read(con: sqlite3.Connection, sql: str, params: dict) -> set[str]:
    read: set[str] = set()

    def note(action, table, *_):
        if action == sqlite3.SQLITE_READ and table:
            read.add(table)
        return sqlite3.SQLITE_OK

    con.set_authorizer(note)
    try:
        for statement in (s for s in sql.split(";") if s.strip()):
            con.execute(statement, params)
    finally:
        con.set_authorizer(None)
    return read


def test_the_tables_a_query_run_in_the_operational_store_reads_are_those_its_cache_is_keyed_on():
    """The runner keys a cached result on the versions of `spec.operational`; SQLite's own parser
    (its authorizer) names every table a statement reads, so none is missed (a comma join, a subquery)."""
    ops_sqlite = sqlite3.connect(":memory:")
    for _, path in operational_store.migrations():
        ops_sqlite.executescript(path.read_text(encoding="utf-8").replace("TEXT_LIST", "TEXT"))
    checked = 0
    for name in query_names():
        spec = load_query(name)
        if not spec.operational_only or spec.level == "write":
            continue
        sql = "\n".join(line for line in spec.sql.splitlines() if not line.lstrip().startswith("--"))
        sql, params = _expand_lists(sql, dict.fromkeys(spec.params | {"now", "stamp", "token"}))
        read = _tables_read(ops_sqlite, sql, params)
        assert read & operational_store.TABLES <= spec.operational, (name, read)
        checked += 1
    assert checked >= 3


class _RolledBack(Exception):
    pass


def test_every_write_query_changes_the_versions_of_every_table_sqlite_says_it_writes(tmp_path):
    """What the cursor notes (the versions a commit sets) against SQLite's own parser: the tables its
    authorizer is asked to insert into, update or delete from, for every statement of every write."""
    ops = operational_store.OperationalStore(tmp_path / "w.ops.sqlite")
    con = ops.connection()
    actions = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
    checked = 0
    for name in query_names():
        spec = load_query(name)
        if spec.level != "write":
            continue
        sql = "\n".join(line for line in spec.sql.splitlines() if not line.lstrip().startswith("--"))
        written: set[str] = set()

        def note(action, table, *_, written=written):
            if action in actions and table:
                written.add(table)
            return sqlite3.SQLITE_OK

        with pytest.raises(_RolledBack):
            with ops.transaction() as cur:
                for statement in (s for s in sql.split(";") if s.strip()):
                    con.set_authorizer(note)
                    try:
                        cur.execute(statement, dict.fromkeys(spec.params | {"now", "stamp", "token"}))
                    except sqlite3.Error:  # NULL parameters break a constraint: prepared all the same
                        pass
                    finally:
                        con.set_authorizer(None)
                noted = set(cur.changed)
                raise _RolledBack
        assert written and written & operational_store.TABLES <= noted, (name, written, noted)
        checked += 1
    assert checked >= 20
