"""Configuration tables kept as files in data/reference/ and loaded into every store."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import duckdb

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DERIVED_SQL = Path(__file__).resolve().parent / "derived.sql"
DERIVED_ABSENCE_SQL = Path(__file__).resolve().parent / "derived_absence.sql"


@lru_cache(maxsize=1)
def settings() -> dict:
    with open(REFERENCE_DIR / "settings.toml", "rb") as f:
        return tomllib.load(f)


def _csv(name: str) -> str:
    return str(REFERENCE_DIR / name)


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the configuration tables with the files' contents (inside the caller's transaction)."""
    con.execute("DELETE FROM wellbeing_answer_scale")
    con.execute(
        "INSERT INTO wellbeing_answer_scale SELECT scale, option_no, label"
        " FROM read_csv(?, delim=';', header=true, all_varchar=true)",
        [_csv("wellbeing_answer_scales.csv")],
    )
    con.execute("DELETE FROM wellbeing_question")
    con.execute(
        """
        INSERT INTO wellbeing_question
        SELECT q.question_id, q.grade_band, q.text, q.scale,
               (SELECT max(option_no) FROM wellbeing_answer_scale s WHERE s.scale = q.scale),
               q.first_option_best::BOOLEAN, nullif(q.indicator, ''),
               row_number() OVER ()
        FROM read_csv(?, delim=';', header=true, all_varchar=true) q
        """,
        [_csv("wellbeing_questions.csv")],
    )
    bands = con.execute("SELECT band, lower_share FROM national_test_band ORDER BY ALL").fetchall()
    con.execute("DELETE FROM national_test_band")
    con.execute(
        "INSERT INTO national_test_band SELECT band, lower_share::DOUBLE, label, rank::TINYINT"
        " FROM read_csv(?, delim=';', header=true, all_varchar=true)",
        [_csv("national_test_bands.csv")],
    )
    if bands != con.execute("SELECT band, lower_share FROM national_test_band ORDER BY ALL").fetchall():
        from data import summaries  # the summaries count results per band: new limits, new counts

        summaries.refresh(con, "SELECT DISTINCT institution_no, school_year FROM national_test_summary", ("results",))
    con.execute("DELETE FROM leaps_rule")
    con.execute(
        "INSERT INTO leaps_rule SELECT rule, value::DOUBLE, label"
        " FROM read_csv(?, delim=';', header=true, all_varchar=true)",
        [_csv("leaps_rules.csv")],
    )
    con.execute("DELETE FROM leaps_subject")
    con.execute(
        "INSERT INTO leaps_subject SELECT subject, from_grade::TINYINT, to_grade::TINYINT"
        " FROM read_csv(?, delim=';', header=true, all_varchar=true)",
        [_csv("leaps_subjects.csv")],
    )
    con.execute("DELETE FROM reference_value WHERE level = 'land'")
    con.execute(
        "INSERT INTO reference_value SELECT 'land', 'DK', school_year, measure, value::DOUBLE,"
        " source, note FROM read_csv(?, delim=';', header=true, all_varchar=true)",
        [_csv("national_figures.csv")],
    )


def refresh_derived(con: duckdb.DuckDBPyConnection, years: list[str] | None = None) -> None:
    """Recompute tables derived from raw answers for these school years (default: every year with
    answers), and their summaries (migrations 20 and 22), inside the caller's transaction."""
    from data import summaries

    if years is None:
        years = [r[0] for r in con.execute("SELECT DISTINCT school_year FROM wellbeing_answer").fetchall()]
    text = "\n".join(
        line for line in DERIVED_SQL.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("--")
    )
    for statement in (s.strip() for s in text.split(";")):
        if statement:
            con.execute(statement, {"years": list(years)})
    for year in years:  # the scores of the whole year changed; one year at a time keeps memory flat
        pairs = con.sql("SELECT DISTINCT institution_no, school_year FROM student WHERE school_year = ?", params=[year])
        summaries.refresh(con, pairs.pl(), ("wellbeing", "pupils"))


def refresh_absence_year(con: duckdb.DuckDBPyConnection, scope, summarise: bool = True) -> None:
    """Recompute absence_year and the absence and pupil summaries (migrations 20, 22) for these (institution_no,
    school_year) pairs (a polars frame), inside the caller's transaction; without `summarise`, absence_year
    only (the demo build sums the summaries itself)."""
    from data import summaries

    text = "\n".join(
        line
        for line in DERIVED_ABSENCE_SQL.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("--")
    )
    con.register("absence_scope", scope.select("institution_no", "school_year").unique().to_arrow())
    try:
        for statement in (s.strip() for s in text.split(";")):
            if statement:
                con.execute(statement)
    finally:
        con.unregister("absence_scope")
    if summarise:
        summaries.refresh(con, scope, ("absence", "pupils"))
