"""Presentation mode: one agenda item at a time, large, with its figures and a notes field that
saves as it is typed. Only aggregate figures: no pupil-level screen can be shown here."""
from __future__ import annotations

from datetime import datetime

import polars as pl
import streamlit as st

from components import participation_sections
from components.key_figure_card import key_figure_grid
from queries import key_figures as kf
from queries.runner import QueryError, Runner, Scope

HIDE_CHROME = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
html {font-size: 22px;}
.present-slot {font-size: 1.6rem; color: #4D4D4D;}
.present-questions {font-size: 1.4rem; border-left: 6px solid #005A8C; padding-left: 16px; white-space: pre-line;}
</style>"""


def figures_for(runner: Runner, scope: Scope, school: str, year: str, screen: str | None) -> None:
    """The aggregate figures an agenda item points at."""
    previous = kf.previous_year(year)
    if screen == "overblik":
        key_figure_grid(kf.key_figures(runner, scope, school, year), previous, columns=4)
    elif screen == "trivsel":
        key_figure_grid(kf.wellbeing_figures(runner, scope, school, year), previous, columns=3)
    elif screen == "fravaer":
        key_figure_grid(kf.absence_figures(runner, scope, school, year, with_kinds=True), previous, columns=3)
    elif screen == "faglighed":
        key_figure_grid([kf.exam_figure(runner, scope, school, year), kf.socio_figure(runner, scope, school, year),
                         *kf.test_figures(runner, scope, school, year)], previous, columns=4)
    elif screen == "deltagelse":
        years = [year, previous]
        frame = participation_sections.load(runner, scope, school, years)
        targets = runner.run("participation_targets", scope, school=school)
        participation_sections.indicator_cards(frame, targets, year, previous)
    elif screen == "leaps":
        from components import leaps_sections
        leaps_sections.status(runner, scope, school, year)
    if screen in ("overblik", "trivsel", "fravaer", "faglighed", "deltagelse"):
        st.caption(kf.NOISE_RULE)  # the coloured marks' rule, on this screen too


def save_note(runner: Runner, scope: Scope, username: str, school: str, item: dict, widget_key: str) -> None:
    """on_change of the notes field: save at once, refusing to overwrite a newer note."""
    try:
        runner.write("save_note", scope, username, [{
            "school": school, "item_id": item["item_id"], "body": st.session_state[widget_key],
            "base_version": item["note_version"], "username": username}])
        st.session_state["note_status"] = f"Gemt kl. {datetime.now():%H.%M.%S}"
    except QueryError:
        st.session_state["note_status"] = ("Ikke gemt: en anden har ændret noten imens. Kopier din tekst, og "
                                           "genindlæs punktet.")


def current_item(items: pl.DataFrame) -> tuple[int, dict]:
    index = min(max(st.session_state.get("present_item", 0), 0), len(items) - 1)
    st.session_state["present_item"] = index
    return index, items.row(index, named=True)
