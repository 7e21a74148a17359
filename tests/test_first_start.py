"""The first start builds the demo store once, in the background, under a lock, into a temporary
file renamed into place when complete: a reload in the middle shows the same build's progress and
ends in a complete store; a half-built file is never taken for a store."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from components import bootstrap
from tests.browser import ROOT, browser, require_chromium, streamlit_process, wait_until_idle

PROGRESS = (
    "() => { const b = document.querySelector('[role=progressbar]'); return b && +b.getAttribute('aria-valuenow'); }"
)
# The bar's value once a bar is there, as [value]: truthy even at 0. A rerun of the progress page
# can replace the bar, so an evaluate at one instant may find none.
SHOWN_PROGRESS = (
    "() => { const b = document.querySelector('[role=progressbar]'); return b && [+b.getAttribute('aria-valuenow')]; }"
)
COMPLETE = "SELECT (SELECT value FROM store_info WHERE key = 'built_at'), (SELECT count(*) FROM school)"


def _complete(path) -> bool:
    con = duckdb.connect(str(path), read_only=True)
    try:
        built_at, schools = con.execute(COMPLETE).fetchone()
    finally:
        con.close()
    return built_at is not None and schools > 0


def test_the_build_runs_once_for_every_visitor_and_replaces_a_half_built_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABLIK_USERS", str(tmp_path / "users.yaml"))
    path = tmp_path / "data" / "datablik.duckdb"
    path.parent.mkdir()
    half_built = path.with_name(path.name + ".building")
    half_built.write_bytes(b"a build cut off by a stopped server" * 100)
    first, second = bootstrap.start_build(path), bootstrap.start_build(path)
    assert first is second  # the second visitor watches the first one's build
    assert first.done.wait(timeout=300) and first.error is None
    assert _complete(path) and not half_built.exists()


@pytest.mark.browser
def test_a_reload_in_the_middle_of_the_first_start_build_ends_in_a_complete_store(tmp_path):
    """The app as cloned (no DATABLIK_DB, no store): the first visitor sees the build's progress,
    reloads in the middle and sees the same build going on, and then the login on a complete store."""
    require_chromium()
    app = tmp_path / "app"
    shutil.copytree(
        ROOT,
        app,
        # Not the app, and build/ and *.egg-info change under the copy while another test worker
        # builds the wheel (tests/test_packaging.py).
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "screenshots",
            "__pycache__",
            "*.duckdb*",
            "users.yaml",
            "secrets.toml",
            "backups",
            "build",
            "*.egg-info",
            ".pytest_cache",
            ".ruff_cache",
        ),
    )
    store = app / "data" / "datablik.duckdb"
    with streamlit_process({"DATABLIK_DB": None, "DATABLIK_USERS": None}, root=app) as (url, process), browser() as b:
        page = b.new_page()
        page.goto(url)
        bar = page.get_by_role("progressbar")
        bar.first.wait_for()
        page.get_by_text("Bygger demodata: Elever og målinger").first.wait_for()  # in the middle
        assert not store.exists()
        seen = page.wait_for_function(SHOWN_PROGRESS).json_value()[0]
        page.reload()
        login = page.get_by_label("Brugernavn")
        bar.or_(login).first.wait_for()
        now = page.evaluate(PROGRESS)
        assert now is None or now >= seen, (seen, now)  # the same build goes on, not a new one from the start
        login.first.wait_for(timeout=300000)
        wait_until_idle(page)
        log = process.log_path.read_text()
    assert log.count("bygger demodata i baggrunden") == 1, log
    assert _complete(store)
    assert not store.with_name(store.name + ".building").exists()
