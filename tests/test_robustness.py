"""Robustness: a store that is missing, locked, newer or corrupt gives a clear Danish message; a
read-only store still shows every figure; a failing query costs one part of a page, not the page."""

from __future__ import annotations

import duckdb
import pytest

from data import store
from queries.runner import QueryError, Runner, Scope
from tests.operational import copy_store
from tests.test_app_pages import login, start


def _message(at) -> str:
    assert not at.exception, at.exception
    return " ".join(e.value for e in at.error)


def test_a_configured_store_that_is_missing_is_reported_not_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "mangler.duckdb"))
    at = start()
    assert not at.exception and "Der er ingen database i" in at.warning[0].value  # and how to make one
    assert not (tmp_path / "mangler.duckdb").exists()


def test_a_store_from_a_newer_datablik_is_refused(demo_store, tmp_path, monkeypatch):
    copy = tmp_path / "newer.duckdb"
    copy_store(demo_store, copy)
    con = duckdb.connect(str(copy))
    con.execute("INSERT INTO schema_version VALUES (999, '999_future.sql', now())")
    con.close()
    monkeypatch.setenv("DATABLIK_DB", str(copy))
    assert "nyere udgave af Datablik" in _message(start())


def test_a_corrupt_store_is_reported(tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 1000)
    monkeypatch.setenv("DATABLIK_DB", str(broken))
    assert "beskadiget" in _message(start())


def test_a_store_locked_by_another_process_is_reported(demo_store, tmp_path, monkeypatch):
    import subprocess
    import sys

    copy = tmp_path / "locked.duckdb"
    copy_store(demo_store, copy)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(copy)!r}); print('ok', flush=True); sys.stdin.read()",
        ],  # holds it until killed
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(store.StoreHeld, match=rf"bruges af python\S* \(proces {holder.pid}\); vent"):
            store.connect(copy)
    finally:
        holder.kill()


def test_a_read_only_store_shows_the_figures_saves_edits_and_refuses_imports(demo_store, tmp_path, monkeypatch):
    copy = tmp_path / "ro.duckdb"
    copy_store(demo_store, copy)
    monkeypatch.setenv("DATABLIK_DB", str(copy))
    monkeypatch.setenv("DATABLIK_READ_ONLY", "1")
    at = login("leder", "demo-leder")
    assert at.title[0].value.startswith("Overblik") and not at.exception
    assert any("skrivebeskyttet" in i.value for i in at.info)
    runner = Runner(store.connect(copy, read_only=True), read_only=True)
    with pytest.raises(QueryError, match="skrivebeskyttet"):  # an import writes the DuckDB file
        runner.transaction(lambda cur: None)
    pupil = (
        runner.import_cursor()
        .execute(
            "SELECT student_key FROM student WHERE institution_no = '900001' AND school_year = '2025/26'"
            " AND grade = 4 ORDER BY student_key LIMIT 1"
        )
        .fetchone()[0]
    )
    row = {"school": "900001", "school_year": "2025/26", "term": "efterår", "student_key": pupil, "grade": 4}
    row |= {"area": "dansk", "score": 3, "username": "leder"}
    assert runner.write("upsert_pupil_assessment", runner_scope(), "leder", [row]) == 1  # the operational store


def runner_scope():
    from queries.runner import Scope

    return Scope("ledelse", frozenset(["900001"]))


def test_a_failing_query_costs_one_part_of_the_page(demo_store, monkeypatch):
    original = Runner.run

    def failing(self, name, scope, **params):
        if name == "absence_by_month":
            raise QueryError("Forespørgslen tog for lang tid og blev stoppet.")
        return original(self, name, scope, **params)

    monkeypatch.setattr(Runner, "run", failing)
    at = login("leder", "demo-leder")
    at.switch_page("views/fravaer.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Denne del af siden kunne ikke vises: Forespørgslen tog for lang tid og blev stoppet."
    ]
    assert [h.value for h in at.header] == [
        "Fraværet i skoleåret",
        "Over årene",
        "Måned for måned",
        "Klassetrin for klassetrin",
        "Fravær og social trivsel",
    ]
    assert len(at.get("vega_lite_chart")) >= 3  # the other charts are still drawn


