"""The parts of the Trivsel screen: indicator cards, trend, breakdowns, question drill-down and
the 0.–3. questionnaire."""

from __future__ import annotations

import polars as pl
import streamlit as st

from components import charts, on_open
from components.key_figure_card import key_figure_grid
from components.palette import BEST_TO_WORST_3
from components.screen import (
    group_total,
    guarded,
    pupils_behind,
    run_or_explain,
    school_n,
    source_text,
    table,
    with_interval,
    with_series,
    with_store_interval,
)
from queries import efforts, statistics
from queries.key_figures import (
    WELLBEING,
    measurement_time,
    previous_year,
    wellbeing_figures,
    with_published_trend,
)
from queries.runner import Runner, Scope, small_group
from queries.statistics import INDEPENDENT, NESTED, Family, Verdict, compare, standard_error

DRILLDOWN_WORDS = {"trækker op": Verdict.BETTER, "ikke sikker": Verdict.UNSURE, "trækker ned": Verdict.WORSE}

INDICATOR_LABELS = dict(WELLBEING)
SOURCE = "Trivselsmålingen"


@guarded
def indicator_cards(runner: Runner, scope: Scope, school: str, year: str, grades, gender) -> None:
    figures = wellbeing_figures(runner, scope, school, year, grades, gender)
    key_figure_grid(figures, previous_year(year))


@guarded
def trend(
    runner: Runner, scope: Scope, school: str, years: list[str], indicator: str, grades, gender, year: str | None = None
) -> None:
    """The indicator over the years with each mean's 95 % interval; the source line's n is the
    school's pupils in the chosen school year `year` (default the newest)."""
    year = year or years[0]
    frame = runner.run(
        "wellbeing_indicators_school_and_municipality",
        scope,
        school=school,
        years=years,
        grade_from=grades[0],
        grade_to=grades[1],
        gender=gender,
    )
    rows = with_series(frame.filter(pl.col("indicator") == indicator)).select(
        "Serie", pl.col("school_year").alias("Skoleår"), pl.col("mean").alias("Gennemsnit")
    )
    if grades == (4, 9) and gender == "alle":  # the published national value is for all of 4.-9.
        country = runner.run("national_reference_values", scope, years=years).filter(
            pl.col("measure") == f"wellbeing_{indicator}"
        )
        rows = pl.concat(
            [
                rows,
                country.select(
                    pl.lit("Landet").alias("Serie"),
                    pl.col("school_year").alias("Skoleår"),
                    pl.col("value").alias("Gennemsnit"),
                ),
            ]
        )
    note = ""
    if grades == (4, 9) and gender == "alle":  # the ministry publishes the whole school's 4.-9.
        rows, note = with_published_trend(runner, scope, school, years, f"wellbeing_{indicator}", rows, "Gennemsnit")
    rows = rows.sort("Skoleår")
    target = None
    if indicator == "stoette" and grades == (4, 9) and gender == "alle":  # the school's participation target
        set_targets = runner.run("participation_targets", scope, school=school).filter(pl.col("indicator") == indicator)
        target = set_targets["target"][0] if len(set_targets) else None
        if target is not None:
            note += " · Stiplet linje: skolens mål (sat under Deltagelse)"
    deff = statistics.deff_for(f"wellbeing_{indicator}", statistics.design_effects(runner, scope, year))
    rows = with_store_interval(rows, frame.filter(pl.col("indicator") == indicator), "Gennemsnit", deff)
    aimed = efforts.for_indicator(efforts.load(runner, scope, school), f"wellbeing_{indicator}")
    charts.show(
        charts.trend(rows, "Gennemsnit", f"{INDICATOR_LABELS[indicator]} (1–5)", 2, target=target, efforts=aimed),
        source_text(
            f"{SOURCE}, {grades[0]}.–{grades[1]}. klasse"
            + ("" if gender == "alle" else f", {'piger' if gender == 'pige' else 'drenge'}")
            + ", alle skoleår",
            "januar–marts hvert år",
            school_n(frame.filter((pl.col("indicator") == indicator) & (pl.col("school_year") == year))),
        )
        + f" (skoleåret {year}) · {charts.INTERVAL_NOTE}"
        + note,
        table(
            rows,
            {
                "Skoleår": ("Skoleår", None, ""),
                "Serie": ("Serie", None, ""),
                "Gennemsnit": ("Gennemsnit", 2, ""),
                "95 % fra": ("Nedre", 2, ""),
                "95 % til": ("Øvre", 2, ""),
            },
        ),
    )


