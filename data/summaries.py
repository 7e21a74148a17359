"""The summaries of the pupil-level sources, kept by every writer: results (migration 17,
data/derived_summaries.sql), well-being and absence (migrations 20 and 22, data/derived_wellbeing_summaries.sql,
data/derived_absence_summaries.sql) and the register with what two sources say of the same pupils
(migration 22, data/derived_pupil_summaries.sql), and the class summaries summed from them (migration 25,
data/derived_class_summaries.sql), and each source's rows per school and year counted in them (migration 26,
data/derived_source_summaries.sql).

A writer that changes exam grades, national test results, well-being answers, absence or the pupil
register (who is in which school, grade, class) recomputes the summaries of the schools and school
years it touched, inside
its own transaction: `refresh(cur, pairs)` at once, or `mark(cur, pairs)` while it works and
`refresh_marked(cur)` before it commits (the import engine does that for every file and rollback).
`pairs` is a polars frame (or a SQL query) with the columns institution_no and school_year.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import duckdb
import polars as pl

HERE = Path(__file__).resolve().parent
# Each part: its SQL file. "wellbeing" reads wellbeing_score, "absence" absence_year, and "pupils" both
# (and the answers, for the respondents): the functions that write those (data/reference.py
# refresh_derived, refresh_absence_year) refresh them too.
PARTS = {
    "results": HERE / "derived_summaries.sql",
    "wellbeing": HERE / "derived_wellbeing_summaries.sql",
    "absence": HERE / "derived_absence_summaries.sql",
    "pupils": HERE / "derived_pupil_summaries.sql",
    "classes": HERE / "derived_class_summaries.sql",  # summed from what the parts above wrote
    "sources": HERE / "derived_source_summaries.sql",  # last: counted in every part above
}
# The parts the class summaries are summed from: a refresh of any of them refreshes the classes too;
# every refresh recounts the sources.
_CLASS_SOURCES = {"results", "wellbeing", "absence"}
SQL = PARTS["results"]
TABLES = (
    "exam_summary",
    "exam_subject_summary",
    "national_test_summary",
    "wellbeing_summary",
    "wellbeing_answer_summary",
    "absence_summary",
    "absence_month_summary",
    "pupil_summary",
    "class_summary",
    "class_band_summary",
    "source_summary",
)
# The tables the summaries are computed from: a writer of any of them keeps the summaries (well-being
# answers and absence months through the scores and absence_year they are summed into).
SOURCES = ("student", "exam_grade", "national_test", "national_test_band")
_DIRTY = "summary_dirty"


def _statements(part: str) -> list[str]:
    text = "\n".join(
        line for line in PARTS[part].read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("--")
    )
    return [s.strip() for s in text.split(";") if s.strip()]


def _frame(cur: duckdb.DuckDBPyConnection, pairs: pl.DataFrame | str | None) -> pl.DataFrame:
    if pairs is None:
        pairs = "SELECT DISTINCT institution_no, school_year FROM student"
    if isinstance(pairs, str):
        pairs = cur.sql(pairs).pl()
    return (
        pairs.select(pl.col("institution_no").cast(pl.String), pl.col("school_year").cast(pl.String))
        .drop_nulls()
        .unique()
    )


def refresh(
    cur: duckdb.DuckDBPyConnection,
    pairs: pl.DataFrame | str | None = None,
    parts: tuple[str, ...] = tuple(PARTS),
    dependents: bool = True,
) -> None:
    """Recompute the summaries of these (institution_no, school_year) pairs (default: every school
    and year in the register), inside the caller's transaction; `parts`: which of PARTS, with the
    class and source summaries summed from them unless `dependents` is False (the demo build, which
    sums those once at its end)."""
    scope = _frame(cur, pairs)
    if scope.is_empty():
        return
    if dependents and _CLASS_SOURCES & set(parts) and "classes" not in parts:
        parts = (*parts, "classes")
    if dependents and "sources" not in parts:
        parts = (*parts, "sources")
    cur.register("summary_scope", scope.to_arrow())
    try:
        for part in parts:
            for statement in _statements(part):
                cur.execute(statement)
    finally:
        with suppress(duckdb.Error):  # an aborted transaction refuses even this; the rollback cleans up
            cur.unregister("summary_scope")


def mark(cur: duckdb.DuckDBPyConnection, pairs: pl.DataFrame | str) -> None:
    """Note schools and years whose summaries `refresh_marked` must recompute (same connection)."""
    scope = _frame(cur, pairs)
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_DIRTY} (institution_no VARCHAR, school_year VARCHAR)")
    if not scope.is_empty():
        cur.register("summary_marked", scope.to_arrow())
        try:
            cur.execute(f"INSERT INTO {_DIRTY} SELECT institution_no, school_year FROM summary_marked")
        finally:
            with suppress(duckdb.Error):
                cur.unregister("summary_marked")


def refresh_marked(cur: duckdb.DuckDBPyConnection) -> None:
    """Recompute what `mark` noted, and forget it."""
    exists = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [_DIRTY]
    ).fetchall()[0][0]
    if not exists:
        return
    refresh(cur, f"SELECT DISTINCT institution_no, school_year FROM {_DIRTY}")
    cur.execute(f"DROP TABLE {_DIRTY}")
