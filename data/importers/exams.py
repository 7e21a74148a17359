"""Exam grades (afgangsprøver) per pupil and subject, on the 7-point scale."""

from __future__ import annotations

import polars as pl

from data.importers import common
from data.importers.fields import values

TITLE = "Afgangsprøver"
KEY = ("school_year", "student_key", "subject")
TABLES = ("exam_grade",)


def layout(raw) -> str:
    return "exams"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return common.pupil_checks(cur, frame, file_name)


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.delete_pupil_rows(cur, "exam_grade")


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    bound_list = pl.col("subject").str.to_lowercase().is_in(list(values("bound_exam")))
    bound = pl.coalesce(pl.col("bound"), bound_list) if "bound" in frame.columns else bound_list
    common.insert(cur, "exam_grade", frame.with_columns(bound.alias("bound")), batch_id)