BREAKDOWNS = {
    "Klassetrin": ("wellbeing_indicators_by_grade", "grade"),
    "Køn": ("wellbeing_indicators_by_gender", "gender"),
    "Klasse": ("wellbeing_indicators_by_class", "class_name"),
}


@guarded
def breakdown(runner: Runner, scope: Scope, school: str, year: str, indicator: str, by: str) -> None:
    query, column = BREAKDOWNS[by]
    frame = run_or_explain(runner, query, scope, school=school, school_year=year)
    if frame is None:
        return
    rows = with_series(frame.filter(pl.col("indicator") == indicator)).with_columns(
        pl.col(column).cast(pl.String).alias(by)
    )
    if column == "grade":
        rows = rows.with_columns((pl.col(by) + ".").alias(by))
    if column == "gender":
        rows = rows.with_columns(pl.col(by).replace({"pige": "Piger", "dreng": "Drenge"}))
    label = INDICATOR_LABELS[indicator]
    deff = statistics.deff_for(f"wellbeing_{indicator}", statistics.design_effects(runner, scope, year))
    shown = with_interval(rows, deff=deff).select("Serie", by, pl.col("mean").alias("Gennemsnit"), "Nedre", "Øvre")
    charts.show(
        charts.grouped_bars(shown, by, "Gennemsnit", f"{label} (1–5)", 2, zero=False),
        source_text(SOURCE, measurement_time("trivsel", year), group_total(rows))
        + " · Streger: 95 %-usikkerhedsinterval",
        hidden=charts.hidden_groups(rows.filter(pl.col("level") == "skole"), by, "mean"),
        table=table(
            rows,
            {
                by: (by, None, ""),
                "Serie": ("Serie", None, ""),
                "Gennemsnit": ("mean", 2, ""),
                "Højest trivsel": ("high_share", 1, " %"),
                "Antal elever": ("n", 0, ""),
            },
        ),
    )


def drilldown_tests(rows: pl.DataFrame, deff: float = 1.0) -> tuple[list, list]:
    """Each question against the municipality (nested) and against last year (independent), decided
    as one family: the chart and its table are read together."""
    family = Family()
    differences, changes = [], []
    for r in rows.iter_rows(named=True):
        se = standard_error("mean", r["mean"], r["sd"], r["n"], deff)
        differences.append(
            family.add(
                compare(
                    r["mean"],
                    se,
                    r["municipality_mean"],
                    standard_error(
                        "mean", r["municipality_mean"], r.get("municipality_sd"), r.get("municipality_n"), deff
                    ),
                    NESTED,
                )
            )
        )
        changes.append(
            family.add(
                compare(
                    r["mean"],
                    se,
                    r["previous_mean"],
                    standard_error("mean", r["previous_mean"], r["previous_sd"], r["previous_n"], deff),
                    INDEPENDENT,
                )
            )
        )
    family.decide()
    return differences, changes


