"""The parts of the Succeskriterier screen: milestones (set by the leadership) and measured
criteria (baseline against endline, with the uncertainty and a plain verdict)."""

from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, plain, tables
from components.editing import as_pandas, data_editor, trusted_keys
from components.formatting import danish_date, number
from components.screen import guarded, table
from queries import edits
from queries.runner import Runner, Scope, small_group
from queries.statistics import (
    NOT_REACHED,
    REACHED,
    Family,
    Test,
    Verdict,
    change_words,
    share_change_test,
    target_result,
    target_test,
)

GROUPS = {"medarbejdere": "Medarbejdere", "forældre": "Forældre", "elever": "Elever"}


@guarded
def milestones(runner: Runner, scope: Scope, username: str, school: str, project_id: str) -> None:
    frame = runner.run("project_milestones", scope, school=school, project_id=project_id)
    done = frame["done"].fill_null(False).sum()
    st.markdown(f"**{done} af {len(frame)} milepæle er nået.**")
    view = as_pandas(
        frame.select("criterion_id", "text", "due_date", "done", pl.col("evidence").fill_null(""), "updated_by")
    )
    config = {
        "criterion_id": None,
        "text": st.column_config.TextColumn("Milepæl", disabled=True, width="large"),
        "due_date": st.column_config.DateColumn("Dato", format="DD.MM.YYYY"),
        "done": st.column_config.CheckboxColumn("Nået"),
        "evidence": st.column_config.TextColumn("Dokumentation (tekst eller link)", width="large"),
        "updated_by": st.column_config.TextColumn("Senest ændret af", disabled=True),
    }
    if not runner.may_write("update_project_milestone", scope):
        tables.dataframe(view, column_config=config, hide_index=True, width="stretch")
        return
    edited = data_editor(view, column_config=config, hide_index=True, width="stretch", key=f"milestones_{project_id}")
    if st.button("Gem milepæle", type="primary"):
        rows = []
        for row in trusted_keys(view, edited, ("criterion_id",)).to_dict("records"):
            row = {k: (None if not isinstance(v, bool) and pd.isna(v) else v) for k, v in row.items()}
            if isinstance(row.get("due_date"), pd.Timestamp):
                row["due_date"] = row["due_date"].date()
            rows.append(row)
        errors = edits.save_milestones(runner, scope, username, school, rows)
        if errors:
            st.error("Intet er gemt. Ret først:\n\n" + plain.bullets(errors))
        else:
            st.success("Milepælene er gemt.")


CHANGE_WORDS = {"steget": Verdict.BETTER, "uændret inden for usikkerheden": Verdict.UNSURE, "faldet": Verdict.WORSE}


def _points(x: float) -> str:
    return number(x, 0, sign=True)  # the survey's shares are shown in whole percent


def target_reason(
    result: str, diff: float | None, margin: float | None, target: float | None, comparisons: int = 1
) -> str:
    """Why the criterion's target is reached, not reached or cannot be decided yet, in Danish."""
    if target is None:
        return "Der er ikke sat et mål for ændringen."
    if diff is None or margin is None:
        return f"Før- eller eftermålingen mangler (eller har {small_group('svar')})."
    interval = f"{_points(diff - margin)} til {_points(diff + margin)} pct.-point"
    goal = f"målet {_points(target)} pct.-point"
    if result == REACHED:
        return f"Ændringen ({interval}) ligger over {goal} med mere end usikkerheden."
    if result == NOT_REACHED:
        return f"Ændringen ({interval}) ligger under {goal} med mere end usikkerheden."
    if diff - margin <= target <= diff + margin:
        return (
            f"Intervallet for ændringen ({interval}) rummer {goal}: ændringen kan både være over og under "
            "målet. Flere svar eller en ny måling kan afgøre det."
        )
    side = "over" if diff > target else "under"
    return (
        f"Ændringen ({interval}) ligger {side} {goal}, men når {comparisons} sammenligninger vurderes på én "
        "gang, er afstanden til målet ikke stor nok til at være sikker."
    )


