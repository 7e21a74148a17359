"""Absence per pupil and month, in days of each kind (sygdom, med tilladelse, ulovligt)."""

from __future__ import annotations

import polars as pl

from data.importers import common
from data.importers.engine import cell_problems
from data.reference import refresh_absence_year

TITLE = "Elevfravær"
KEY = ("school_year", "student_key", "month")
TABLES = ("absence",)


def layout(raw) -> str:
    return "absence"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    absent = pl.col("illness_days") + pl.col("authorised_days") + pl.col("unauthorised_days")
    start = pl.col("school_year").str.slice(0, 4).cast(pl.Int32)
    month_year = pl.col("month").dt.year() - pl.when(pl.col("month").dt.month() >= 8).then(0).otherwise(1)
    return pl.concat(
        [
            cell_problems(
                file_name,
                frame,
                absent > pl.col("school_days"),
                "school_days",
                "school_days",
                "flere fraværsdage end skoledage i måneden (fravær over 100 %)",
            ),
            cell_problems(
                file_name,
                frame,
                month_year != start,
                "month",
                "month",
                "måneden ligger uden for skoleåret (1. august – 31. juli)",
            ),
            common.pupil_checks(cur, frame, file_name),
        ]
    )


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.delete_pupil_rows(cur, "absence")


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    common.insert(cur, "absence", frame, batch_id)
    # The file's schools and years, and any pupils `replace` removed there: recompute the summary.
    refresh_absence_year(cur, frame.select("institution_no", "school_year"))


def remove_batch(cur, batch_id: int) -> int:
    scope = cur.sql(
        "SELECT DISTINCT institution_no, school_year FROM absence WHERE batch_id = ?", params=[batch_id]
    ).pl()
    removed = common.remove_rows(cur, TABLES, batch_id)
    refresh_absence_year(cur, scope)
    return removed


def after_restore(cur, batch_id: int, restored: dict[str, int]) -> None:
    """Months a corrected file had replaced are back: sum them again."""
    if restored.get("absence"):
        refresh_absence_year(
            cur,
            cur.sql(
                "SELECT DISTINCT institution_no, school_year FROM import_batch_scope WHERE batch_id = ?",
                params=[batch_id],
            ).pl(),
        )
