"""The parts of the Årgang screen: classes side by side, the year group over the years, the 1-5
assessment grid (edited by the team) and pupils with several warning signs."""

from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, plain, tables
from components.editing import as_pandas, data_editor, trusted_keys
from components.formatting import number
from components.screen import guarded, source_text, table
from data.validation import ASSESSMENT_AREAS, TERMS
from queries import edits, indicators
from queries.runner import Runner, Scope


def _class_row(key: str, note: str = "", decimals: int = 1, suffix: str = " %") -> tuple[str, int, str]:
    return indicators.short(key) + note, decimals, suffix


# The class table's rows (queries/year_group_classes.sql): (name, decimals, suffix).
CLASS_INDICATORS = {
    "pupils": _class_row("pupils", decimals=0, suffix=""),
    "absence_total_pct": _class_row("absence_total_pct"),
    "absence_over10_share": _class_row("absence_over10_share"),
    "wellbeing_social": _class_row("wellbeing_social", " (klassen)", 2, ""),
    "test_good_share": ("Nationale test, andel gode", 1, " %"),
}
# Red to dark green as the schools' grids use it; the number is always printed in the cell too.
GRID_COLOURS = {1: "#C0392B", 2: "#F0A35E", 3: "#F4E07A", 4: "#8BC48A", 5: "#2E7D32"}
GRID_TEXT = {1: "#ffffff", 2: "#1a1a1a", 3: "#1a1a1a", 4: "#1a1a1a", 5: "#ffffff"}


@guarded
def classes(runner: Runner, scope: Scope, school: str, year: str, grade: int) -> None:
    frame = runner.run("year_group_classes", scope, school=school, school_year=year, grade=grade)
    if frame.is_empty():
        st.info("Ingen elever i årgangen i det valgte skoleår.")
        return
    wide = {}
    for r in frame.iter_rows(named=True):
        label, decimals, suffix = CLASS_INDICATORS[r["indicator"]]
        row = wide.setdefault(r["class_name"], {"Klasse": r["class_name"]})
        row[label] = r["suppressed_reason"] if r["suppressed"] else number(r["value"], decimals) + suffix
    tables.dataframe(pd.DataFrame(list(wide.values())).fillna("–"), hide_index=True, width="stretch")
    st.caption(
        source_text(
            "Elevfravær, Trivselsmålingen (klasseniveau) og nationale test (fortroligt)",
            f"skoleåret {year}",
            int(frame.filter(pl.col("indicator") == "pupils")["n"].drop_nulls().sum()),
        )
    )


@guarded
def cohort(runner: Runner, scope: Scope, school: str, year: str, grade: int) -> None:
    frame = runner.run("year_group_cohort", scope, school=school, school_year=year, grade=grade)
    left, right = st.columns(2)
    for column, indicator, unit, decimals in (
        (left, "absence_total_pct", "%", 1),
        (right, "wellbeing_social", "1–5", 2),
    ):
        title = f"{indicators.short(indicator)} ({unit})"
        rows = (
            frame.filter(pl.col("indicator") == indicator)
            .sort("school_year")
            .with_columns(
                (pl.col("school_year") + " (" + pl.col("grade_then").cast(pl.String) + ".)").alias("Skoleår"),
                pl.lit("Skolen").alias("Serie"),
            )
        )
        with column:
            if rows.filter(~pl.col("suppressed")).is_empty():
                st.info(f"Ingen tal for {title.lower()} for årgangen.")
                continue
            charts.show(
                charts.trend(
                    rows.select("Serie", "Skoleår", pl.col("value").alias("Værdi")),
                    "Værdi",
                    title,
                    decimals,
                    height=280,
                ),
                source_text("Samme elever år for år", "alle skoleår", int(rows["n"].drop_nulls().max())),
                table=table(
                    rows,
                    {
                        "Skoleår (klassetrin)": ("Skoleår", None, ""),
                        title: ("value", decimals, ""),
                        "Antal elever": ("n", 0, ""),
                    },
                ),
            )


def _term_label(school_year: str, term: str) -> str:
    return f"{term.capitalize()} {school_year}"


