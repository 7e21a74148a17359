"""The parts of the Deltagelse screen: indicators with targets and a traffic light, targets set
by the leadership, departments and grades, gaps between pupil groups, and the trend."""

from __future__ import annotations

import polars as pl
import streamlit as st

from components import charts, plain
from components.formatting import danish_date, field_text, format_change, format_value, parse_number
from components.palette import judgement_colour
from components.screen import group_total, guarded, school_n, source_text, table, with_interval
from data.validation import PARTICIPATION_INDICATORS
from queries import edits
from queries.runner import Runner, Scope, small_group
from queries.statistics import (
    NO_TARGET,
    NOT_REACHED,
    REACHED,
    UNDECIDED,
    Family,
    Test,
    Verdict,
    deff_for,
    standard_error,
    target_judgement,
    target_result,
    target_test,
)

SOURCE = "Elevfravær, Trivselsmålingen (4.–9. kl.) og elevregistret"
INDICATOR_SOURCE = {
    "absence_over10": "Elevfravær",
    "low_social": "Trivselsmålingen, 4.–9. klasse",
    "stoette": "Trivselsmålingen, 4.–9. klasse",
    "general_class": "Elevregistret",
    "reduced_timetable": "Elevregistret",
}


def load(runner: Runner, scope: Scope, school: str, years: list[str]) -> pl.DataFrame:
    return runner.run(
        "participation_indicators",
        scope,
        school=school,
        years=years,
    )


# The design effect of each participation indicator: the clustering estimate of the same measure.
CLUSTERING_KEY = {
    "absence_over10": "absence_over10_share",
    "low_social": "wellbeing_social",
    "stoette": "wellbeing_stoette",
}
SYMBOL = {REACHED: "●", NOT_REACHED: "▼", UNDECIDED: "◐", NO_TARGET: "○"}


def target_tests(
    rows: dict[str, dict | None], targets: dict[str, float | None], effects: dict[str, float] | None = None
) -> dict[str, Test | None]:
    """Each indicator against the school's own target, the cards decided as one family."""
    family = Family()
    tests = {}
    for key, row in rows.items():
        target = targets.get(key)
        if target is None or not row or row.get("value") is None:
            tests[key] = None
            continue
        deff = deff_for(CLUSTERING_KEY.get(key, key), effects or {})
        # every row carries the spread of its pupils' values (0/100 for a share)
        tests[key] = family.add(
            target_test(row["value"], standard_error("mean", row["value"], row.get("sd"), row.get("n"), deff), target)
        )
    family.decide()
    return tests


def traffic_light(
    indicator: str, row: dict | None, target: float | None, test: Test | None = None
) -> tuple[str, str, str]:
    """(colour, text with symbol, why): nået, ikke nået or kan ikke afgøres endnu against the target,
    from the statistics module's decided test (`target_tests`); a lone card is its own family."""
    _, unit, _, _, higher_is_better = PARTICIPATION_INDICATORS[indicator]
    if target is None:
        return judgement_colour(Verdict.NOT_JUDGED), "○ Intet mål sat", "Ledelsen har ikke sat et mål."
    if not row or row.get("value") is None:
        return (
            judgement_colour(Verdict.NOT_JUDGED),
            "◐ Kan ikke afgøres endnu",
            f"Der er ingen værdi for skoleåret (eller {small_group()}).",
        )
    if test is None:
        test = target_tests({indicator: row}, {indicator: target})[indicator]
    result = target_result(test, target, higher_is_better)
    margin = test.margin if test is not None and test.judgeable else None
    interval = (
        f"{format_value(row['value'] - margin, unit)} til {format_value(row['value'] + margin, unit)}"
        if margin is not None
        else "ukendt"
    )
    goal = format_value(target, unit)
    if result == REACHED:
        why = f"Værdien (interval {interval}) er bedre end målet {goal} med mere end usikkerheden."
    elif result == NOT_REACHED:
        why = f"Værdien (interval {interval}) er dårligere end målet {goal} med mere end usikkerheden."
    else:
        side = "på den rigtige side af" if ((row["value"] >= target) == higher_is_better) else "på den forkerte side af"
        why = f"Værdien ligger {side} målet {goal}, men forskellen er mindre end usikkerheden (interval {interval})."
    return judgement_colour(target_judgement(result)), f"{SYMBOL[result]} {result[0].upper()}{result[1:]}", why


