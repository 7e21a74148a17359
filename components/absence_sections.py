"""The parts of the Fravær screen: key figures, trend, months, grades, and absence beside
social well-being."""

from __future__ import annotations

import polars as pl
import streamlit as st

from components import charts
from components.key_figure_card import key_figure_grid
from components.palette import ABSENCE_KINDS
from components.screen import (
    group_total,
    guarded,
    pupils_behind,
    school_n,
    source_text,
    table,
    with_interval,
    with_series,
)
from queries import efforts, indicators, statistics
from queries.key_figures import absence_figures, measurement_time, previous_year, with_published_trend
from queries.runner import Runner, Scope

SOURCE = "Elevfravær, skolens registrering"
MONTHS = ["aug.", "sep.", "okt.", "nov.", "dec.", "jan.", "feb.", "mar.", "apr.", "maj", "jun."]
KINDS = {"illness_pct": "Sygdom", "authorised_pct": "Med tilladelse", "unauthorised_pct": "Ulovligt"}


@guarded
def figures(runner: Runner, scope: Scope, school: str, year: str, grades) -> None:
    key_figure_grid(absence_figures(runner, scope, school, year, grades, with_kinds=True), previous_year(year))


@guarded
def trend(runner: Runner, scope: Scope, school: str, years: list[str], grades, year: str | None = None) -> None:
    """Absence and the share above 10 % over the years, each school and municipality value with its
    95 % interval; the source line's n is the school's pupils in the chosen school year `year`."""
    year = year or years[0]
    frame = runner.run(
        "absence_school_and_municipality", scope, school=school, years=years, grade_from=grades[0], grade_to=grades[1]
    )
    rows = with_series(frame)
    parts = []
    for col, measure in (("mean", "absence_total_pct"), ("over_share", "absence_over10_share")):
        title = indicators.label(measure)
        part = rows.select("Serie", pl.col("school_year").alias("Skoleår"), pl.col(col).alias("Procent"))
        if grades == (0, 9):
            country = runner.run("national_reference_values", scope, years=years).filter(pl.col("measure") == measure)
            part = pl.concat(
                [
                    part,
                    country.select(
                        pl.lit("Landet").alias("Serie"),
                        pl.col("school_year").alias("Skoleår"),
                        pl.col("value").alias("Procent"),
                    ),
                ]
            )
            part, note = with_published_trend(runner, scope, school, years, measure, part, "Procent")
        else:
            note = ""
        kind = "mean" if col == "mean" else "pct"
        interval = with_series(
            with_interval(
                frame, col, kind=kind, deff=statistics.deff_for(measure, statistics.design_effects(runner, scope, year))
            )
        ).select("Serie", pl.col("school_year").alias("Skoleår"), pl.col(col).alias("Procent"), "Nedre", "Øvre")
        part = part.sort("Skoleår").join(interval, on=["Serie", "Skoleår", "Procent"], how="left")
        parts.append((title, part, note, measure))
    register = efforts.load(runner, scope, school)
    for (title, part, note, measure), column in zip(parts, st.columns(2), strict=True):
        with column:
            charts.show(
                charts.trend(
                    part, "Procent", f"{title} (%)", 1, height=300, efforts=efforts.for_indicator(register, measure)
                ),
                source_text(
                    f"{SOURCE}, {grades[0]}.–{grades[1]}. klasse, alle skoleår",
                    "august–juni hvert år",
                    school_n(frame.filter(pl.col("school_year") == year)),
                )
                + f" (skoleåret {year}) · {charts.INTERVAL_NOTE}"
                + note,
                table(
                    part,
                    {
                        "Skoleår": ("Skoleår", None, ""),
                        "Serie": ("Serie", None, ""),
                        title: ("Procent", 1, " %"),
                        "95 % fra": ("Nedre", 1, " %"),
                        "95 % til": ("Øvre", 1, " %"),
                    },
                ),
            )


