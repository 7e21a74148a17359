"""The ministry's published figures per department (uddannelsesstatistik.dk): the "Skoletal"
overview (one row per department and school year, a column per measure, each possibly followed by
its municipality and country value) and the well-being cube (long: indicator, grade, gender)."""

from __future__ import annotations

import polars as pl

from data.importers import common
from data.importers.fields import fields, normalise
from data.importers.reading import LINE

TITLE = "Offentliggjorte skoletal (Uddannelsesstatistik.dk)"
KEY = ("institution_no", "department_no", "school_year", "indicator", "grade", "gender")
TABLES = ("published_school_figure",)
PUBLISHED = True  # the import records the day the figures were taken from the portal


def layout(raw) -> str:
    headers = {normalise(c) for c in raw.frame.columns}
    indicator_headers = {normalise(h) for f in fields("school_wellbeing") if f.name == "indicator" for h in f.headers}
    return "school_wellbeing" if headers & indicator_headers else "school_figures"


def _department(frame: pl.DataFrame) -> pl.DataFrame:
    department = (
        pl.coalesce(pl.col("department_no"), pl.col("institution_no"))
        if "department_no" in frame.columns
        else pl.col("institution_no")
    )
    name = pl.col("department_name") if "department_name" in frame.columns else pl.lit(None, pl.String)
    return frame.with_columns(department.alias("department_no"), name.alias("department_name"))


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return pl.concat([common.check_years(frame, file_name), common.check_schools(cur, frame, file_name)])


def _long(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    frame = _department(frame)
    base = ["school_year", "institution_no", "department_no", "department_name"]
    if layout == "school_wellbeing":

        def total(column: str) -> pl.Expr:
            c = pl.col(column).str.to_lowercase() if column in frame.columns else pl.lit(None, pl.String)
            return pl.when(c.is_null() | c.is_in(["i alt", "alle", "total"])).then(None).otherwise(pl.col(column))

        grade, gender = total("grade"), total("gender")
        breakdown = (
            pl.when(grade.is_null() & gender.is_null())
            .then(pl.lit("alle"))
            .otherwise(pl.concat_str([grade.fill_null("alle klassetrin"), gender.fill_null("alle")], separator=" · "))
        )
        columns = {"value": "school_value", "value@kommune": "municipality_value", "value@land": "country_value"}
        return frame.select(
            *base,
            pl.col("indicator").alias("measure"),
            breakdown.alias("breakdown"),
            *[(pl.col(c) if c in frame.columns else pl.lit(None, pl.Float64)).alias(a) for c, a in columns.items()],
            (pl.col("n") if "n" in frame.columns else pl.lit(None)).cast(pl.Int32).alias("n"),
            pl.lit(None, pl.String).alias("note"),
        )
    measures = [f.name for f in fields("school_figures") if f.type.startswith("figure") and "@" not in f.name]
    pupils = pl.col("pupils").cast(pl.Int32) if "pupils" in frame.columns else pl.lit(None, pl.Int32)
    parts = []
    for m in measures:
        cols = [m, f"{m}@kommune", f"{m}@land"]
        if not any(c in frame.columns for c in cols):
            continue
        note = (
            pl.col("socio_significance")
            if m == "socio_difference" and "socio_significance" in frame.columns
            else pl.lit(None, pl.String)
        )
        parts.append(
            frame.select(
                *base,
                pl.lit(m).alias("measure"),
                pl.lit("alle").alias("breakdown"),
                *[
                    (pl.col(c) if c in frame.columns else pl.lit(None, pl.Float64)).alias(a)
                    for c, a in zip(cols, ("school_value", "municipality_value", "country_value"), strict=True)
                ],
                pupils.alias("n"),
                note.alias("note"),
            )
        )
    long = pl.concat(parts) if parts else pl.DataFrame()
    return long.filter(
        pl.any_horizontal(pl.col(c).is_not_null() for c in ("school_value", "municipality_value", "country_value"))
    )


def scope(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    return common.scope(frame, layout)


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    source = _source(layout).replace("'", "''")
    common.archive_delete(
        cur,
        "published_school_figure",
        "(institution_no, school_year) IN "
        "(SELECT institution_no, school_year FROM import_scope) AND batch_id IN "
        f"(SELECT batch_id FROM import_batch WHERE source = '{source}')",
    )


def _source(layout: str) -> str:
    return "school-figures" if layout == "school_figures" else f"school-figures/{layout}"


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    long = _long(frame.drop(LINE), prepared.layout)
    common.insert(
        cur, "published_school_figure", long.with_columns(pl.lit(prepared.retrieved_on).alias("retrieved_on")), batch_id
    )
