"""The item matrix on the Årgang screen (seed 003, Ullerup Bæk Skole): one of the team's own tests,
pupils × tasks grouped by subject area and signal word, each cell coloured red/yellow/green by the
share of the task's maximum with the points always printed; the year group's profile per signal word
and per area in every test of the year (share of the maximum, with n); one pupil's development across
tests. Pupil level: the queries are refused for the kommune role, and a team sees its own grades only.

The table is HTML so the header can group tasks under their area (as the spreadsheet's merged cells
do); every text in it comes from an import and goes through `plain.html`."""

from __future__ import annotations

import polars as pl
import streamlit as st

from components import plain
from components.formatting import danish_date, number
from components.screen import guarded
from components.session import audit_view
from queries.runner import Runner, Scope

# Red, yellow, green by share of the maximum. Their lightness rises with the level (dark red, mid
# yellow, light green) so the three stay apart in greyscale, and the number is always printed.
LEVELS = [
    (1 / 3, "lav", "#9B2226", "#ffffff"),
    (2 / 3, "middel", "#D9A21B", "#1a1a1a"),
    (1.01, "høj", "#DDF2D8", "#1a1a1a"),
]
LEGEND = (
    "Rød = under en tredjedel af maksimum, gul = en til to tredjedele, grøn = over to tredjedele. "
    "Tallet står altid i feltet, så farven ikke er eneste kilde."
)
DIMENSIONS = {"signal_word": "Signalord", "area": "Fagligt område", "total": "I alt"}
_CSS = """<style>
.item-matrix {border-collapse: collapse; font-size: 0.95rem; margin-bottom: 0.5rem}
.item-matrix th, .item-matrix td {border: 1px solid #8a8a8a; padding: 0.2rem 0.45rem; text-align: center}
.item-matrix th.row, .item-matrix td.row {text-align: left; white-space: nowrap}
.item-matrix td.cell {font-weight: 700; min-width: 2.4rem; white-space: nowrap}
.item-matrix tr.sum td {border-top: 3px solid #1a1a1a; font-style: italic}
.item-matrix-wrap {overflow-x: auto; max-height: 720px; overflow-y: auto}
</style>"""


def level(share: float | None) -> tuple[str, str, str] | None:
    """(word, background, text colour) for a share of the maximum; None for no value."""
    if share is None:
        return None
    for upper, word, background, text in LEVELS:
        if share < upper:
            return word, background, text
    return LEVELS[-1][1:]


def _cell(text: str, share: float | None, title: str = "") -> str:
    found = level(share)
    if found is None:
        return '<td class="cell">–</td>'
    word, background, colour = found
    label = plain.attr(f"{title} {text} ({word})".strip())
    return (
        f'<td class="cell" style="background:{background};color:{colour}" title="{label}" '
        f'aria-label="{label}">{plain.html(text)}</td>'
    )


def _points(value: float) -> str:
    return number(value, 0 if float(value).is_integer() else 1)


def _wrap(label: str, table: str) -> str:
    """A scrolling box the keyboard can reach (WCAG: a scrollable region is focusable) around a table."""
    return (
        f'{_CSS}<div class="item-matrix-wrap" tabindex="0" role="region" aria-label="{plain.attr(label)}">{table}</div>'
    )