@guarded
def by_month(runner: Runner, scope: Scope, school: str, year: str, grades) -> None:
    frame = runner.run(
        "absence_by_month", scope, school=school, school_year=year, grade_from=grades[0], grade_to=grades[1]
    )
    school_rows = (
        frame.filter(pl.col("level") == "skole")
        .sort("month")
        .with_columns(
            pl.col("month")
            .dt.month()
            .map_elements(lambda m: MONTHS[(m - 8) % 12], return_dtype=pl.String)
            .alias("Måned")
        )
    )
    long = school_rows.unpivot(index=["Måned"], on=list(KINDS), variable_name="kind", value_name="Andel").with_columns(
        pl.col("kind").replace_strict(KINDS).alias("Fraværstype")
    )
    order = list(KINDS.values())
    chart = charts.stacked_bars(long, "Måned", "Fraværstype", "Andel", order, ABSENCE_KINDS, "Fravær (% af skoledage)")
    municipality = frame.filter(pl.col("level") == "kommune").sort("month")
    charts.show(
        chart,
        source_text(SOURCE, measurement_time("fravaer", year), pupils_behind(frame)),
        table(
            school_rows.with_columns(municipality["total_pct"].alias("kommune_total")),
            {
                "Måned": ("Måned", None, ""),
                "Sygdom": ("illness_pct", 1, " %"),
                "Med tilladelse": ("authorised_pct", 1, " %"),
                "Ulovligt": ("unauthorised_pct", 1, " %"),
                "Samlet": ("total_pct", 1, " %"),
                "Kommunen samlet": ("kommune_total", 1, " %"),
            },
        ),
    )


@guarded
def by_grade(runner: Runner, scope: Scope, school: str, year: str) -> None:
    frame = runner.run("absence_by_grade", scope, school=school, school_year=year)
    rows = with_series(frame).with_columns((pl.col("grade").cast(pl.String) + ".").alias("Klassetrin"))
    left, right = st.columns(2)
    with left:
        charts.show(
            charts.grouped_bars(
                rows.select("Serie", "Klassetrin", pl.col("mean").alias("Fravær")),
                "Klassetrin",
                "Fravær",
                "Fravær (%)",
                1,
            ),
            source_text(SOURCE, measurement_time("fravaer", year), group_total(frame)),
            hidden=charts.hidden_groups(rows, "Klassetrin", "mean"),
        )
    with right:
        charts.show(
            charts.grouped_bars(
                rows.select("Serie", "Klassetrin", pl.col("over10_share").alias("Andel")),
                "Klassetrin",
                "Andel",
                "Elever med over 10 % fravær (%)",
                1,
            ),
            source_text(SOURCE, measurement_time("fravaer", year), group_total(frame)),
            hidden=charts.hidden_groups(rows, "Klassetrin", "over10_share"),
            table=table(
                rows,
                {
                    "Klassetrin": ("Klassetrin", None, ""),
                    "Serie": ("Serie", None, ""),
                    "Fravær": ("mean", 1, " %"),
                    "Over 10 %": ("over10_share", 1, " %"),
                    "Over 15 %": ("over15_share", 1, " %"),
                    "Antal elever": ("n", 0, ""),
                },
            ),
        )


@guarded
def beside_wellbeing(runner: Runner, scope: Scope, school: str, year: str) -> None:
    frame = runner.run("absence_and_social_wellbeing_by_grade", scope, school=school, school_year=year)
    shown = frame.filter(~pl.col("suppressed")).with_columns(
        (pl.col("grade").cast(pl.String) + ". kl.").alias("Klassetrin")
    )
    if len(shown) < 2:
        return
    hidden = charts.hidden_groups(
        frame.with_columns((pl.col("grade").cast(pl.String) + ". kl.").alias("kl")), "kl", "absence_mean"
    )
    note = f" Ikke vist: {', '.join(hidden)}." if hidden else ""
    charts.show(
        charts.scatter(shown, "absence_mean", "social_mean", "Klassetrin", "Fravær (%)", "Social trivsel (1–5)"),
        source_text(
            SOURCE + " og Trivselsmålingen (samme elever)",
            f"{measurement_time('fravaer', year)}; {measurement_time('trivsel', year)}",
            int(shown["n"].sum()),
        )
        + note,
        table(
            frame.with_columns((pl.col("grade").cast(pl.String) + ".").alias("Klassetrin")),
            {
                "Klassetrin": ("Klassetrin", None, ""),
                "Fravær": ("absence_mean", 1, " %"),
                "Social trivsel": ("social_mean", 2, ""),
                "Antal elever": ("n", 0, ""),
            },
        ),
    )
