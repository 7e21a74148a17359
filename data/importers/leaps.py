"""LEAPS courses (forløb) per school, school year and year group."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from data.importers import common
from data.importers.engine import cell_problems
from data.validation import LEAPS_COMPETENCES

TITLE = "LEAPS-forløb"
KEY = ("course_id",)
TABLES = ("leaps_course",)


def layout(raw) -> str:
    return "leaps"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    subjects = [r[0] for r in cur.execute("SELECT subject FROM leaps_subject").fetchall()]
    bad_subject = pl.col("subjects").list.eval(~pl.element().is_in(subjects)).list.any()
    parts = [
        common.check_years(frame, file_name),
        common.check_schools(cur, frame, file_name),
        cell_problems(
            file_name, frame, bad_subject, "subjects", "subjects", "ukendt fag. Kendte fag: " + ", ".join(subjects)
        ),
        cell_problems(
            file_name,
            frame,
            pl.col("end_date") < pl.col("start_date"),
            "end_date",
            "end_date",
            "forløbet slutter før det starter",
        ),
        cell_problems(
            file_name, frame, pl.col("subjects").list.len() == 0, "subjects", "subjects", "skriv mindst ét fag"
        ),
    ]
    if "competences" in frame.columns:
        known = [c.casefold() for c in LEAPS_COMPETENCES]
        bad = pl.col("competences").list.eval(~pl.element().is_in(known)).list.any().fill_null(False)
        parts.append(
            cell_problems(
                file_name,
                frame,
                bad,
                "competences",
                "competences",
                "ukendt kompetence. De seks er: " + ", ".join(LEAPS_COMPETENCES),
            )
        )
    common_ids = common._with(
        cur,
        frame.select(common.LINE, "course_id", "institution_no", "school_year"),
        """
        SELECT i.* FROM incoming i JOIN leaps_course c USING (course_id)
        WHERE c.institution_no <> i.institution_no OR c.school_year <> i.school_year""",
    )
    parts.append(
        cell_problems(
            file_name,
            common_ids,
            pl.lit(True),
            "course_id",
            "course_id",
            "forløbs-id'et bruges allerede af et forløb på en anden skole eller i et andet skoleår",
        )
    )
    return pl.concat(parts)


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.archive_delete(
        cur, "leaps_course", "(institution_no, school_year) IN (SELECT institution_no, school_year FROM import_scope)"
    )


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    competences = (
        pl.col("competences").fill_null([]) if "competences" in frame.columns else pl.lit([], pl.List(pl.String))
    )
    frame = frame.with_columns(
        competences.alias("competences"),
        pl.lit(prepared.imported_by).alias("updated_by"),
        pl.lit(datetime.now()).alias("updated_at"),
    )
    common.insert(cur, "leaps_course", frame, batch_id)
