"""Presentation mode for a real meeting: one agenda item at a time at projector size, its cards and
charts side by side, the notes in a panel beside them (saved as they are typed), the time left in
the item's slot, and a clear end.

- Keys: → / PageDown / space next, ← / PageUp previous (what presenter clickers send), through
  Streamlit's own button shortcuts; they do nothing while the notes field has the focus.
- The item is in the URL (`?skole=…&skoleaar=…&punkt=N`), so a reload or a second screen opens the
  same item; `punkt` one past the last item is the end. The runner checks the school as always.
- Only aggregate figures: no pupil-level screen can be shown here."""

from __future__ import annotations

import time
from datetime import datetime

import polars as pl
import streamlit as st

from components import charts, data_package, data_summary, participation_sections, plain, tables
from components.formatting import danish_date
from components.key_figure_card import key_figure_grid
from components.screen import guarded, source_text
from queries import efforts
from queries import key_figures as kf
from queries.runner import QueryError, Runner, Scope, ScopeError
from queries.talks import ROLES

SCHOOL, YEAR, ITEM = "skole", "skoleaar", "punkt"
NEXT_KEYS, PREVIOUS_KEYS = ("PageDown", "Right", "Space"), ("PageUp", "Left")
KEY_HELP = "Skift punkt med → / PageDown / mellemrum og ← / PageUp (også fra en præsentationsklikker)."
CHART_HEIGHT = 430
CHART_FONT = 22

