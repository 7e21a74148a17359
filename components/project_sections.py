"""The parts of the Succeskriterier screen: milestones (set by the leadership) and measured
criteria (baseline against endline, with the uncertainty and a plain verdict)."""
from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from components import charts, plain, tables
from components.editing import as_pandas, trusted_keys
from components.formatting import danish_date
from components.screen import guarded, table
from queries import edits
from queries.runner import Runner, Scope
from queries.statistics import share_change

GROUPS = {"medarbejdere": "Medarbejdere", "forældre": "Forældre", "elever": "Elever"}


def milestones(runner: Runner, scope: Scope, username: str, school: str, project_id: str) -> None:
    frame = runner.run("project_milestones", scope, school=school, project_id=project_id)
    done = frame["done"].fill_null(False).sum()
    st.markdown(f"**{done} af {len(frame)} milepæle er nået.**")
    view = as_pandas(frame.select("criterion_id", "text", "due_date", "done", pl.col("evidence").fill_null(""),
                                     "updated_by"))
    config = {"criterion_id": None, "text": st.column_config.TextColumn("Milepæl", disabled=True, width="large"),
              "due_date": st.column_config.DateColumn("Dato", format="DD.MM.YYYY"),
              "done": st.column_config.CheckboxColumn("Nået"),
              "evidence": st.column_config.TextColumn("Dokumentation (tekst eller link)", width="large"),
              "updated_by": st.column_config.TextColumn("Senest ændret af", disabled=True)}
    if not runner.may_write("update_project_milestone", scope):
        tables.dataframe(view, column_config=config, hide_index=True, width="stretch")
        return
    edited = st.data_editor(view, column_config=config, hide_index=True, width="stretch",
                            key=f"milestones_{project_id}")
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


@guarded
def measured(runner: Runner, scope: Scope, school: str, project_id: str) -> None:
    frame = runner.run("project_measured_criteria", scope, school=school, project_id=project_id)
    rows = []
    for r in frame.iter_rows(named=True):
        diff, margin, verdict = share_change(r["baseline"], r["baseline_n"], r["endline"], r["endline_n"])
        target = r["target_change"] * 100 if r["target_change"] is not None else None
        reached = ("færre end 5 svar" if r["suppressed"] else "–" if diff is None or target is None
                   else "ja" if diff - margin >= target else "nej" if diff + margin < target else "kan ikke afgøres")
        rows.append({"Kriterium": r["text"], "Gruppe": GROUPS.get(r["respondent_group"], r["respondent_group"]),
                     "Før": r["baseline"], "Efter": r["endline"], "Forskel": diff, "Margin": margin,
                     "Vurdering": verdict if not r["suppressed"] else "færre end 5 svar",
                     "Mål (pct.-point)": target, "Målet nået": reached,
                     "Svar før/efter": "–" if r["suppressed"] else f"{r['baseline_n']} / {r['endline_n']}",
                     "Målt": f"{danish_date(r['baseline_on'])} og {danish_date(r['endline_on'])}"
                     if r["baseline_on"] and r["endline_on"] else "–"})
    data = pl.DataFrame(rows)
    shown = data.filter(pl.col("Forskel").is_not_null()).with_columns(
        (pl.col("Gruppe") + ": " + pl.col("Kriterium")).alias("Kriterium"))
    if not shown.is_empty():
        charts.show(charts.difference_with_margin(shown.select("Kriterium", "Forskel", "Margin"), x="Kriterium",
                                                  title="Ændring fra før- til eftermåling (pct.-point)",
                                                  words=("steget", "uændret inden for usikkerheden", "faldet"),
                                                  decimals=0, horizontal=True),
                    f"Kilde: skolens egen spørgeskemaundersøgelse · {data['Målt'][0]} · "
                    f"n = antal svar pr. gruppe, se tabellen",
                    table=table(data, {"Kriterium": ("Kriterium", None, ""), "Gruppe": ("Gruppe", None, ""),
                                       "Før": ("Før", 0, " %"), "Efter": ("Efter", 0, " %"),
                                       "Forskel": ("Forskel", 0, " pct.-point"), "±": ("Margin", 0, ""),
                                       "Vurdering": ("Vurdering", None, ""), "Mål": ("Mål (pct.-point)", 0, ""),
                                       "Målet nået": ("Målet nået", None, ""),
                                       "Svar før/efter": ("Svar før/efter", None, "")}),
                    table_title="Vis kriterierne som tabel")
    tables.dataframe(data.select("Kriterium", "Gruppe", "Vurdering", "Målet nået", "Svar før/efter"),
                 hide_index=True, width="stretch")