@guarded
def grid(runner: Runner, scope: Scope, school: str, year: str, previous: str, grade: int) -> pl.DataFrame:
    """The coloured grid of every term (newest first); returns the pupils for the editor."""
    frame = runner.run(
        "year_group_assessments", scope, school=school, school_year=year, previous_year=previous, grade=grade
    )
    pupils = frame.select("student_key", "pupil", "class_name").unique().sort("class_name", "pupil")
    scored = frame.filter(pl.col("score").is_not_null()).with_columns(
        pl.struct("school_year", "term")
        .map_elements(lambda t: _term_label(t["school_year"], t["term"]), return_dtype=pl.String)
        .alias("Termin"),
        pl.col("area").replace_strict(ASSESSMENT_AREAS).alias("Område"),
    )
    if scored.is_empty():
        st.info("Der er endnu ingen vurderinger for årgangen.")
        return pupils
    terms = (
        scored.select("school_year", "term", "Termin")
        .unique()
        .sort(
            ["school_year", pl.col("term").replace_strict({"efterår": 1, "forår": 2}, return_dtype=pl.Int8)],
            descending=True,
        )["Termin"]
        .to_list()
    )
    columns = [f"{area} · {term}" for term in terms for area in ASSESSMENT_AREAS.values()]
    wide = scored.with_columns((pl.col("Område") + " · " + pl.col("Termin")).alias("col")).pivot(
        on="col", index="student_key", values="score"
    )
    view = as_pandas(
        pupils.join(wide, on="student_key", how="left").select(
            pl.col("class_name").alias("Klasse"),
            pl.col("pupil").alias("Elev"),
            *[pl.col(c) if c in wide.columns else pl.lit(None).alias(c) for c in columns],
        )
    )

    def colour(value):
        if pd.isna(value):
            return ""
        return f"background-color: {GRID_COLOURS[int(value)]}; color: {GRID_TEXT[int(value)]}; font-weight: 700"

    styled = view.style.map(colour, subset=columns).format(lambda v: "" if pd.isna(v) else f"{int(v)}", subset=columns)
    tables.dataframe(styled, hide_index=True, width="stretch", height=min(36 * (len(view) + 1), 700))
    st.caption(
        "1 = rød (bekymring) … 5 = mørkegrøn (går rigtig godt). Tallet står altid i feltet, så farven ikke "
        f"er eneste kilde. Kilde: årgangsteamets vurderinger · {', '.join(terms)} · n = {len(pupils)} elever."
    )
    return pupils


@guarded
def grid_editor(
    runner: Runner, scope: Scope, username: str, school: str, year: str, grade: int, pupils: pl.DataFrame
) -> None:
    if not runner.may_write("upsert_pupil_assessment", scope):
        return
    term = st.radio(
        "Termin der vurderes",
        list(TERMS),
        horizontal=True,
        index=1,
        key="grid_term",
        format_func=lambda t: _term_label(year, t),
    )
    current = runner.run(
        "year_group_assessments", scope, school=school, school_year=year, previous_year=year, grade=grade
    ).filter((pl.col("school_year") == year) & (pl.col("term") == term))
    wide = current.pivot(on="area", index="student_key", values="score") if not current.is_empty() else None
    view = pupils.select("student_key", pl.col("class_name").alias("Klasse"), pl.col("pupil").alias("Elev"))
    for area in ASSESSMENT_AREAS:
        values = wide.select("student_key", area) if wide is not None and area in wide.columns else None
        view = (
            view.join(values, on="student_key", how="left")
            if values is not None
            else view.with_columns(pl.lit(None, pl.Int8).alias(area))
        )
    config = {
        "student_key": None,
        "Klasse": st.column_config.TextColumn(disabled=True),
        "Elev": st.column_config.TextColumn(disabled=True),
    } | {
        area: st.column_config.NumberColumn(label, min_value=1, max_value=5, step=1)
        for area, label in ASSESSMENT_AREAS.items()
    }
    original = as_pandas(view)
    edited = data_editor(
        original,
        column_config=config,
        hide_index=True,
        width="stretch",
        key=f"grid_editor_{school}_{year}_{grade}_{term}",
    )
    if st.button("Gem vurderinger", type="primary"):
        changes = []
        edited = trusted_keys(original, edited, ("student_key", "Elev"))
        for before, after in zip(original.to_dict("records"), edited.to_dict("records"), strict=True):
            for area in ASSESSMENT_AREAS:
                if not pd.isna(after[area]) and (pd.isna(before[area]) or before[area] != after[area]):
                    changes.append(
                        {
                            "student_key": after["student_key"],
                            "pupil": after["Elev"],
                            "term": term,
                            "area": area,
                            "score": after[area],
                        }
                    )
        errors = edits.save_assessments(runner, scope, username, school, year, grade, changes)
        if errors:
            st.error("Intet er gemt. Ret først:\n\n" + plain.bullets(errors))
        else:
            st.success(f"{len(changes)} vurderinger er gemt med dit navn og tidspunkt.")


@guarded
def warning_signs(runner: Runner, scope: Scope, school: str, year: str, grade: int) -> pl.DataFrame:
    frame = runner.run("year_group_warning_signs", scope, school=school, school_year=year, grade=grade, min_signals=2)
    if frame.is_empty():
        st.info("Ingen elever i årgangen har flere advarselstegn på samme tid.")
        return frame
    rows = [
        {
            "Klasse": r["class_name"],
            "Elev": r["pupil"],
            "Antal tegn": r["signal_count"],
            "Fravær over 10 %": f"ja ({number(r['absence_pct'], 1)} %)" if (r["absence_pct"] or 0) > 10 else "",
            "Vurdering 1–2": ", ".join(ASSESSMENT_AREAS[a] for a in r["low_assessment_areas"] or []),
            "Dårligste niveau i nationale test": ", ".join(
                {"dansk_laesning": "læsning", "matematik": "matematik"}[s] for s in r["bottom_test_subjects"] or []
            ),
        }
        for r in frame.iter_rows(named=True)
    ]
    tables.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        f"{len(rows)} elever med mindst to tegn. Tegnene står hver for sig: der er ingen samlet risikoscore. "
        f"Kilde: elevfravær, årgangsteamets vurderinger (nyeste termin) og nationale test (fortroligt) · "
        f"skoleåret {year}."
    )
    return frame
