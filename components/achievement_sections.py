"""The parts of the Faglighed screen: national tests (confidential) and the 9th-grade exams."""

from __future__ import annotations

import polars as pl
import streamlit as st

from components import charts
from components.key_figure_card import key_figure_grid
from components.palette import BEST_TO_WORST_4
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
from queries import efforts
from queries.key_figures import (
    EXAM_RULE,
    KeyFigure,
    measurement_time,
    previous_year,
    socio_figure,
    test_figures,
    with_published_trend,
)
from queries.runner import Runner, Scope
from queries.statistics import Family, Test, Verdict, deff_for, design_effects, rounding_half_width, verdict, z

SOCIO_WORDS = {"Over niveau": Verdict.BETTER, "På niveau": Verdict.UNSURE, "Under niveau": Verdict.WORSE}

SUBJECTS = {"dansk_laesning": "Læsning", "matematik": "Matematik"}
TEST_SOURCE = "Nationale overgangstest (fortroligt)"
EXAM_SOURCE = "Folkeskolens afgangsprøver, 9. klasse (uden specialklasser)"
AVERAGE_SOURCE = f"Folkeskolens afgangsprøver, 9. klasse ({EXAM_RULE})"


@st.fragment
@guarded
def national_tests(runner: Runner, scope: Scope, school: str, year: str, years: list[str]) -> None:
    """The national tests with their own subject choice, as a fragment: choosing a subject reruns this
    part only, not the exams below it nor the page's filters."""
    subject = st.radio("Fag", list(SUBJECTS), format_func=SUBJECTS.get, horizontal=True, key="test_subject")
    test_cards(runner, scope, school, year, subject)
    st.subheader("Fordeling på niveauer, klassetrin for klassetrin")
    test_bands_by_grade(runner, scope, school, year, subject)
    st.subheader("Over årene og for piger og drenge")
    test_trend_and_gender(runner, scope, school, years, subject, year)


@guarded
def test_cards(runner: Runner, scope: Scope, school: str, year: str, subject: str) -> None:
    label = SUBJECTS[subject]
    figures = [f for f in test_figures(runner, scope, school, year) if f.label.startswith(label)]
    if all(f.value is None and f.reason == figures[0].reason for f in figures) and not figures[0].suppressed:
        st.info(f"Skolens samlede testresultater: {figures[0].reason}")  # one line, not three empty cards
        return
    key_figure_grid(figures, previous_year(year))


@guarded
def test_bands_by_grade(runner: Runner, scope: Scope, school: str, year: str, subject: str) -> None:
    frame = runner.run("national_test_bands_by_grade", scope, school=school, school_year=year)
    rows = with_series(frame.filter(pl.col("subject") == subject)).with_columns(
        (pl.col("Serie") + ", " + pl.col("grade").cast(pl.String) + ". klasse").alias("Gruppe"),
        pl.col("share").alias("Andel"),
        pl.col("label").alias("Niveau"),
    )
    if rows.is_empty():
        st.info("Ingen testresultater i det valgte skoleår.")
        return
    hidden = charts.hidden_groups(rows.unique("Gruppe"), "Gruppe", "Andel")
    order = rows.sort("rank")["Niveau"].unique(maintain_order=True).to_list()
    shown = rows.filter(~pl.col("suppressed")).sort("grade", "level", descending=[False, True])
    note = f" Ikke vist: {', '.join(hidden)}." if hidden else ""
    charts.show(
        charts.stacked_shares(shown.select("Gruppe", "Niveau", "Andel"), "Gruppe", "Niveau", order, BEST_TO_WORST_4),
        source_text(
            TEST_SOURCE,
            measurement_time("test", year),  # one n per grade, not per level
            group_total(frame.filter(pl.col("subject") == subject).unique(["level", "grade"])),
        )
        + note,
        table(
            rows.sort("grade", "level", "rank"),
            {
                "Gruppe": ("Gruppe", None, ""),
                "Niveau": ("Niveau", None, ""),
                "Andel": ("Andel", 1, " %"),
                "Antal elever": ("n", 0, ""),
            },
        ),
    )