def matrix_html(frame: pl.DataFrame) -> str:
    """The matrix of one test: header rows area (spanning its tasks), signal word, task number and
    maximum; a row per pupil; the class's share per task at the bottom."""
    tasks = (
        frame.select("task_order", "task_no", "area", "signal_word", "max_points", "max_given")
        .unique("task_order")
        .sort("task_order")
    )
    areas: list[tuple[str, int]] = []
    for area in tasks["area"]:
        if areas and areas[-1][0] == area:
            areas[-1] = (area, areas[-1][1] + 1)
        else:
            areas.append((area, 1))
    head = [
        '<tr><th class="row" colspan="2">Fagligt område</th>'
        + "".join(f'<th colspan="{span}">{plain.html(area)}</th>' for area, span in areas)
        + '<th rowspan="4">I alt</th></tr>',
        '<tr><th class="row" colspan="2">Signalord</th>'
        + "".join(f"<th>{plain.html(s)}</th>" for s in tasks["signal_word"])
        + "</tr>",
        '<tr><th class="row">Klasse</th><th class="row">Elev · opgave</th>'
        + "".join(f'<th class="task-no">{plain.html(t)}</th>' for t in tasks["task_no"])
        + "</tr>",
        '<tr><th class="row" colspan="2">Maks</th>'
        + "".join(
            f"<th>{_points(m)}{'' if g else '*'}</th>"
            for m, g in zip(tasks["max_points"], tasks["max_given"], strict=True)
        )
        + "</tr>",
    ]
    body = []
    order = tasks["task_order"].to_list()
    for _, rows in frame.sort("class_name", "pupil").group_by("student_key", maintain_order=True):
        by_task = {r["task_order"]: r for r in rows.iter_rows(named=True)}
        first = rows.row(0, named=True)
        cells = []
        for t in order:
            r = by_task.get(t)
            cells.append(
                _cell(_points(r["points"]), r["points"] / r["max_points"], f"Opgave {r['task_no']}:")
                if r
                else '<td class="cell">–</td>'
            )
        total = rows["points"].sum() / rows["max_points"].sum()
        body.append(
            f'<tr><td class="row">{plain.html(first["class_name"])}</td>'
            f'<td class="row">{plain.html(first["pupil"])}</td>{"".join(cells)}'
            f"{_cell(number(total * 100, 0) + ' %', total, 'I alt:')}</tr>"
        )
    share = frame.group_by("task_order").agg((pl.col("points").sum() / pl.col("max_points").sum()).alias("s"))
    shares = dict(zip(share["task_order"], share["s"], strict=True))
    total = frame["points"].sum() / frame["max_points"].sum()
    n = frame["student_key"].n_unique()
    body.append(
        f'<tr class="sum"><td class="row" colspan="2">Årgangen (andel af maks, n = {n})</td>'
        + "".join(_cell(number(shares[t] * 100, 0) + " %", shares[t], "Årgangen:") for t in order)
        + _cell(number(total * 100, 0) + " %", total, "Årgangen i alt:")
        + "</tr>"
    )
    return _wrap(
        "Opgavematrix: elever og opgaver",
        f'<table class="item-matrix"><thead>{"".join(head)}</thead><tbody>{"".join(body)}</tbody></table>',
    )


def profile_html(frame: pl.DataFrame, dimension: str) -> str:
    """Rows: the signal words (or areas); columns: the tests of the year, oldest first; each cell the
    share of the maximum with n pupils."""
    rows = frame.filter(pl.col("dimension") == dimension)
    tests = rows.select("taken_on", "test_name").unique().sort("taken_on", "test_name").rows()
    labels = sorted(rows["label"].unique().to_list())
    cells = {(r["label"], r["taken_on"], r["test_name"]): r for r in rows.iter_rows(named=True)}
    head = (
        f'<tr><th class="row">{DIMENSIONS[dimension]}</th>'
        + "".join(f"<th>{plain.html(name)}<br>{danish_date(taken)}</th>" for taken, name in tests)
        + "</tr>"
    )
    body = []
    for label in labels:
        tds = []
        for taken, name in tests:
            r = cells.get((label, taken, name))
            tds.append(
                _cell(f"{number(r['share'] * 100, 0)} % (n = {r['n']})", r["share"], label)
                if r
                else '<td class="cell">–</td>'
            )
        body.append(f'<tr><td class="row">{plain.html(label)}</td>{"".join(tds)}</tr>')
    return _wrap(
        f"Årgangens profil pr. {DIMENSIONS[dimension].lower()}",
        f'<table class="item-matrix"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>',
    )