@guarded
def indicator_cards(
    frame: pl.DataFrame, targets: pl.DataFrame, year: str, previous: str, effects: dict[str, float] | None = None
) -> None:
    school_rows = frame.filter(pl.col("unit_kind") == "skole")
    now_rows = {key: _row(school_rows, year, key) for key in PARTICIPATION_INDICATORS}
    target_of = {
        key: (targets.filter(pl.col("indicator") == key)["target"].to_list() or [None])[0]
        for key in PARTICIPATION_INDICATORS
    }
    tests = target_tests(now_rows, target_of, effects)
    columns = st.columns(3)
    for i, (key, (label, unit, *_)) in enumerate(PARTICIPATION_INDICATORS.items()):
        now = now_rows[key]
        before = _row(school_rows, previous, key)
        target_row = targets.filter(pl.col("indicator") == key)
        target = target_of[key]
        colour, status, why = traffic_light(key, now, target, tests[key])
        value = format_value(now["value"], unit) if now and now["value"] is not None else small_group()
        change = (
            format_change(now["value"] - before["value"], unit)
            if now and before and now["value"] is not None and before["value"] is not None
            else "–"
        )
        target_text = (
            f"{format_value(target, unit)} (sat af {plain.html(target_row['set_by'][0])}, "
            f"{danish_date(target_row['set_at'][0].date())})"
            if target is not None
            else "–"
        )
        n_text = f"n = {now['n']} elever" if now and now.get("n") else f"n = {small_group()}"
        columns[i % 3].markdown(
            f'<div class="kf-card" role="group" aria-label="{plain.attr(label)}">'
            f'<div class="kf-label">{plain.html(label)}</div>'
            f'<div class="kf-value">{value}</div>'
            f'<div class="kf-diff" style="color:{colour};font-size:1.2rem">{plain.html(status)}</div>'
            f'<div class="kf-detail">{plain.html(why)}</div>'
            f'<table class="kf-table"><tr><th scope="row">Mål</th><td colspan="2">{target_text}</td></tr>'
            f'<tr><th scope="row">Siden {previous}</th><td colspan="2">{change}</td></tr></table>'
            f'<div class="kf-source">Kilde: {INDICATOR_SOURCE[key]} · skoleåret {year} · {n_text}</div></div>',
            unsafe_allow_html=True,
        )


def _row(frame: pl.DataFrame, year: str, indicator: str) -> dict | None:
    rows = frame.filter((pl.col("school_year") == year) & (pl.col("indicator") == indicator))
    return rows.row(0, named=True) if len(rows) else None


@guarded
def target_form(runner: Runner, scope: Scope, username: str, school: str, targets: pl.DataFrame) -> None:
    """The leadership sets the targets; the runner refuses anyone else."""
    with st.form("participation_targets"):
        st.markdown("Skriv skolens mål for hver indikator (procent for andele, point 1–5 for støtte og inspiration).")
        cols = st.columns(len(PARTICIPATION_INDICATORS))
        entered = {}
        for col, (key, (label, unit, *_)) in zip(cols, PARTICIPATION_INDICATORS.items(), strict=True):
            current = targets.filter(pl.col("indicator") == key)
            # A text field, not st.number_input: that shows "20.0" and takes a decimal point.
            entered[key] = col.text_input(
                label,
                value=field_text(current["target"][0] if len(current) else None, 2),
                key=f"target_{key}",
                placeholder="fx 12,5" if unit == "score" else "fx 20",
            )
        if not st.form_submit_button("Gem mål"):
            return
    values, unreadable = {}, []
    for key, text in entered.items():
        try:
            values[key] = parse_number(text)
        except ValueError as problem:
            unreadable.append(f"{PARTICIPATION_INDICATORS[key][0]}: {problem}")
    if unreadable:
        st.error("Målene er ikke gemt:\n\n" + plain.bullets(unreadable))
        return
    changed = {
        k: v
        for k, v in values.items()
        if v is not None and (targets.filter(pl.col("indicator") == k)["target"].to_list() or [None])[0] != v
    }
    errors = edits.save_targets(runner, scope, username, school, changed)
    if errors:
        st.error("Målene er ikke gemt:\n\n" + plain.bullets(errors))
    else:
        st.success(f"{len(changed)} mål er gemt.")


def _interval(rows: pl.DataFrame, indicator: str, effects: dict[str, float] | None) -> pl.DataFrame:
    """Each unit's 95 % interval, from the same standard error and design effect as the traffic light
    (`target_tests`): every row's value is the mean of its pupils' values (0/100 for a share)."""
    deff = deff_for(CLUSTERING_KEY.get(indicator, indicator), effects or {})
    return with_interval(rows, "value", "sd", "n", deff)


