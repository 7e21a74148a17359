"""The log: logins (ok and failed), imports, refused writes and failing sections are logged in one
format to stderr, configured in one place (data/logging_setup.py); a password never reaches it."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest

from components import auth
from data import logging_setup, store, users
from data.importers import engine
from queries.runner import QueryError, Runner, Scope, ScopeError
from tests import import_examples as examples
from tests.conftest import ROOT

SECRET = "Hemmeligt-Kodeord-9431"
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (INFO|WARNING|ERROR) +[a-z_.]+: .+$")


@pytest.fixture
def runner(store_copy):
    return Runner(store.connect(store_copy))


def _logged(caplog) -> str:
    return "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records)


def test_a_failed_and_a_good_login_are_logged_and_the_password_never_is(runner, caplog):
    records = users.load_users(users.users_path())
    caplog.set_level(logging.INFO)
    assert auth.attempt_login(runner, records, "leder", SECRET).message == auth.WRONG
    assert auth.attempt_login(runner, records, SECRET, "demo-leder").message == auth.WRONG  # typed in the wrong field
    assert auth.attempt_login(runner, records, "leder", "demo-leder").record is not None
    log = _logged(caplog)
    assert "WARNING components.auth: login failed: user 'leder': wrong password" in log
    assert f"login failed: user unknown ({len(SECRET)} characters): no such active user" in log
    assert "INFO components.auth: login ok: user 'leder' (ledelse)" in log
    assert SECRET not in log and "demo-leder" not in log


def test_a_locked_username_is_logged(runner, caplog):
    records = users.load_users(users.users_path())
    for _ in range(auth.MAX_FAILURES):
        auth.attempt_login(runner, records, "leder2", SECRET)
    caplog.set_level(logging.INFO)
    assert auth.attempt_login(runner, records, "leder2", "demo-leder2").message == auth.LOCKED
    assert f"login failed: user 'leder2': locked after {auth.MAX_FAILURES} failures" in _logged(caplog)
    assert SECRET not in _logged(caplog)


def test_an_import_a_refused_import_and_a_rollback_are_logged(runner, caplog):
    caplog.set_level(logging.INFO)
    bad = engine.prepare(runner.import_cursor(), "institutions", "tom.csv", b"Ingen;kolonner\n1;2\n")
    assert not bad.ok
    good = engine.prepare(runner.import_cursor(), "institutions", "reg.csv", examples.national_register(60))
    assert good.ok, good.problems
    [outcome] = runner.transaction(lambda cur: engine.write(cur, [good], "admin"))
    runner.transaction(lambda cur: engine.rollback_batch(cur, outcome.batch_id, "admin"))
    log = _logged(caplog)
    assert re.search(r"WARNING data\.importers\.engine: import refused: 'tom\.csv' \(institutions\): \d+ problem", log)
    assert (
        f"INFO data.importers.engine: import: 'reg.csv' (institutions) by 'admin': {good.rows} rows as batch "
        f"{outcome.batch_id}"
    ) in log
    assert f"import rolled back: batch {outcome.batch_id} ('reg.csv') by 'admin'" in log


def test_a_refused_write_is_logged_with_user_role_and_reason(runner, caplog):
    caplog.set_level(logging.INFO)
    team = Scope("team", frozenset({"900001"}), frozenset({4, 5, 6}))
    with pytest.raises(ScopeError):
        runner.write(
            "insert_effort",
            team,
            "team",
            [
                {
                    "school": "900001",
                    "name": "x",
                    "starts_on": None,
                    "ends_on": None,
                    "indicators": [],
                    "description": "",
                    "username": "team",
                }
            ],
        )
    assert re.search(
        r"WARNING queries\.runner: write refused: user 'team' \(team\), insert_effort: .+", _logged(caplog)
    )


def test_a_failing_section_is_logged(caplog):
    from components.screen import guarded

    @guarded
    def broken_section():
        raise QueryError("Forespørgslen tog for lang tid og blev stoppet.")

    caplog.set_level(logging.INFO)
    broken_section()
    assert (
        "WARNING components.screen: section tests.test_logging.test_a_failing_section_is_logged.<locals>."
        "broken_section failed: Forespørgslen tog for lang tid og blev stoppet."
    ) in _logged(caplog)


def test_the_command_line_logs_to_stderr_in_the_one_format(store_copy, tmp_path):
    bad = tmp_path / "tom.csv"
    bad.write_text("Ingen;kolonner\n1;2\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "data", "--path", str(store_copy), "import", "institutions", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    logged = [line for line in result.stderr.splitlines() if "import refused" in line]
    assert len(logged) == 1 and LINE.match(logged[0]), result.stderr
    assert logged[0].split()[2:4] == ["WARNING", "data.importers.engine:"]


def test_logging_is_configured_once_however_often_the_app_reruns():
    logging_setup.configure()
    logging_setup.configure()
    for name in logging_setup.PACKAGES:
        marked = [h for h in logging.getLogger(name).handlers if getattr(h, logging_setup._MARK, False)]
        assert len(marked) == 1, name
        assert marked[0].formatter._fmt == logging_setup.FORMAT


def test_the_log_writes_to_the_stderr_of_the_moment(capsys):
    """configure() once, then stderr replaced (as each test's capture does): the line still arrives."""
    logging_setup.configure()
    capsys.readouterr()
    logging.getLogger("data.test").warning("eine Zeile")
    assert LINE.match(capsys.readouterr().err.strip().splitlines()[-1])
