"""Survey results per school, wave, respondent group and question: the LEAPS programme's yearly
survey, a project's baseline and endline, or the school's own survey (the generic format)."""

from __future__ import annotations

import polars as pl

from data.importers import common
from data.importers.engine import cell_problems

TITLE = "Spørgeskemaer"
KEY = ("survey_id", "institution_no", "wave", "respondent_group", "question_id")
TABLES = ("survey_result",)


def layout(raw) -> str:
    return "surveys"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    names = frame.group_by("survey_id").agg(pl.col("survey_name").n_unique().alias("names"))
    mixed = frame.join(names.filter(pl.col("names") > 1), on="survey_id", how="semi")
    return pl.concat(
        [
            common.check_years(frame, file_name),
            common.check_schools(cur, frame, file_name),
            cell_problems(
                file_name,
                mixed,
                pl.lit(True),
                "survey_name",
                "survey_name",
                "samme undersøgelse-id har flere navne i filen",
            ),
        ]
    )


def scope(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    return common.scope(frame, pl.col("survey_id"))


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.archive_delete(
        cur,
        "survey_result",
        "(survey_id, institution_no, school_year) IN (SELECT part, institution_no, school_year FROM import_scope)",
    )


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    source = pl.col("survey_source") if "survey_source" in frame.columns else pl.lit(None, pl.String)
    surveys = frame.group_by("survey_id").agg(
        pl.col("survey_name").first().alias("name"),
        source.drop_nulls().first().fill_null(prepared.file_name).alias("source"),
        pl.when(pl.col("institution_no").n_unique() == 1)
        .then(pl.col("institution_no").first())
        .alias("institution_no"),
    )
    with common.registered(cur, "incoming_surveys", surveys):
        cur.execute(
            "INSERT INTO survey (survey_id, name, source, institution_no) SELECT survey_id, name, source,"
            " institution_no FROM incoming_surveys ON CONFLICT (survey_id) DO UPDATE SET name = excluded.name"
        )
    share = (pl.col("share_favourable") / 100.0) if "share_favourable" in frame.columns else pl.lit(None, pl.Float64)
    mean = pl.col("mean") if "mean" in frame.columns else pl.lit(None, pl.Float64)
    common.insert(
        cur,
        "survey_result",
        frame.with_columns(share.alias("share_favourable"), mean.alias("mean"), pl.col("n").cast(pl.Int32)),
        batch_id,
    )