def development_html(frame: pl.DataFrame) -> str:
    """One pupil: a row per test (oldest first), the share in all, per area and per signal word."""
    tests = frame.select("taken_on", "test_name", "grade").unique().sort("taken_on", "test_name").rows()
    columns = [("total", "I alt")] + [
        (d, label)
        for d in ("area", "signal_word")
        for label in sorted(frame.filter(pl.col("dimension") == d)["label"].unique())
    ]
    cells = {(r["dimension"], r["label"], r["taken_on"], r["test_name"]): r for r in frame.iter_rows(named=True)}
    head = '<tr><th class="row">Prøve</th>' + "".join(f"<th>{plain.html(label)}</th>" for _, label in columns) + "</tr>"
    body = []
    for taken, name, grade in tests:
        tds = []
        for d, label in columns:
            r = cells.get((d, label, taken, name))
            tds.append(_cell(f"{number(r['share'] * 100, 0)} %", r["share"], label) if r else '<td class="cell">–</td>')
        body.append(
            f'<tr><td class="row">{plain.html(name)} ({danish_date(taken)}, {grade}. kl.)</td>{"".join(tds)}</tr>'
        )
    return _wrap(
        "Elevens udvikling", f'<table class="item-matrix"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
    )


def _test_label(row: dict) -> str:
    return f"{row['test_name']} ({danish_date(row['taken_on'])})"


@guarded
def item_matrix(runner: Runner, scope: Scope, school: str, year: str, grade: int) -> None:
    tests = runner.run("team_test_list", scope, school=school, school_year=year, grade=grade)
    if tests.is_empty():
        st.info(
            "Der er ingen af teamets egne prøver for årgangen i det valgte skoleår. De importeres på skærmen "
            "Data (kilden »Teamets egne prøver«) fra teamets regneark."
        )
        return
    options = tests.to_dicts()
    chosen = st.selectbox(
        "Prøve",
        options,
        index=len(options) - 1,
        format_func=_test_label,
        key="item_matrix_test",
        placeholder="Vælg en mulighed",
    )
    frame = runner.run(
        "team_test_matrix",
        scope,
        school=school,
        school_year=year,
        grade=grade,
        test_name=chosen["test_name"],
        taken_on=chosen["taken_on"],
    )
    if frame.is_empty():
        st.info("Prøven har ingen elever i årgangen.")
        return
    st.markdown(matrix_html(frame), unsafe_allow_html=True)
    inferred = "" if frame["max_given"].all() else " * = maksimum ikke angivet: det højeste point, en elev fik."
    st.caption(
        f"{LEGEND}{inferred} Kilde: teamets egne prøver (import) · {plain.md(_test_label(chosen))} · "
        f"n = {frame['student_key'].n_unique()} elever."
    )

    st.subheader("Årgangens profil i årets prøver")
    profile = runner.run("team_test_profile", scope, school=school, school_year=year, grade=grade)
    left, right = st.columns(2)
    with left:
        st.markdown(profile_html(profile, "signal_word"), unsafe_allow_html=True)
    with right:
        st.markdown(profile_html(profile, "area"), unsafe_allow_html=True)
        st.markdown(profile_html(profile, "total"), unsafe_allow_html=True)
    st.caption(
        "Andel af maksimum: elevernes point lagt sammen over opgaverne med signalordet (området), delt "
        "med deres maksimum lagt sammen; n = antal elever, der tog prøven. " + LEGEND
    )

    st.subheader("En elevs udvikling")
    pupils = frame.select("student_key", "pupil", "class_name").unique().sort("class_name", "pupil").to_dicts()
    pupil = st.selectbox(
        "Elev",
        pupils,
        format_func=lambda p: f"{p['pupil']} ({p['class_name']})",
        key="item_matrix_pupil",
        placeholder="Vælg en mulighed",
    )
    audit_view(
        "Årgang: elevens udvikling i teamets prøver", school, f"{grade}. årgang, {year}, elev {pupil['student_key']}"
    )
    development = runner.run(
        "team_test_development", scope, school=school, school_year=year, grade=grade, student_key=pupil["student_key"]
    )
    if development.is_empty():
        st.info("Eleven har ingen af teamets prøver.")
        return
    st.markdown(development_html(development), unsafe_allow_html=True)
    st.caption(
        "Elevens andel af maksimum i hver af teamets prøver på skolen, i alt, pr. fagligt område og pr. "
        "signalord. " + LEGEND
    )