@guarded
def test_trend_and_gender(
    runner: Runner, scope: Scope, school: str, years: list[str], subject: str, year: str | None = None
) -> None:
    """The share of good results over the years (n: the chosen year's pupils) and by gender in the
    chosen school year `year` (default the newest)."""
    year = year or years[0]
    frame = run_or_explain(runner, "national_test_bands_school_and_municipality", scope, school=school, years=years)
    if frame is None:
        return
    rows = with_series(frame.filter(pl.col("subject") == subject)).select(
        "Serie", pl.col("school_year").alias("Skoleår"), pl.col("good_share").alias("Andel")
    )
    country = runner.run("national_reference_values", scope, years=years).filter(
        pl.col("measure") == f"test_good_share_{subject}"
    )
    rows = pl.concat(
        [
            rows,
            country.select(
                pl.lit("Landet").alias("Serie"), pl.col("school_year").alias("Skoleår"), pl.col("value").alias("Andel")
            ),
        ]
    ).sort("Skoleår")
    # The 95 % interval of each share from the store's pupils, with the subject's design effect: the
    # statistics the cards' ▲/▼ are decided with (queries/key_figures.test_figures).
    deff = deff_for(f"test_good_share_{subject}", design_effects(runner, scope, year))
    rows = with_store_interval(
        rows, frame.filter(pl.col("subject") == subject), "Andel", deff, column="good_share", kind="pct"
    )
    left, right = st.columns(2)
    with left:
        aimed = efforts.for_indicator(efforts.load(runner, scope, school), f"test_good_share_{subject}")
        charts.show(
            charts.trend(rows, "Andel", "Andel gode (%)", 1, height=300, efforts=aimed),
            source_text(
                TEST_SOURCE + ", overgangstest fra 2022/23",
                "hvert skoleår",
                school_n(frame.filter((pl.col("school_year") == year) & (pl.col("subject") == subject))),
            )
            + f" (skoleåret {year}) · {charts.INTERVAL_NOTE}",
            table(
                rows,
                {
                    "Skoleår": ("Skoleår", None, ""),
                    "Serie": ("Serie", None, ""),
                    "Andel gode": ("Andel", 1, " %"),
                    "95 % fra": ("Nedre", 1, " %"),
                    "95 % til": ("Øvre", 1, " %"),
                },
            ),
        )
    gender = runner.run("national_test_by_gender", scope, school=school, school_year=year)
    g_rows = with_series(gender.filter(pl.col("subject") == subject)).with_columns(
        pl.col("gender").replace({"pige": "Piger", "dreng": "Drenge"}).alias("Køn")
    )
    g_rows = with_interval(g_rows, "good_share", deff=deff, kind="pct")
    with right:
        charts.show(
            charts.grouped_bars(
                g_rows.select("Serie", "Køn", pl.col("good_share").alias("Andel"), "Nedre", "Øvre"),
                "Køn",
                "Andel",
                "Andel gode (%)",
                1,
            ),
            source_text(
                TEST_SOURCE, measurement_time("test", year), group_total(gender.filter(pl.col("subject") == subject))
            )
            + " · Streger: 95 %-usikkerhedsinterval",
            hidden=charts.hidden_groups(g_rows, "Køn", "good_share"),
            table=table(
                g_rows,
                {
                    "Køn": ("Køn", None, ""),
                    "Serie": ("Serie", None, ""),
                    "Andel gode": ("good_share", 1, " %"),
                    "Antal elever": ("n", 0, ""),
                },
            ),
        )


@guarded
def exam_overview(
    runner: Runner, scope: Scope, school: str, year: str, years: list[str], exam_figure: KeyFigure
) -> None:
    key_figure_grid([exam_figure, socio_figure(runner, scope, school, year)], previous_year(year))
    st.caption(f"Karaktergennemsnittet i de bundne prøver: {EXAM_RULE}.")
    averages = runner.run("exam_bound_average_school_and_municipality", scope, school=school, years=years)
    trend = with_series(averages).select(
        "Serie", pl.col("school_year").alias("Skoleår"), pl.col("mean").alias("Gennemsnit")
    )
    trend, note = with_published_trend(runner, scope, school, years, "exam_bound_average", trend, "Gennemsnit")
    trend = with_store_interval(trend.sort("Skoleår"), averages, "Gennemsnit")
    gender = with_series(runner.run("exam_by_gender", scope, school=school, school_year=year)).with_columns(
        pl.col("gender").replace({"pige": "Piger", "dreng": "Drenge"}).alias("Køn")
    )
    left, right = st.columns(2)
    with left:
        aimed = efforts.for_indicator(efforts.load(runner, scope, school), "exam_bound_average")
        charts.show(
            charts.trend(trend, "Gennemsnit", "Karaktergennemsnit", 1, height=300, efforts=aimed),
            source_text(AVERAGE_SOURCE, "maj–juni hvert år", exam_figure.n, exam_figure.n_unit)
            + f" (skoleåret {year}) · {charts.INTERVAL_NOTE}"
            + note,
            table(
                trend,
                {
                    "Skoleår": ("Skoleår", None, ""),
                    "Serie": ("Serie", None, ""),
                    "Gennemsnit": ("Gennemsnit", 1, ""),
                    "95 % fra": ("Nedre", 1, ""),
                    "95 % til": ("Øvre", 1, ""),
                },
            ),
        )
    with right:
        charts.show(
            charts.grouped_bars(
                with_interval(gender).select("Serie", "Køn", pl.col("mean").alias("Gennemsnit"), "Nedre", "Øvre"),
                "Køn",
                "Gennemsnit",
                "Karaktergennemsnit",
                1,
                zero=False,
            ),
            source_text(AVERAGE_SOURCE, measurement_time("proever", year), group_total(gender))
            + " · Streger: 95 %-usikkerhedsinterval",
            hidden=charts.hidden_groups(gender, "Køn", "mean"),
            table=table(
                gender,
                {
                    "Køn": ("Køn", None, ""),
                    "Serie": ("Serie", None, ""),
                    "Gennemsnit": ("mean", 1, ""),
                    "Antal elever": ("n", 0, ""),
                },
            ),
        )