def criteria_rows(frame: pl.DataFrame) -> list[dict]:
    """One row per measured criterion: the change with its margin, whether it rose or fell, and the
    target result with its reason. The changes and the target tests of all the project's criteria are
    one family (queries.statistics), decided at once."""
    family = Family()
    pairs = []
    for r in frame.iter_rows(named=True):
        change = share_change_test(r["baseline"], r["baseline_n"], r["endline"], r["endline_n"]) or Test(None, None)
        target = r["target_change"] * 100 if r["target_change"] is not None else None
        against = target_test(change.difference, change.se, target) if target is not None else None
        family.add(change)
        if against is not None:
            family.add(against)
        pairs.append((change, against, target))
    family.decide()
    rows = []
    for r, (test, against, target) in zip(frame.iter_rows(named=True), pairs, strict=True):
        diff, margin = test.difference, test.margin if test.judgeable else None
        result = target_result(against, target)
        reached = small_group("svar") if r["suppressed"] else result
        rows.append(
            {
                "Kriterium": r["text"],
                "Gruppe": GROUPS.get(r["respondent_group"], r["respondent_group"]),
                "Før": r["baseline"],
                "Efter": r["endline"],
                "Forskel": diff,
                "Margin": margin,
                "Interval": "–"
                if diff is None or margin is None
                else f"{_points(diff - margin)} til {_points(diff + margin)}",
                "Vurdering": change_words(test) if not r["suppressed"] else small_group("svar"),
                "Mål (pct.-point)": target,
                "Målet nået": reached,
                "Ændring": "–" if diff is None else f"{_points(diff)} pct.-point",
                "Mål": "intet mål" if target is None else f"{_points(target)} pct.-point",
                "Hvorfor": "Færre end 5 svar i en af målingerne."
                if r["suppressed"]
                else target_reason(result, diff, margin, target, len(family.tests)),
                "Svar før/efter": "–" if r["suppressed"] else f"{r['baseline_n']} / {r['endline_n']}",
                "Målt": f"{danish_date(r['baseline_on'])} og {danish_date(r['endline_on'])}"
                if r["baseline_on"] and r["endline_on"]
                else "–",
            }
        )
    return rows


@guarded
def measured(runner: Runner, scope: Scope, school: str, project_id: str) -> None:
    frame = runner.run("project_measured_criteria", scope, school=school, project_id=project_id)
    data = pl.DataFrame(criteria_rows(frame), infer_schema_length=None)
    if data.is_empty():
        st.info("Projektet har ingen målte kriterier.")
        return
    shown = data.filter(pl.col("Forskel").is_not_null() & pl.col("Margin").is_not_null()).with_columns(
        (pl.col("Gruppe") + ": " + pl.col("Kriterium")).alias("Kriterium")
    )
    if not shown.is_empty():
        charts.show(
            charts.difference_with_margin(
                shown.select("Kriterium", "Forskel", "Margin", "Vurdering"),
                CHANGE_WORDS,
                x="Kriterium",
                title="Ændring fra før- til eftermåling (pct.-point)",
                decimals=0,
                horizontal=True,
            ),
            f"Kilde: skolens egen spørgeskemaundersøgelse · {data['Målt'][0]} · n = antal svar pr. gruppe, se tabellen",
            table=table(
                data,
                {
                    "Kriterium": ("Kriterium", None, ""),
                    "Gruppe": ("Gruppe", None, ""),
                    "Før": ("Før", 0, " %"),
                    "Efter": ("Efter", 0, " %"),
                    "Forskel": ("Forskel", 0, " pct.-point"),
                    "±": ("Margin", 0, ""),
                    "Vurdering": ("Vurdering", None, ""),
                    "Mål": ("Mål (pct.-point)", 0, ""),
                    "Målet nået": ("Målet nået", None, ""),
                    "Svar før/efter": ("Svar før/efter", None, ""),
                },
            ),
            table_title="Vis kriterierne som tabel",
        )
    tables.dataframe(
        data.select(
            "Kriterium",
            "Gruppe",
            "Vurdering",
            "Ændring",
            pl.col("Interval").alias("Interval (95 %)"),
            "Mål",
            "Målet nået",
            "Svar før/efter",
        ),
        hide_index=True,
        width="stretch",
    )
    st.markdown(
        "**Målet nået – hvorfor:**\n\n"
        + "\n".join(
            f"- {plain.md(r['Gruppe'])}: {plain.md(r['Kriterium'])} – **{plain.md(r['Målet nået'])}**. "
            f"{plain.md(r['Hvorfor'])}"
            for r in data.iter_rows(named=True)
        )
    )
