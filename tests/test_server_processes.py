"""Several server processes on one store (issue 18, point 2): each opens the DuckDB file read-only,
and what is written while people work (login sessions, failed logins, the audit log) goes to the
operational store they share; the command line imports while they serve, as a new version of the
file that each process switches to without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.operational import copy_store, ops_rows

PUPILS = ROOT / "tests" / "fixtures" / "import" / "pupils.xlsx"

# A server process stand-in: the app's runner on the store, read-only as behind the proxy; it reads
# one line of Python at a time from stdin and answers with its value as one JSON line.
WORKER = """
import json, sys, time
import polars as pl
from components import auth
from queries.runner import Scope, runner_for
from data import store
runner = runner_for(store.store_path(), read_only=store.read_only_requested())
admin = Scope("admin", None)
print(json.dumps("ready"), flush=True)
for line in sys.stdin:
    try:
        value = eval(line)
    except Exception as exc:
        value = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(value, default=str), flush=True)
"""


class Worker:
    def __init__(self, env: dict):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            text=True,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._answer() == "ready"

    def _answer(self):
        line = self.proc.stdout.readline()
        assert line, f"the worker stopped (exit {self.proc.poll()})"
        return json.loads(line)

    def ask(self, expression: str):
        self.proc.stdin.write(expression + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@contextmanager
def read_only_processes(store: Path, n: int = 2):
    env = {"DATABLIK_DB": str(store), "DATABLIK_READ_ONLY": "1"}
    with ExitStack() as stack:
        workers = []
        for _ in range(n):
            worker = Worker(env)
            stack.callback(worker.close)
            workers.append(worker)
        yield workers


@pytest.fixture
def served_store(demo_store, tmp_path, ops_backend) -> Path:
    """A copy of the demo store; its operational store on the test's backend (the processes inherit
    $DATABLIK_OPS_URL when it is PostgreSQL)."""
    path = tmp_path / "datablik.duckdb"
    copy_store(demo_store, path)
    return path


@pytest.mark.both_ops_backends
def test_two_read_only_processes_share_login_sessions_failures_and_the_audit_log(served_store):
    with read_only_processes(served_store) as (first, second):
        expires = time.time() + 600
        opened = first.ask(
            f"runner.write('record_login_session', auth.SYSTEM, 'leder', "
            f"[{{'username': 'leder', 'expires': {expires!r}}}])"
        )
        assert opened == 1, opened
        assert second.ask(f"auth.session_is_live(runner, 'leder', {expires!r})") is True
        assert (
            second.ask(
                f"runner.write('revoke_login_session', auth.SYSTEM, 'leder', "
                f"[{{'username': 'leder', 'expires': {expires!r}}}])"
            )
            == 1
        )
        assert first.ask(f"auth.session_is_live(runner, 'leder', {expires!r})") is False  # a logout anywhere
        for worker in (first, second, first):
            worker.ask("runner.write('record_login_failure', auth.SYSTEM, 'leder2', [{'username': 'leder2'}])")
        assert second.ask("auth.recent_failures(runner, 'leder2')") == 3  # the lockout counts every process's
        first.ask("runner.audit('kommune', 'visning', 'Trivsel', 'skoleår 2024/25', '100001')")
    actions = [a for (a,) in ops_rows(served_store, "SELECT action FROM audit_log ORDER BY entry_id")]
    assert actions == ["logget ind", "logget ud"] + ["mislykket login"] * 3 + ["visning"]


@pytest.mark.both_ops_backends
def test_a_note_written_in_one_process_is_read_in_the_other_and_a_stale_save_changes_nothing(served_store):
    leader = "Scope('ledelse', frozenset(['900001']))"
    with read_only_processes(served_store) as (first, second):
        talk = first.ask(f"runner.run('talks_for_school', {leader}, school='900001')['talk_id'][0]")
        agenda = f"runner.run('talk_agenda', {leader}, school='900001', talk_id={talk!r})"
        item, version = second.ask(f"{agenda}.select('item_id', 'note_version').row(0)")
        note = "<b>Fravær</b> i 7. klasse; vi følger op i marts"
        save = (
            f"runner.write('save_note', {leader}, 'leder', [{{'school': '900001', 'item_id': {item!r}, "
            f"'body': {note!r}, 'base_version': {version}, 'username': 'leder'}}])"
        )
        assert first.ask(save) == 1
        assert second.ask(
            f"{agenda}.filter(pl.col('item_id') == {item!r}).select('note', 'note_version', 'note_by').row(0)"
        ) == [note, version + 1, "leder"]
        stale = second.ask(save)  # saved from the same version again: someone else saved meanwhile
        assert "intet er ændret" in stale["error"]
        assert first.ask(f"{agenda}.filter(pl.col('item_id') == {item!r})['note_version'][0]") == version + 1
    assert ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE action = 'note gemt'") == [(1,)]


def test_a_read_only_process_still_refuses_edits_of_the_duckdb_file_in_danish(served_store):
    with read_only_processes(served_store, 1) as (worker,):
        answer = worker.ask(
            "runner.write('set_participation_target', Scope('ledelse', frozenset(['100001'])), "
            "'leder', [{'school': '100001', 'indicator': 'absence_over10', 'target': 9.0, "
            "'username': 'leder'}])"
        )
    assert "skrivebeskyttet" in answer["error"]


@pytest.mark.both_ops_backends
def test_an_import_on_the_command_line_while_two_processes_serve_is_a_new_version_both_read_without_a_restart(
    served_store,
):
    with read_only_processes(served_store) as workers:
        before = [w.ask("runner.data_version()") for w in workers]
        batches = [w.ask("runner.run('import_batches', admin).height") for w in workers]
        old_file = served_store.stat().st_ino
        result = subprocess.run(
            [sys.executable, "-m", "data", "--path", str(served_store), "import", "--erstat", "pupils", str(PUPILS)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "DATABLIK_DB": str(served_store)},
        )
        assert result.returncode == 0, result.stderr
        assert served_store.stat().st_ino != old_file  # a new file took the store's name in one rename
        after = [w.ask("runner.data_version()") for w in workers]
        assert after[0] == after[1] != before[0] == before[1]
        assert [w.ask("runner.run('import_batches', admin).height") for w in workers] == [b + 1 for b in batches]
        assert workers[0].ask("runner.audit('admin', 'visning', 'Data', 'efter import')") is None
    assert not list(served_store.parent.glob("*.next-*")) and not list(served_store.parent.glob("*.reading-*"))
    (imported,) = ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE action = 'import'")
    assert imported == (1,)


def test_a_refused_import_leaves_the_store_file_and_the_audit_log_as_they_were(served_store, tmp_path):
    bad = tmp_path / "pupils.csv"
    bad.write_text("noget;andet\n1;2\n", encoding="utf-8")
    with read_only_processes(served_store, 1):
        old_file = served_store.stat().st_ino
        result = subprocess.run(
            [sys.executable, "-m", "data", "--path", str(served_store), "import", "pupils", str(bad)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert served_store.stat().st_ino == old_file
    assert ops_rows(served_store, "SELECT count(*) FROM audit_log WHERE action = 'import'") == [(0,)]


@pytest.mark.both_ops_backends
def test_a_store_from_before_the_operational_store_keeps_its_audit_log_and_sessions(tmp_path, monkeypatch, ops_backend):
    from data import store

    path = tmp_path / "old.duckdb"
    everything = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [m for m in everything if m[0] < store.MOVED_TO_OPERATIONAL])
    con = store.connect(path)
    con.execute("INSERT INTO audit_log (logged_at, username, action, target) VALUES (now(), 'admin', 'import', 'x')")
    con.execute("INSERT INTO login_session VALUES ('leder', 123.5, now(), NULL)")
    con.close()
    monkeypatch.setattr(store, "migrations", lambda: everything)
    store.connect(path).close()
    assert ops_rows(path, "SELECT username, action, target FROM audit_log") == [("admin", "import", "x")]
    assert ops_rows(path, "SELECT username, expires FROM login_session") == [("leder", 123.5)]
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not tables & {"audit_log", "login_session", "login_failure"}
