"""LEAPS courses (forløb) per school, school year and year group.

The courses live in the operational store (they are edited while people work; DuckDB migration 023):
the import checks against them there, and its deletes, archive copies and inserts run in the
operational transaction that commits with the import's DuckDB transaction (`audit.later`), so
the batch and its rows are written together or not at all."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from data import audit, operational_store, store
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
    existing = operational(cur).frame("leaps_course").select("course_id", "institution_no", "school_year")
    with common.registered(cur, "existing_course", existing):
        common_ids = common._with(
            cur,
            frame.select(common.LINE, "course_id", "institution_no", "school_year"),
            """
            SELECT i.* FROM incoming i JOIN existing_course c USING (course_id)
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


def operational(cur) -> operational_store.OperationalStore:
    """The operational store of the store this cursor writes (also a new version being written)."""
    return operational_store.for_store(store.live_path(store.database_file(cur)))


_WHERE = "institution_no = ? AND school_year = ?"


def _columns(ops: operational_store.OperationalStore) -> str:
    return ", ".join(f'"{name}"' for name, _ in ops.columns("leaps_course"))


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    """The courses of the file's schools and years are replaced: archived under this batch, then deleted."""
    ops = operational(cur)
    batch_id = cur.execute("SELECT batch_id FROM import_current").fetchall()[0][0]
    pairs = cur.execute("SELECT DISTINCT institution_no, school_year FROM import_scope").fetchall()
    columns = _columns(ops)

    def work(ocur) -> None:
        ocur.executemany(
            f"INSERT INTO import_archive_leaps_course (archived_by, {columns}) "
            f"SELECT ?, {columns} FROM leaps_course WHERE {_WHERE}",
            [(batch_id, school, year) for school, year in pairs],
        )
        ocur.executemany(f"DELETE FROM leaps_course WHERE {_WHERE}", pairs)

    audit.later(cur, work)


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    competences = (
        pl.col("competences").fill_null([]) if "competences" in frame.columns else pl.lit([], pl.List(pl.String))
    )
    frame = frame.with_columns(
        competences.alias("competences"),
        pl.lit(prepared.imported_by).alias("updated_by"),
        pl.lit(datetime.now()).alias("updated_at"),
        pl.lit(batch_id, pl.Int64).alias("batch_id"),
    )
    ops = operational(cur)
    audit.later(cur, lambda ocur: ops.insert_frame(ocur, "leaps_course", frame))


def remove_batch(cur, batch_id: int) -> int:
    """A rollback: the batch's courses go, in the operational transaction of the rollback."""
    ops = operational(cur)
    (removed,) = ops.rows("SELECT count(*) FROM leaps_course WHERE batch_id = ?", [batch_id])[0]
    audit.later(cur, lambda ocur: ocur.execute("DELETE FROM leaps_course WHERE batch_id = ?", [batch_id]))
    return removed


def after_restore(cur, batch_id: int, restored: dict[str, int]) -> None:
    """A rollback: the courses the batch replaced come back from the operational archive."""
    ops = operational(cur)
    (kept,) = ops.rows("SELECT count(*) FROM import_archive_leaps_course WHERE archived_by = ?", [batch_id])[0]
    if not kept:
        return
    columns = _columns(ops)

    def work(ocur) -> None:
        ocur.execute(
            f"INSERT INTO leaps_course ({columns}) SELECT {columns} FROM import_archive_leaps_course"
            " WHERE archived_by = ?",
            [batch_id],
        )
        ocur.execute("DELETE FROM import_archive_leaps_course WHERE archived_by = ?", [batch_id])

    audit.later(cur, work)
    restored["leaps_course"] = restored.get("leaps_course", 0) + kept
