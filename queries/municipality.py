"""The Kommune screen's figures: every school of a municipality, each indicator and school year, from
the pupil-level queries, the LEAPS registrations and, where the store has no pupil-level figure, the
ministry's published figures; the country's values beside them. Pure data (no Streamlit): drawn by
components/municipality_sections.py."""

from __future__ import annotations

from datetime import date

import polars as pl

from queries import indicators
from queries.key_figures import PUBLISHED_SOURCE
from queries.runner import Runner, Scope


def load(runner: Runner, scope: Scope, municipality: str, years: list[str]) -> pl.DataFrame:
    frame = runner.run("municipality_school_indicators", scope, municipality=municipality, years=years)
    leaps = []
    for year in years:
        status = runner.run(
            "municipality_leaps_status", scope, municipality=municipality, school_year=year, as_of=date.today()
        )
        leaps.append(
            status.select(
                pl.lit(year).alias("school_year"),
                "institution_no",
                "school_name",
                pl.lit("leaps_done_share").alias("indicator"),
                (pl.col("courses_done") * 100.0 / pl.col("courses_required")).alias("value"),
                pl.lit(None, pl.Float64).alias("sd"),
                pl.col("courses_required").cast(pl.Int64).alias("n"),
                pl.lit(False).alias("suppressed"),
            )
        )
    frame = pl.concat([frame, *leaps], how="diagonal_relaxed").with_columns(pl.lit(False).alias("published"))
    return with_published(frame, published(runner, scope, municipality, years))


def default_indicators(frame: pl.DataFrame, year: str, most: int = 6) -> list[str]:
    """The usual indicators that have figures this year, then any other indicator with figures
    (a municipality with only published figures gets the published measures)."""
    available = set(frame.filter((pl.col("school_year") == year) & pl.col("value").is_not_null())["indicator"])
    chosen = [k for k in indicators.KOMMUNE_DEFAULT if k in available]
    chosen += [i.key for i in indicators.KOMMUNE if i.key in available and i.key not in chosen]
    return chosen[:most] or list(indicators.KOMMUNE_DEFAULT)


def published(runner: Runner, scope: Scope, municipality: str, years: list[str]) -> pl.DataFrame:
    return runner.run("municipality_published_figures", scope, municipality=municipality, years=years)


def with_published(frame: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """Add the ministry's published figures where the store has no pupil-level figure for that school,
    year and indicator (pupil-level figures carry their spread, so only they can be judged against noise)."""
    if figures.is_empty():
        return frame
    keys = ["school_year", "institution_no", "indicator"]
    have = frame.filter(pl.col("value").is_not_null() | pl.col("suppressed"))
    schools = (
        figures.filter(pl.col("value").is_not_null())
        .join(have.filter(pl.col("institution_no").is_not_null()).select(keys), on=keys, how="anti")
        .select(
            "school_year",
            "institution_no",
            "school_name",
            "indicator",
            "value",
            pl.lit(None, pl.Float64).alias("sd"),
            pl.col("n").cast(pl.Int64),
            pl.lit(False).alias("suppressed"),
            pl.lit(True).alias("published"),
            # the ministry's own assessment, published only for the socio-economic reference
            pl.when(pl.col("indicator") == "socio_difference").then(pl.col("note")).alias("significance"),
        )
    )
    municipality = (
        figures.filter(pl.col("municipality_value").is_not_null())
        .group_by("school_year", "indicator")
        .agg(pl.col("municipality_value").first().alias("value"))
        .join(
            have.filter(pl.col("institution_no").is_null()).select("school_year", "indicator"),
            on=["school_year", "indicator"],
            how="anti",
        )
        .select(
            "school_year",
            pl.lit(None, pl.String).alias("institution_no"),
            pl.lit("Kommunen").alias("school_name"),
            "indicator",
            "value",
            pl.lit(None, pl.Float64).alias("sd"),
            pl.lit(None, pl.Int64).alias("n"),
            pl.lit(False).alias("suppressed"),
            pl.lit(True).alias("published"),
        )
    )
    return pl.concat([frame, schools, municipality], how="diagonal_relaxed")


def country_values(runner: Runner, scope: Scope, municipality: str, years: list[str]) -> pl.DataFrame:
    """National reference values; a published country value from an import fills a year the
    configured national figures do not cover."""
    country = runner.run("national_reference_values", scope, years=years)
    figures = published(runner, scope, municipality, years).filter(pl.col("country_value").is_not_null())
    if figures.is_empty():
        return country
    imported = figures.group_by("school_year", pl.col("indicator").alias("measure")).agg(
        pl.col("country_value").first().alias("value"), pl.col("retrieved_on").max()
    )
    imported = imported.join(country.select("measure", "school_year"), on=["measure", "school_year"], how="anti")
    return pl.concat(
        [
            country,
            imported.select(
                "measure",
                "school_year",
                "value",
                pl.lit(PUBLISHED_SOURCE).alias("source"),
                pl.format("hentet {}", pl.col("retrieved_on").dt.strftime("%d.%m.%Y")).alias("note"),
            ),
        ],
        how="diagonal_relaxed",
    )


def published_socio(runner: Runner, scope: Scope, municipality: str, year: str, stored: pl.DataFrame) -> pl.DataFrame:
    """The published expected average, difference and the ministry's assessment for the schools the
    store holds no socio-economic reference for (Skoletal: Socioøkonomisk reference, Forskel, Signifikant forskel)."""
    figures = published(runner, scope, municipality, [year]).filter(
        pl.col("indicator").is_in(["socio_expected", "socio_difference"]) & pl.col("value").is_not_null()
    )
    expected = figures.filter(pl.col("indicator") == "socio_expected").select(
        "institution_no", "school_name", pl.col("value").alias("expected_average")
    )
    difference = figures.filter(pl.col("indicator") == "socio_difference").select(
        "institution_no", "school_name", pl.col("value").alias("difference"), pl.col("note").alias("significance")
    )
    rows = expected.join(difference, on=["institution_no", "school_name"]).join(
        stored.select("institution_no"), on="institution_no", how="anti"
    )
    return rows.select(
        "school_name",
        "expected_average",
        (pl.col("expected_average") + pl.col("difference")).alias("actual"),
        "significance",
        pl.lit(None, pl.Int64).alias("n"),
    )
