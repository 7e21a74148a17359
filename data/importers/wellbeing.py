"""Well-being survey answers: one row per pupil, one column per question (the question's id from
data/reference/wellbeing_questions.csv). Pupil scores are derived after the load (data/derived.sql),
by the official rule. Individual answers are never shown for an identifiable pupil."""

from __future__ import annotations

import re

import polars as pl

from data.importers import common
from data.importers.fields import Field
from data.reference import refresh_derived

TITLE = "Trivselsmålingen"
KEY = ("school_year", "student_key")
TABLES = ("wellbeing_answer",)
_QUESTION_ID = re.compile(r"^\s*([A-Za-z0-9]+_[A-Za-z0-9]+)\b")


def layout(raw) -> str:
    return "wellbeing"


def dynamic_columns(cur, columns: list[str]) -> dict[str, Field]:
    """Question columns: the header starts with the question's id, optionally followed by its text."""
    questions = {
        qid.casefold(): (qid, n, scale)
        for qid, n, scale in cur.execute("SELECT question_id, n_options, scale FROM wellbeing_question").fetchall()
    }
    found = {}
    for column in columns:
        match = _QUESTION_ID.match(column)
        if match and match.group(1).casefold() in questions:
            qid, n, scale = questions[match.group(1).casefold()]
            found[column] = Field(qid, f"answer:{n}:{scale}", False, (qid,), "svar")
    return found


def _questions(cur, frame: pl.DataFrame) -> list[str]:
    known = {r[0] for r in cur.execute("SELECT question_id FROM wellbeing_question").fetchall()}
    return [c for c in frame.columns if c in known]


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return common.pupil_checks(cur, frame, file_name)


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.delete_pupil_rows(cur, "wellbeing_answer")


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    questions = _questions(cur, frame)
    ordered = frame.select("school_year", "institution_no", "student_key", *questions).sort(
        "school_year", "institution_no", "student_key"
    )
    with common.registered(cur, "incoming", ordered):
        cur.execute(f"""
            INSERT INTO wellbeing_answer (school_year, student_key, institution_no, question_id, answer_option,
                                          batch_id)
            SELECT school_year, student_key, institution_no, question_id, answer_option, {int(batch_id)}
            FROM (UNPIVOT incoming ON {", ".join(f'"{q}"' for q in questions)}
                  INTO NAME question_id VALUE answer_option)""")
    refresh_derived(cur, frame["school_year"].unique().to_list())


def remove_batch(cur, batch_id: int) -> int:
    years = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT school_year FROM wellbeing_answer WHERE batch_id = ?", [batch_id]
        ).fetchall()
    ]
    removed = common.remove_rows(cur, TABLES, batch_id)
    refresh_derived(cur, years)
    return removed


def after_restore(cur, batch_id: int, restored: dict[str, int]) -> None:
    """Answers a corrected file had replaced are back: score them again."""
    if restored.get("wellbeing_answer"):
        years = [
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT school_year FROM import_batch_scope WHERE batch_id = ?", [batch_id]
            ).fetchall()
        ]
        refresh_derived(cur, years)
