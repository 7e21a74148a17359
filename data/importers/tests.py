"""National test results per pupil, subject and profile area (confidential: § 55 b)."""

from __future__ import annotations

import polars as pl

from data.importers import common
from data.importers.engine import cell_problems

TITLE = "Nationale test"
KEY = ("school_year", "student_key", "subject", "profile_area")
TABLES = ("national_test",)


def layout(raw) -> str:
    return "tests"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return pl.concat(
        [
            cell_problems(
                file_name,
                frame,
                pl.col("points") > pl.col("max_points"),
                "points",
                "points",
                "flere point end det højest mulige (Maks point)",
            ),
            common.pupil_checks(cur, frame, file_name),
        ]
    )


def _complete(frame: pl.DataFrame) -> pl.DataFrame:
    area = (
        pl.col("profile_area").str.to_lowercase().fill_null("samlet")
        if "profile_area" in frame.columns
        else pl.lit("samlet")
    )
    return frame.with_columns(area.alias("profile_area"))


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.delete_pupil_rows(cur, "national_test")


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    common.insert(cur, "national_test", _complete(frame), batch_id)