HIDE_CHROME = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 0.8rem; padding-bottom: 1rem; max-width: 100%;}
html {font-size: 22px;}
.present-slot {font-size: 1.25rem; color: #1a1a1a; font-weight: 600;}
.present-slot .present-over {color: #A63D00;}
.present-questions {font-size: 1.2rem; border-left: 6px solid #005A8C; padding-left: 16px; white-space: pre-line;}
.present-end {font-size: 1.5rem;}
.st-key-present_keys {display: none;}
.st-key-present_notes {position: sticky; top: 0.5rem; align-self: flex-start;}
.data-summary h3 {font-size: 1.4rem; margin: 0 0 0.4rem 0;}
</style>"""

# Which item is on screen and since when, per talk, for the time left in its slot. In the process,
# so a reload or a second screen shows the same clock; a move to another item starts it again.
_SHOWN: dict[str, tuple[int, float]] = {}


def from_url(default_school: str | None, default_year: str | None) -> tuple[str | None, str | None, int]:
    """The school, school year and 0-based item the URL names (or the defaults from the session)."""
    params = st.query_params
    school, year = params.get(SCHOOL) or default_school, params.get(YEAR) or default_year
    try:
        index = int(params.get(ITEM, "1")) - 1
    except ValueError:
        index = 0
    return school, year, index


def go(talk_id: str, index: int) -> None:
    """on_click of the navigation buttons: the target item is fixed when the button is drawn, so a
    double press (a clicker and a key at once) lands on the same item, never two further."""
    st.query_params[ITEM] = str(index + 1)
    _SHOWN[talk_id] = (index, time.time())


def clamp(index: int, count: int) -> int:
    return min(max(index, 0), count)  # count itself is the end


def started(talk_id: str, index: int) -> float:
    shown = _SHOWN.get(talk_id)
    if shown is None or shown[0] != index:
        _SHOWN[talk_id] = shown = (index, time.time())
    return shown[1]


def slot(item: dict) -> tuple[str, int]:
    """("09.20–09.40", minutes) of an agenda item."""
    start, end = item["starts_at"], item["ends_at"]
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return f"{start:%H.%M}–{end:%H.%M}", max(minutes, 0)


def time_left(minutes: int, since: float, now: float) -> tuple[str, bool]:
    """The time left of the item's slot since it came on screen, or how far over it is."""
    used = int((now - since) // 60)
    if used <= minutes:
        return f"{minutes - used} min tilbage af {minutes}", False
    return f"{used - minutes} min over tid ({minutes} min afsat)", True


def navigation(talk_id: str, index: int, count: int) -> None:
    """Previous and next, as buttons and as keys; extra keys on buttons that are not shown."""
    back, forward = st.columns(2)
    back.button(
        "◀ Forrige",
        disabled=index == 0,
        width="stretch",
        shortcut=PREVIOUS_KEYS[0],
        on_click=go,
        args=(talk_id, index - 1),
        key="present_previous",
    )
    forward.button(
        "Afslut ▶" if index == count - 1 else "Næste ▶",
        disabled=index >= count,
        width="stretch",
        type="primary",
        shortcut=NEXT_KEYS[0],
        on_click=go,
        args=(talk_id, index + 1),
        key="present_next",
    )
    with st.container(key="present_keys"):
        for key in PREVIOUS_KEYS[1:]:
            st.button(
                f"Forrige ({key})",
                disabled=index == 0,
                shortcut=key,
                on_click=go,
                args=(talk_id, index - 1),
                key=f"present_previous_{key}",
            )
        for key in NEXT_KEYS[1:]:
            st.button(
                f"Næste ({key})",
                disabled=index >= count,
                shortcut=key,
                on_click=go,
                args=(talk_id, index + 1),
                key=f"present_next_{key}",
            )


def header(talk_id: str, items: pl.DataFrame, index: int) -> None:
    """Where we are, the item's slot, the time left in it and the clock (redrawn every 20 s)."""
    count = len(items)
    if index >= count:
        st.markdown(
            f'<div class="present-slot">Samtalen er slut · alle {count} punkter er gennemgået</div>',
            unsafe_allow_html=True,
        )
        return
    item = items.row(index, named=True)
    span, minutes = slot(item)
    since = started(talk_id, index)

    @st.fragment(run_every=20)
    def clock() -> None:
        left, over = time_left(minutes, since, time.time())
        css = ' class="present-over"' if over else ""
        st.markdown(
            f'<div class="present-slot" role="status">Punkt {index + 1} af {count} · {span} · '
            f"<span{css}>{left}</span> · klokken er {datetime.now():%H.%M}</div>",
            unsafe_allow_html=True,
        )

    clock()


# -- the figures of an item ----------------------------------------------------------------------
TREND = {  # screen: (trend_frames key, value column, axis title, decimals, indicator, key figure)
    "overblik": ("trivsel", "Gennemsnit", "Generel trivsel (1–5)", 2, "wellbeing_generel", "wellbeing_generel"),
    "trivsel": ("trivsel", "Gennemsnit", "Generel trivsel (1–5)", 2, "wellbeing_generel", "wellbeing_generel"),
    "fravaer": ("fravaer", "Procent", "Samlet fravær (%)", 1, "absence_total_pct", "absence_total_pct"),
    "faglighed": (
        "karakterer",
        "Gennemsnit",
        "Karaktergennemsnit, bundne prøver",
        1,
        "exam_bound_average",
        "exam_bound_average",
    ),
}
TREND_SOURCE = {
    "trivsel": ("Trivselsmålingen, 4.–9. klasse, skolen og kommunen", "januar–marts hvert år"),
    "fravaer": ("Elevfravær, skolens registrering, skolen og kommunen", "august–juni hvert år"),
    "karakterer": ("Folkeskolens afgangsprøver, 9. klasse, skolen og kommunen", "maj–juni hvert år"),
}


@guarded
def trend_chart(runner: Runner, scope: Scope, school: str, year: str, screen: str, figures: list[kf.KeyFigure]) -> None:
    key, value, title, decimals, indicator, figure_key = TREND[screen]
    frames = data_package.trend_frames(runner, scope, school, data_package.trend_years(runner, scope, year))
    rows = frames[key]
    if rows.filter(pl.col(value).is_not_null()).is_empty():
        st.info("Ingen tal over årene at vise.")
        return
    aimed = efforts.for_indicator(efforts.load(runner, scope, school), indicator)
    chart = charts.trend(rows, value, title, decimals, height=CHART_HEIGHT, efforts=aimed, font_size=CHART_FONT)
    fig = next((f for f in figures if f.key == figure_key), None)
    source, measured = TREND_SOURCE[key]
    charts.show(
        chart,
        source_text(source, measured, fig.n if fig else None, fig.n_unit if fig else "elever")
        + f" i {year} · {charts.INTERVAL_NOTE}",
    )


@guarded
def figures_for(runner: Runner, scope: Scope, school: str, year: str, screen: str | None) -> None:
    """The aggregate figures an agenda item points at: its cards beside its trend chart."""
    previous = kf.previous_year(year)
    if screen == "overblik":
        figures = kf.key_figures(runner, scope, school, year)
        left, right = st.columns([1, 1], gap="large")
        with left:
            data_summary.show(data_summary.summarise(figures, year, previous), large=True)
        with right:
            trend_chart(runner, scope, school, year, screen, figures)
        key_figure_grid(figures, previous, columns=4)
        return
    if screen in ("trivsel", "fravaer", "faglighed"):
        if screen == "trivsel":
            figures = kf.wellbeing_figures(runner, scope, school, year)
        elif screen == "fravaer":
            figures = kf.absence_figures(runner, scope, school, year, with_kinds=True)
        else:
            figures = [
                kf.exam_figure(runner, scope, school, year),
                kf.socio_figure(runner, scope, school, year),
                *kf.test_figures(runner, scope, school, year),
            ]
        cards, chart = st.columns([1.15, 1], gap="large")
        with cards:
            key_figure_grid(figures, previous, columns=2)
        with chart:
            trend_chart(runner, scope, school, year, screen, figures)
    elif screen == "deltagelse":
        frame = participation_sections.load(runner, scope, school, [year, previous])
        targets = runner.run("participation_targets", scope, school=school)
        participation_sections.indicator_cards(frame, targets, year, previous)
    elif screen == "leaps":
        from components import leaps_sections

        leaps_sections.status(runner, scope, school, year)
    if screen in ("overblik", "trivsel", "fravaer", "faglighed", "deltagelse"):
        st.caption(kf.NOISE_RULE)  # the coloured marks' rule, on this screen too


@guarded
def without_figures(runner: Runner, scope: Scope, school: str, talk: dict, item: dict) -> None:
    """An item without a screen: the participants at the welcome, last year's agreements at the
    follow-up, a pause as a pause."""
    if item["kind"] == "velkomst":
        people = runner.run("talk_participants", scope, school=school, talk_id=talk["talk_id"])
        if len(people):
            lines = "".join(
                f"<li>{plain.html(p['name'])} · {plain.html(ROLES.get(p['role'], p['role']))}</li>"
                for p in people.iter_rows(named=True)
            )
            st.markdown(
                f'<div class="present-questions"><strong>Deltagere</strong><ul>{lines}</ul></div>',
                unsafe_allow_html=True,
            )
    elif item["kind"] == "opfølgning":
        from components import talk_sections

        st.subheader("Sidste års aftaler")
        talk_sections.previous_agreements(runner, scope, school, talk["school_year"])
    elif item["kind"] == "pause":
        st.markdown('<div class="present-end">Pause – vi fortsætter efter pausen.</div>', unsafe_allow_html=True)


@guarded
def end(runner: Runner, scope: Scope, school: str, talk: dict) -> None:
    st.markdown('<div class="present-end">Tak for i dag. Samtalen er slut.</div>', unsafe_allow_html=True)
    agreements = runner.run("talk_agreements", scope, school=school, talk_id=talk["talk_id"])
    st.subheader(f"Aftaler fra samtalen {danish_date(talk['talk_date'])}")
    if agreements.is_empty():
        st.info("Der er ikke skrevet aftaler endnu. De skrives under »Samtale & referat« → Aftaler.")
    else:
        tables.dataframe(
            agreements.select(
                pl.col("text").alias("Aftale"), pl.col("owner").alias("Ansvarlig"), pl.col("status").alias("Status")
            ),
            hide_index=True,
            width="stretch",
        )
    st.markdown("Referatet skrives ud fra noterne under »Samtale & referat« → Referat.")


@guarded
def save_note(runner: Runner, scope: Scope, username: str, school: str, item: dict, widget_key: str) -> None:
    """on_change of the notes field: save at once, refusing to overwrite a newer note."""
    try:
        runner.write(
            "save_note",
            scope,
            username,
            [
                {
                    "school": school,
                    "item_id": item["item_id"],
                    "body": st.session_state[widget_key],
                    "base_version": item["note_version"],
                    "username": username,
                }
            ],
        )
        st.session_state["note_status"] = f"Gemt kl. {datetime.now():%H.%M.%S}"
    except ScopeError:
        st.session_state["note_status"] = "Ikke gemt: du har ikke adgang til at skrive noter for skolen."
    except QueryError as refusal:
        st.session_state["note_status"] = (
            f"Ikke gemt: {refusal}"
            if "for lang" in str(refusal)
            else "Ikke gemt: en anden har ændret noten imens. Kopier din tekst, og genindlæs punktet."
        )


@guarded
def notes(runner: Runner, scope: Scope, username: str, school: str, item: dict) -> None:
    with st.container(key="present_notes", border=True):
        if item["questions"]:
            st.markdown(f'<div class="present-questions">{plain.html(item["questions"])}</div>', unsafe_allow_html=True)
        # The saved note is the field's default, under a key with the note's version: a new version
        # is a new field. (Setting st.session_state before the field is lost when a run is interrupted
        # between the two, e.g. by the login cookie's rerun after a reload: the browser then showed an
        # empty field, and leaving it saved the empty text over the note.)
        widget = f"note_{item['item_id']}_v{item['note_version']}"
        st.text_area(
            "Noter til punktet (gemmes mens der skrives)",
            value=item["note"] or "",
            key=widget,
            height=260,
            on_change=save_note,
            args=(runner, scope, username, school, item, widget),
        )
        st.caption(st.session_state.get("note_status", "Noterne gemmes, hver gang feltet forlades."))
        st.caption(KEY_HELP)
