"""The pupil register: one row per pupil and school year (pseudonymous key, never CPR)."""
from __future__ import annotations

import polars as pl

from data.importers import common

TITLE = "Elevregister"
KEY = ("school_year", "student_key")
TABLES = ("student",)


def layout(raw) -> str:
    return "pupils"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return pl.concat([common.check_years(frame, file_name), common.check_schools(cur, frame, file_name)])


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    cur.execute("DELETE FROM student WHERE (institution_no, school_year) IN "
                "(SELECT institution_no, school_year FROM import_scope)")


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    defaults = {"bilingual": False, "special_class": False, "reception_class": False, "reduced_timetable": False}
    frame = frame.with_columns(
        [pl.col(c).fill_null(v) if c in frame.columns else pl.lit(v).alias(c) for c, v in defaults.items()]
        + [pl.col("months_enrolled").fill_null(11).cast(pl.Int8) if "months_enrolled" in frame.columns
           else pl.lit(11, pl.Int8).alias("months_enrolled")])
    common.insert(cur, "student", frame, batch_id)