def _section_functions_without_a_guard() -> list[str]:
    """The public functions of components/*_sections.py and components/presentation.py that draw (st.*)
    and run queries (take the runner or call .run) but are not decorated with screen.guarded."""
    import ast

    from tests.conftest import ROOT

    def draws(fn) -> bool:
        return any(
            isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "st" for n in ast.walk(fn)
        )

    def queries(fn) -> bool:
        return "runner" in [a.arg for a in fn.args.args + fn.args.kwonlyargs] or any(
            isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "run" for n in ast.walk(fn)
        )

    files = [*sorted((ROOT / "components").glob("*_sections.py")), ROOT / "components" / "presentation.py"]
    return [
        f"{path.name}:{fn.name}"
        for path in files
        for fn in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(fn, ast.FunctionDef)
        and not fn.name.startswith("_")
        and draws(fn)
        and queries(fn)
        and "guarded" not in [ast.unparse(d).rsplit(".", 1)[-1] for d in fn.decorator_list]
    ]


def test_every_section_that_runs_queries_is_guarded():
    """A part of a screen that queries the store is wrapped by components.screen.guarded, so its failing
    query shows a Danish message in its place and the rest of the page still renders."""
    assert _section_functions_without_a_guard() == []


def test_a_failing_query_in_a_screen_that_uses_its_result_costs_only_that_part(demo_store, monkeypatch):
    """The Årgang grid's query fails: its Danish message stands in its place, the editor that needs its
    rows is left out, and the sections below still render."""
    original = Runner.run

    def failing(self, name, scope, **params):
        if name == "year_group_assessments":
            raise QueryError("Forespørgslen tog for lang tid og blev stoppet.")
        return original(self, name, scope, **params)

    monkeypatch.setattr(Runner, "run", failing)
    at = login("leder", "demo-leder")
    at.switch_page("views/aargang.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Denne del af siden kunne ikke vises: Forespørgslen tog for lang tid og blev stoppet."
    ]
    assert "Elever med flere advarselstegn" in [h.value for h in at.header]


def _corrupt_table_blocks(path, table: str) -> None:
    """Overwrite the middle of every storage block of `table` (the file's header stays intact, so
    the store still opens; reading the table fails its checksum)."""
    con = duckdb.connect(str(path), read_only=True)
    blocks = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT block_id FROM pragma_storage_info('{table}') WHERE block_id >= 0"
        ).fetchall()
    ]
    block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    con.close()
    with open(path, "r+b") as f:
        for block in blocks:
            f.seek(3 * 4096 + block * block_size + block_size // 2)
            f.write(b"\xff" * 4096)


def test_a_store_with_a_corrupt_block_says_so_in_danish_and_how_to_restore(demo_store, tmp_path):
    broken = tmp_path / "block.duckdb"
    copy_store(demo_store, broken)
    for table in ("absence", "absence_year", "absence_summary"):  # absence_by_grade reads the summary
        _corrupt_table_blocks(broken, table)
    runner = Runner(duckdb.connect(str(broken), read_only=True), 5)
    with pytest.raises(QueryError, match=r"beskadiget.*python -m data restore") as refused:
        runner.run("absence_by_grade", Scope("admin", None), school="100001", school_year="2024/25")
    assert "checksum" not in str(refused.value)  # DuckDB's own words stay in the server log


def test_a_screen_on_a_store_with_a_corrupt_block_shows_the_danish_advice_not_a_traceback(
    demo_store, tmp_path, monkeypatch
):
    broken = tmp_path / "block.duckdb"
    copy_store(demo_store, broken)
    for table in ("absence", "absence_year", "absence_summary"):  # absence_by_grade reads the summary
        _corrupt_table_blocks(broken, table)
    monkeypatch.setenv("DATABLIK_DB", str(broken))
    at = login("leder", "demo-leder").switch_page("views/fravaer.py").run()
    assert "beskadiget" in _message(at) and "python -m data restore" in _message(at)