@guarded
def by_unit(
    frame: pl.DataFrame, year: str, indicator: str, unit_kind: str, effects: dict[str, float] | None = None
) -> None:
    label, unit, *_ = PARTICIPATION_INDICATORS[indicator]
    rows = frame.filter(
        (pl.col("school_year") == year) & (pl.col("indicator") == indicator) & (pl.col("unit_kind") == unit_kind)
    ).sort("unit_order")
    rows = _interval(rows, indicator, effects)
    shown = rows.select(
        pl.lit("Skolen").alias("Serie"), pl.col("unit").alias("Enhed"), pl.col("value").alias("Værdi"), "Nedre", "Øvre"
    )
    decimals = 2 if unit == "score" else 1
    suffix = " %" if unit == "pct" else ""
    charts.show(
        charts.grouped_bars(
            shown, "Enhed", "Værdi", label + (" (1–5)" if unit == "score" else " (%)"), decimals, zero=unit != "score"
        ),
        # departments and grades are disjoint: their pupils add up (the largest one is not the chart's n)
        source_text(SOURCE, f"skoleåret {year}", group_total(rows)) + " · Streger: 95 %-usikkerhedsinterval",
        hidden=charts.hidden_groups(rows, "unit", "value"),
        table=table(
            rows,
            {
                "Enhed": ("unit", None, ""),
                label: ("value", decimals, suffix),
                "95 % fra": ("Nedre", decimals, suffix),
                "95 % til": ("Øvre", decimals, suffix),
                "Antal elever": ("n", 0, ""),
            },
        ),
    )


@guarded
def gaps(runner: Runner, scope: Scope, school: str, year: str, effects: dict[str, float] | None = None) -> None:
    frame = runner.run(
        "participation_gaps",
        scope,
        school=school,
        school_year=year,
    )
    rows = frame.with_columns(
        pl.col("indicator")
        .replace_strict({k: v[0] for k, v in PARTICIPATION_INDICATORS.items()}, default=pl.col("indicator"))
        .alias("Indikator")
    )
    for comparison in rows["comparison"].unique(maintain_order=True):
        part = rows.filter(pl.col("comparison") == comparison)
        # Shares of the group's pupils; the design effect of the indicator, as on the cards.
        part = pl.concat(
            [
                with_interval(
                    p, "value", kind="pct", deff=deff_for(CLUSTERING_KEY.get(p["indicator"][0], ""), effects or {})
                )
                for p in part.partition_by("indicator", maintain_order=True)
            ]
        )
        shown = part.select(
            pl.col("pupil_group").alias("Serie"), pl.col("Indikator"), pl.col("value").alias("Andel"), "Nedre", "Øvre"
        )
        # The two groups of a comparison split the pupils: per indicator their n add up; the chart's
        # pupils are those of the indicator with the most (the 4.–9. graders of the well-being answers
        # are pupils with absence too).
        pupils = part.group_by("indicator").agg(pl.col("n").sum())["n"]
        st.markdown(f"**{plain.md(comparison)}**")
        charts.show(
            charts.grouped_groups(shown, "Indikator", "Andel", "Andel elever (%)"),
            source_text(SOURCE, f"skoleåret {year}", int(pupils.max()) if len(pupils) else None)
            + " · Streger: 95 %-usikkerhedsinterval",
            hidden=sorted(
                f"{r['pupil_group']} ({r['Indikator'].lower()})"
                for r in part.filter(pl.col("suppressed")).iter_rows(named=True)
            ),
            table=table(
                part,
                {
                    "Gruppe": ("pupil_group", None, ""),
                    "Indikator": ("Indikator", None, ""),
                    "Andel": ("value", 1, " %"),
                    "Antal elever": ("n", 0, ""),
                },
            ),
        )


@guarded
def trend(
    frame: pl.DataFrame,
    indicator: str,
    targets: pl.DataFrame | None = None,
    year: str | None = None,
    effects: dict[str, float] | None = None,
) -> None:
    """The indicator over the years with its 95 % interval, with the school's target as a dashed line
    where one is set; n is the chosen school year's pupils (default the newest)."""
    label, unit, *_ = PARTICIPATION_INDICATORS[indicator]
    rows = frame.filter((pl.col("unit_kind") == "skole") & (pl.col("indicator") == indicator)).sort("school_year")
    rows = _interval(rows, indicator, effects)
    year = year or (rows["school_year"].max() if len(rows) else None)
    shown = rows.select(
        pl.lit("Skolen").alias("Serie"),
        pl.col("school_year").alias("Skoleår"),
        pl.col("value").alias("Værdi"),
        "Nedre",
        "Øvre",
    )
    decimals = 2 if unit == "score" else 1
    suffix = " %" if unit == "pct" else ""
    set_target = (
        (targets.filter(pl.col("indicator") == indicator)["target"].to_list() or [None])[0]
        if targets is not None
        else None
    )
    note = f" · Stiplet linje: skolens mål ({format_value(set_target, unit)})" if set_target is not None else ""
    charts.show(
        charts.trend(shown, "Værdi", label, decimals, height=300, target=set_target),
        source_text(SOURCE, "alle skoleår", school_n(rows.filter(pl.col("school_year") == year)))
        + f" (skoleåret {year}) · {charts.INTERVAL_NOTE}"
        + note,
        table=table(
            rows,
            {
                "Skoleår": ("school_year", None, ""),
                label: ("value", decimals, suffix),
                "95 % fra": ("Nedre", decimals, suffix),
                "95 % til": ("Øvre", decimals, suffix),
                "Antal elever": ("n", 0, ""),
            },
        ),
    )