@guarded
def exam_subjects_and_marks(runner: Runner, scope: Scope, school: str, year: str) -> None:
    subjects = with_series(runner.run("exam_by_subject", scope, school=school, school_year=year))
    marks = with_series(runner.run("exam_mark_distribution", scope, school=school, school_year=year)).with_columns(
        pl.col("mark")
        .map_elements(lambda m: {-3: "−3", 0: "00", 2: "02"}.get(m, str(m)), return_dtype=pl.String)
        .alias("Karakter")
    )
    charts.show(
        charts.horizontal_bars(
            subjects.select("Serie", pl.col("subject").alias("Prøve"), pl.col("mean").alias("Gennemsnit")),
            "Prøve",
            "Gennemsnit",
            "Gennemsnit",
            1,
        ),
        source_text(EXAM_SOURCE, measurement_time("proever", year), pupils_behind(subjects)),
        table(
            subjects,
            {
                "Prøve": ("subject", None, ""),
                "Serie": ("Serie", None, ""),
                "Gennemsnit": ("mean", 1, ""),
                "Antal elever": ("n", 0, ""),
            },
        ),
    )
    charts.show(
        charts.grouped_bars(
            marks.select("Serie", "Karakter", pl.col("share").alias("Andel")),
            "Karakter",
            "Andel",
            "Andel af karaktererne (%)",
            1,
        ),
        source_text(EXAM_SOURCE + ", bundne prøver", measurement_time("proever", year), school_n(marks)),
        table(marks, {"Karakter": ("Karakter", None, ""), "Serie": ("Serie", None, ""), "Andel": ("share", 1, " %")}),
    )


def socio_verdicts(differences: list[float], margins: list[float]) -> list[str]:
    """Our own verdict on each year's published difference to the reference (the ministry rounds it
    to one decimal, so the whole rounding interval must clear the school's 95 % margin), the years
    shown together decided as one family."""
    family = Family()
    tests = [family.add(Test(d, m / z(), rounding_half_width(d))) for d, m in zip(differences, margins, strict=True)]
    family.decide()
    words = {v: k for k, v in SOCIO_WORDS.items()}
    return [words.get(verdict(t, True), "På niveau") for t in tests]


@guarded
def socio_reference(runner: Runner, scope: Scope, school: str) -> None:
    frame = runner.run("socio_reference_by_year", scope, school=school)
    shown = frame.filter(~pl.col("suppressed") & pl.col("margin").is_not_null())
    if shown.is_empty():
        st.info(
            "Ingen socioøkonomisk reference med usikkerhed for skolen (den kræver skolens egne elevdata og "
            "mindst 5 elever til prøverne). Er ministeriets offentliggjorte forskel importeret, står den med "
            "ministeriets vurdering på kortet ovenfor."
        )
        return
    rows = shown.select(
        pl.col("school_year").alias("Skoleår"), pl.col("difference").alias("Forskel"), pl.col("margin").alias("Margin")
    )
    rows = rows.with_columns(
        pl.Series("Vurdering", socio_verdicts(rows["Forskel"].to_list(), rows["Margin"].to_list()))
    )
    charts.show(
        charts.difference_with_margin(rows, SOCIO_WORDS),
        source_text(
            "Børne- og Undervisningsministeriet, socioøkonomisk reference; egne beregninger af usikkerheden",
            "maj–juni hvert år",
            int(shown.sort("school_year")["n"][-1]),  # the newest year's pupils, not the largest year's
        )
        + f" (skoleåret {shown['school_year'].max()})",
        table(
            frame,
            {
                "Skoleår": ("school_year", None, ""),
                "Forventet": ("expected_average", 1, ""),
                "Faktisk": ("actual", 1, ""),
                "Forskel": ("difference", 1, ""),
                "± usikkerhed": ("margin", 1, ""),
                "Ministeriets vurdering": ("significance", None, ""),
            },
        ),
    )
