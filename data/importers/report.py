"""The validation report in plain Danish, for the command line and the Data screen."""

from __future__ import annotations

import polars as pl

from data.importers.engine import Prepared, thousands


def problem_line(row: dict) -> str:
    where = [row["file"]]
    if row["line"] is not None:
        where.append(f"linje {row['line']}")
    if row["column"]:
        where.append(f"kolonne »{row['column']}«")
    value = f" (værdi »{row['value']}«)" if row["value"] not in (None, "") else ""
    if len(where) == 1 and not value and row["message"].startswith(f"{row['file']}"):
        return row["message"]  # a problem with the whole file names the file itself (reading.FileRefused)
    return f"{', '.join(where)}{value}: {row['message']}"


def summary(prepared: Prepared) -> str:
    if prepared.ok:
        return f"{prepared.file_name}: {thousands(prepared.rows)} rækker, alle i orden."
    return (
        f"{prepared.file_name}: {thousands(prepared.problem_count)} problem(er); "
        f"{thousands(prepared.good_rows)} af {thousands(prepared.rows)} rækker er i orden. Intet er importeret."
    )


def table(problems: pl.DataFrame) -> pl.DataFrame:
    """The report as a table with Danish headings (for the screen and the CSV download)."""
    return problems.select(
        pl.col("file").alias("Fil"),
        pl.col("line").alias("Linje"),
        pl.col("column").alias("Kolonne"),
        pl.col("value").alias("Værdi"),
        pl.col("message").alias("Forklaring"),
    )
