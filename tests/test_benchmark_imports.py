"""The import the benchmarks time (benchmarks/imports.py): the corrected well-being survey written from
a store's own pupils imports completely, replaces the newest year's answers at every school and no
other year's, and a second import of the same file changes nothing."""

from __future__ import annotations

import duckdb


def _answers_per_year(store) -> dict[str, int]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return dict(con.execute("SELECT school_year, count(*) FROM wellbeing_answer GROUP BY 1").fetchall())
    finally:
        con.close()


def test_the_benchmarks_corrected_survey_replaces_the_newest_year_and_imports_once(store_copy, tmp_path):
    from benchmarks.imports import run_import, store_wellbeing_file

    before = _answers_per_year(store_copy)
    newest = max(before)
    path = store_wellbeing_file(store_copy, tmp_path)
    con = duckdb.connect(str(store_copy), read_only=True)
    try:
        pupils = con.execute(
            "SELECT count(*) FROM student WHERE school_year = ? AND grade BETWEEN 4 AND 9", [newest]
        ).fetchone()[0]
    finally:
        con.close()

    first = run_import(store_copy, "wellbeing", path)
    after = _answers_per_year(store_copy)
    assert first["ok"] and first["peak_mb"] > 0
    assert {y: n for y, n in after.items() if y != newest} == {y: n for y, n in before.items() if y != newest}
    assert 0.97 * 40 * pupils < after[newest] <= 40 * pupils  # every pupil's 40 answers, about 2 % blank

    second = run_import(store_copy, "wellbeing", path)
    assert second["ok"] and "intet er ændret" in second["said"]
    assert _answers_per_year(store_copy) == after
