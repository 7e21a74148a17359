"""The command line beside the running app (issue 15, item 4): while `streamlit run app.py` holds
the store, every `python -m data` command either succeeds or stops with one Danish sentence that
names the app and what to do instead — never a traceback; and a backup taken in the running app
(the Data screen's button) restores to a store whose every table equals the original."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.browser import WAIT_MS, streamlit_process
from tests.conftest import ROOT
from tests.operational import copy_store, ops_rows

PUPILS = ROOT / "tests" / "fixtures" / "import" / "pupils.xlsx"


class AppUser:
    """One session of the running app over its websocket (benchmarks/protocol.py), driven from sync code."""

    def __init__(self, url: str):
        from benchmarks.protocol import Session

        self.loop = asyncio.new_event_loop()  # runs in its own thread, so keepalive pings are answered
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.session = Session(url)
        self._wait(self.session.connect())

    def _wait(self, coroutine):
        # Longer than a run may take (below), so a slow run fails as the run's own timeout.
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=WAIT_MS / 1000 + 30)

    def run(self, *states, page: str | None = None, query: str = ""):
        page_hash = self.session.pages[page] if page else None
        # The browser tests' limit, not the protocol's 60 s: a screen's run through the proxy, beside
        # a second test worker and busy processes on two cores, can take longer than on a quiet machine.
        return self._wait(self.session.run(list(states), page_hash=page_hash, query=query, timeout=WAIT_MS / 1000))

    def log_in(self, username: str, password: str) -> None:
        from benchmarks.protocol import text_state, trigger_state

        ids = {label: widget_id for label, (_, widget_id) in self.run().widgets.items()}
        after = self.run(
            text_state(ids["Brugernavn"], username),
            text_state(ids["Adgangskode"], password),
            trigger_state(ids["Log ind"]),
        )
        if not any(h.startswith("Overblik") for h in after.headings):
            after = self.run()  # in a browser, the login cookie's component asks for this rerun
        assert any(h.startswith("Overblik") for h in after.headings), after.headings

    def close(self) -> None:
        self._wait(self.session.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)


@contextmanager
def app_holding(folder: Path, demo_store: Path):
    """A copy of the demo store with the app running on it, its first session run (so the app
    has opened the store) and logged in as admin."""
    store = folder / "datablik.duckdb"
    copy_store(demo_store, store)
    users_file = folder / "users.yaml"
    shutil.copy(os.environ["DATABLIK_USERS"], users_file)
    env = {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file), "DATABLIK_BACKUPS": str(folder / "backups")}
    with streamlit_process(env) as (url, process):
        user = AppUser(url)
        try:
            user.log_in("admin", "demo-admin")
            yield store, env, process.pid, user, store.stat().st_ino
        finally:
            user.close()


def cli(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, **env},
    )


@pytest.fixture(scope="module")
def running(demo_store, tmp_path_factory):
    with app_holding(tmp_path_factory.mktemp("beside"), demo_store) as held:
        yield held


HELD = "Fejl: Databasen datablik.duckdb bruges af Datablik-appen (streamlit, proces {pid}); "
COMMANDS = {
    # command line -> (stdin, what it must say: None = succeeds, else the start of its one line)
    "schools": ("", HELD + "se skolerne i appen"),
    "schools --json": ("", HELD + "se skolerne i appen"),
    "figures --school 900001 --year 2024/25 --json": ("", HELD + "se tallene i appen"),
    "migrate": ("", HELD + "appen opdaterer selv skemaet"),
    "rollback 1": ("", HELD + "rul partiet tilbage på Data-skærmen"),
    f"import pupils {PUPILS}": ("", HELD + "importér filen på Data-skærmen"),
    f"import --dry-run pupils {PUPILS}": ("", HELD + "importér filen på Data-skærmen"),
    "backup {folder}/cli-backups": ("", HELD + "tag sikkerhedskopien på Data-skærmen"),
    "restore {folder}/backups": ("", "Fejl: {store} findes allerede"),
    "users add lise --role ledelse --school 900001 --password-stdin": ("en-lang-kode-1\n", HELD + "skolen kan ikke"),
    "users add chef --role admin --password-stdin": ("en-lang-kode-1\n", None),
    "users passwd chef --password-stdin": ("en-lang-kode-2\n", None),
    "users disable chef": ("", None),
    "users list": ("", None),
    "demo": ("", HELD + "stop appen, før databasen erstattes"),
    "demo --replace": ("", HELD + "stop appen, før databasen erstattes"),
    "init": ("", "Fejl: {store} findes allerede; init rører aldrig"),
    "secrets --file {folder}/secrets.toml": ("", None),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_beside_the_running_app_succeeds_or_says_one_danish_sentence(running, command):
    store, env, pid, _, _ = running
    stdin, expected = COMMANDS[command]
    folder = store.parent
    args = command.format(folder=folder).split()
    result = cli(env, *args, stdin=stdin)
    assert "Traceback" not in result.stdout + result.stderr
    if expected is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr  # one line
    assert result.stderr.startswith(expected.format(pid=pid, store=store)), result.stderr


def test_the_store_is_not_touched_by_the_refused_commands(running):
    """Whatever the commands above tried (demo --replace, restore, init), the store file is the one
    the app opened, and the app still serves it."""
    store, _, _, user, inode = running
    assert store.stat().st_ino == inode
    kommune = user.run(page="kommune")
    assert not kommune.errors and any(h.startswith("Kommune") for h in kommune.headings)


def _table_checksums(path: Path) -> dict:
    from data.importers import engine

    con = duckdb.connect(str(path), read_only=True)
    try:
        return engine.table_checksums(con)
    finally:
        con.close()


def test_a_backup_from_the_data_screen_while_the_app_runs_restores_every_table(demo_store, tmp_path):
    from benchmarks.protocol import trigger_state

    with app_holding(tmp_path, demo_store) as (store, env, _, user, _):
        data_screen = user.run(page="data")
        assert "Sikkerhedskopi" in data_screen.headings
        _, button = data_screen.widgets["Tag sikkerhedskopi nu"]
        assert not user.run(trigger_state(button), page="data").errors
        (folder,) = (tmp_path / "backups").iterdir()
        restored = tmp_path / "restored.duckdb"
        result = cli(env, "--path", str(restored), "restore", str(folder))  # while the app still runs
        assert result.returncode == 0, result.stderr
        assert cli(env, "--path", str(restored), "restore", str(folder)).returncode == 2  # never overwrites
        assert cli(env, "--path", str(store), "restore", str(folder)).returncode == 2
    original, copy = _table_checksums(store), _table_checksums(restored)
    assert len(original) > 30 and set(copy) == set(original)
    # The app wrote its audit entry for the backup after the export; nothing else changed since.
    logs = [ops_rows(path, "SELECT * FROM audit_log ORDER BY entry_id") for path in (store, restored)]
    later = [row for row in logs[0] if row not in logs[1]]
    earlier = [row for row in logs[1] if row not in logs[0]]
    assert [row[3] for row in later] == ["sikkerhedskopi"] and earlier == []
    assert {t: v for t, v in copy.items() if t != "audit_log"} == {
        t: v for t, v in original.items() if t != "audit_log"
    }