@guarded
def drilldown(runner: Runner, scope: Scope, school: str, year: str, indicator: str) -> None:
    """Which questions pull the indicator up or down, and which moved most since last year."""
    frame = runner.run(
        "wellbeing_question_drilldown",
        scope,
        school=school,
        school_year=year,
        previous_year=previous_year(year),
        indicator=indicator,
    )
    if frame.is_empty() or frame["mean"].drop_nulls().is_empty():
        st.info(f"Der er ingen svar at vise for skolen i det valgte skoleår (eller {small_group()}).")
        return
    rows = frame.with_columns(
        (pl.col("mean") - pl.col("municipality_mean")).alias("Forskel"),
        (pl.col("mean") - pl.col("previous_mean")).alias("Ændring"),
    ).sort("Forskel")
    differences, changes = drilldown_tests(
        rows, statistics.deff_for(f"wellbeing_{indicator}", statistics.design_effects(runner, scope, year))
    )
    words = {v: k for k, v in DRILLDOWN_WORDS.items()}
    rows = rows.with_columns(
        pl.Series("Vurdering", [words.get(statistics.verdict(t, True), "ikke sikker") for t in differences]),
        pl.Series("Sikker ændring", ["ja" if t.significant else "nej" for t in changes]),
        pl.col("text").alias("Spørgsmål"),
    )
    chart = charts.diverging_bars(
        rows.select("Spørgsmål", "Forskel", "Vurdering"),
        "Spørgsmål",
        "Forskel",
        "Skolen minus kommunen (point på skalaen 1–5)",
        DRILLDOWN_WORDS,
    )
    charts.show(
        chart,
        source_text(SOURCE, measurement_time("trivsel", year), pupils_behind(frame)),
        table(
            rows.sort(pl.col("Ændring").abs(), descending=True, nulls_last=True),
            {
                "Spørgsmål": ("Spørgsmål", None, ""),
                "Skolen": ("mean", 2, ""),
                "Kommunen": ("municipality_mean", 2, ""),
                "Forskel": ("Forskel", 2, ""),
                "Vurdering": ("Vurdering", None, ""),
                f"I {previous_year(year)}": ("previous_mean", 2, ""),
                "Ændring": ("Ændring", 2, ""),
                "Sikker ændring": ("Sikker ændring", None, ""),
            },
        ),
        table_title="Vis spørgsmålene som tabel, sorteret efter største ændring siden sidste år",
    )


@st.fragment
@guarded
def breakdowns(runner: Runner, scope: Scope, school: str, year: str, indicator: str) -> None:
    """The breakdowns by grade, gender and class, one tab each. Only the open tab is built; another tab
    reruns this fragment only."""
    by, tab = on_open.tab(list(BREAKDOWNS), key="wb_breakdown")
    with tab:
        breakdown(runner, scope, school, year, indicator, by)


@st.fragment
@guarded
def young_pupils(runner: Runner, scope: Scope, school: str, year: str) -> None:
    """The 0.–3. questionnaire with its own grade choice, as a fragment: choosing a grade reruns this
    part only."""
    choice = st.radio("Klasse", ["Alle", "0.", "1.", "2.", "3."], horizontal=True, key="wb_grade_0_3")
    questionnaire_0_3(runner, scope, school, year, -1 if choice == "Alle" else int(choice[0]))


@guarded
def questionnaire_0_3(runner: Runner, scope: Scope, school: str, year: str, grade: int) -> None:
    frame = run_or_explain(runner, "wellbeing_questions_0_3", scope, school=school, school_year=year, grade=grade)
    if frame is None:
        return
    rows = frame.filter(pl.col("level") == "skole")
    if rows.is_empty():
        st.info("Ingen besvarelser fra 0.–3. klasse i det valgte skoleår.")
        return
    if rows["suppressed"].all():
        st.info("Færre end 5 elever har svaret: svarfordelingen vises ikke.")
        return
    # Answers ordered best first: the best answer, the middle one, the worst one.
    rows = rows.with_columns(
        pl.when(pl.col("is_best"))
        .then(pl.lit("Bedste svar"))
        .when(pl.col("option_no") == 2)
        .then(pl.lit("Mellemsvar"))
        .otherwise(pl.lit("Dårligste svar"))
        .alias("Svar"),
        pl.col("share").alias("Andel"),
        pl.col("text").alias("Spørgsmål"),
    )
    charts.show(
        charts.stacked_shares(
            rows.select("Spørgsmål", "Svar", "Andel"),
            "Spørgsmål",
            "Svar",
            ["Bedste svar", "Mellemsvar", "Dårligste svar"],
            BEST_TO_WORST_3,
        ),
        source_text(SOURCE + ", 0.–3. klasse", measurement_time("trivsel", year), pupils_behind(rows)),
        table(rows, {"Spørgsmål": ("Spørgsmål", None, ""), "Svar": ("label", None, ""), "Andel": ("Andel", 0, " %")}),
    )
    st.caption(
        "»Bedste svar« er fx »Ja, meget« på »Er du glad for din skole?« og »Nej« på »Føler du dig "
        "alene i skolen?«. Tabellen viser svarene med de ord, eleverne så."
    )
