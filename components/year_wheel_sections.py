"""The yearly wheel (seed 003, Munkevængets Skole): the school year's data points from what the store
knows (the well-being survey's window, the national tests, the exam period, the SUS, LEAPS courses,
imports, and for the school's own people the assessment and triangle rounds and the team's tests) plus
the school's own events, as a wheel from August round to July and as a calendar list. On the Årgang
screen (the year group's grade) and the Samtale screen (the whole school).

The wheel is SVG built here; titles come from the store and the school and pass `plain.html`."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import streamlit as st

from components import plain, tables
from components.formatting import DATE_PLACEHOLDER, danish_date, date_text, parse_date
from components.screen import guarded
from queries import year_wheel as wheel_edits
from queries.runner import Runner, Scope, load_query

MONTHS = ["aug", "sep", "okt", "nov", "dec", "jan", "feb", "mar", "apr", "maj", "jun", "jul"]
# Rings from the inside out, each with a colour of the Okabe-Ito set (apart for colour-blind readers);
# every arc also carries its number, so the colour is never the only key.
RINGS = [
    ("Målinger og prøver", ("måling", "test"), "#0072B2"),
    ("Samtaler, forløb og import", ("samtale", "forløb", "import"), "#E69F00"),
    ("Teamets data", ("vurdering", "teamprøve"), "#009E73"),
    ("Skolens egne", ("egen",), "#CC79A7"),
]
RING_OF = {kind: i for i, (_, kinds, _) in enumerate(RINGS) for kind in kinds}


def events(runner: Runner, scope: Scope, school: str, school_year: str, grade: int | None = None) -> pl.DataFrame:
    """One row per data point, the grades it concerns merged into one text; only `grade` (and whole-school
    points) when a grade is given. The team's own data points only for the roles that may see them."""
    frames = [runner.run("year_wheel", scope, school=school, school_year=school_year)]
    if scope.role in load_query("year_wheel_team").roles:
        frames.append(
            runner.run("year_wheel_team", scope, school=school, school_year=school_year).with_columns(
                pl.lit(None, pl.Int32).alias("event_id")
            )
        )
    frame = pl.concat(
        [f.with_columns(pl.col("grade").cast(pl.Int16), pl.col("event_id").cast(pl.Int64)) for f in frames],
        how="diagonal_relaxed",
    )
    if grade is not None:
        frame = frame.filter(pl.col("grade").is_null() | (pl.col("grade") == grade))
    return (
        frame.group_by("kind", "title", "starts_on", "ends_on", "source", "event_id", maintain_order=True)
        .agg(pl.col("grade").drop_nulls().unique().sort().alias("grades"))
        .with_columns(pl.col("grades").list.eval(pl.element().cast(pl.String) + ".").list.join(", ").alias("grades"))
        .sort("starts_on", "title")
        .with_row_index("number", offset=1)
    )


def _angle(day: date, year_start: date) -> float:
    """Degrees clockwise from the top (1 August)."""
    return ((day - year_start).days / 365.0) * 360.0


def _point(cx: float, cy: float, r: float, degrees: float) -> tuple[float, float]:
    rad = math.radians(degrees - 90)
    return cx + r * math.cos(rad), cy + r * math.sin(rad)


def _arc(cx, cy, r, start, end) -> str:
    x1, y1 = _point(cx, cy, r, start)
    x2, y2 = _point(cx, cy, r, end)
    large = 1 if end - start > 180 else 0
    return f"M {x1:.1f} {y1:.1f} A {r:.1f} {r:.1f} 0 {large} 1 {x2:.1f} {y2:.1f}"


def wheel_svg(
    frame: pl.DataFrame, year_start: date, today: date | None = None, size: int = 640, title: str = "Årshjul"
) -> str:
    cx = cy = size / 2
    inner, width = size * 0.17, size * 0.062
    outer = inner + width * len(RINGS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" role="img" '
        f'aria-label="{plain.attr(title)}">'
    ]
    for i, (_, _, colour) in enumerate(RINGS):  # faint ring backgrounds
        r = inner + width * (i + 0.5)
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="none" stroke="{colour}" stroke-opacity="0.12" '
            f'stroke-width="{width:.1f}"/>'
        )
    for m, name in enumerate(MONTHS):  # month spokes and names
        start = year_start.replace(year=year_start.year + (m + 7) // 12, month=(m + 7) % 12 + 1)
        a = _angle(start, year_start)
        x1, y1 = _point(cx, cy, inner * 0.95, a)
        x2, y2 = _point(cx, cy, outer + 6, a)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#8a8a8a" stroke-width="1"/>'
        )
        lx, ly = _point(cx, cy, outer + 24, a + 15)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" dominant-baseline="central" '
            f'font-size="{size * 0.028:.0f}" fill="#1a1a1a">{name}</text>'
        )
    placed: dict[int, list[float]] = {}
    for row in frame.iter_rows(named=True):
        ring = RING_OF.get(row["kind"], len(RINGS) - 1)
        r = inner + width * (ring + 0.5)
        start = _angle(row["starts_on"], year_start)
        end = max(_angle(row["ends_on"], year_start), start + 2.5)
        colour = RINGS[ring][2]
        parts.append(
            f'<path d="{_arc(cx, cy, r, start, end)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width * 0.7:.1f}" stroke-linecap="butt"/>'
        )
        middle = (start + end) / 2
        near = sum(1 for a in placed.setdefault(ring, []) if abs(a - middle) < 6)
        placed[ring].append(middle)
        # A number close to another in the same ring moves along the arc's side, so both stay readable.
        mx, my = _point(cx, cy, r, middle + (near * 5.5 if near else 0))
        parts.append(
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="{width * 0.3:.1f}" fill="#ffffff" stroke="#1a1a1a"/>'
            f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" dominant-baseline="central" '
            f'font-size="{width * 0.33:.0f}" font-weight="700" fill="#1a1a1a">{row["number"]}</text>'
        )
    if today is not None and 0 <= (today - year_start).days < 365:
        a = _angle(today, year_start)
        x1, y1 = _point(cx, cy, inner * 0.8, a)
        x2, y2 = _point(cx, cy, outer + 4, a)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#1a1a1a" stroke-width="2.5"/>'
        )
        parts.append(
            f'<text x="{cx}" y="{cy + 4}" text-anchor="middle" font-size="{size * 0.026:.0f}">i dag: '
            f"{danish_date(today)}</text>"
        )
    else:
        parts.append(
            f'<text x="{cx}" y="{cy + 4}" text-anchor="middle" font-size="{size * 0.03:.0f}">{plain.html(title)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def calendar(frame: pl.DataFrame) -> pl.DataFrame:
    """The wheel as a list to read (and for screen readers): number, when, what, grades, source."""
    when = [
        danish_date(s) if s == e else f"{danish_date(s)} – {danish_date(e)}"
        for s, e in zip(frame["starts_on"], frame["ends_on"], strict=True)
    ]
    ring = [RINGS[RING_OF.get(k, len(RINGS) - 1)][0] for k in frame["kind"]]
    return pl.DataFrame(
        {
            "Nr.": frame["number"],
            "Hvornår": when,
            "Hvad": frame["title"],
            "Ring": ring,
            "Klassetrin": frame["grades"].fill_null(""),
            "Kilde": frame["source"].fill_null(""),
        }
    )


def _legend() -> str:
    return " · ".join(
        f'<span style="display:inline-block;width:0.9rem;height:0.9rem;background:{c};'
        f'vertical-align:middle;margin-right:0.3rem"></span>{plain.html(name)} (ring {i + 1} indefra)'
        for i, (name, _, c) in enumerate(RINGS)
    )


@guarded
def year_wheel(
    runner: Runner,
    scope: Scope,
    username: str,
    school: str,
    school_year: str,
    grade: int | None = None,
    key: str = "wheel",
) -> None:
    known = runner.run("school_years", scope).filter(pl.col("school_year") == school_year)
    start = date(int(school_year[:4]), 8, 1)
    year_start, year_end = (
        (known["start_date"][0], known["end_date"][0]) if known.height else (start, date(start.year + 1, 7, 31))
    )
    frame = events(runner, scope, school, school_year, grade)
    left, right = st.columns([5, 4])
    with left:
        st.markdown(wheel_svg(frame, start, date.today(), title=f"Årshjul {school_year}"), unsafe_allow_html=True)
        st.markdown(f'<div style="font-size:0.9rem">{_legend()}</div>', unsafe_allow_html=True)
    with right:
        tables.dataframe(calendar(frame), hide_index=True, width="stretch", height=min(36 * (frame.height + 1), 640))
    st.caption(
        "Fra august øverst og med uret til juli. Kilder: trivselsmålingens faste vindue, testdatoerne i "
        "elevdata, prøveterminen, samtalen, LEAPS-forløbene, importerne"
        + (
            ", teamets vurderinger, læringstrekanter og prøver"
            if len(frame) and scope.role in load_query("year_wheel_team").roles
            else ""
        )
        + " og skolens egne begivenheder."
        + (f" Vist for {grade}. årgang og hele skolen." if grade is not None else "")
    )
    if runner.may_write("insert_school_event", scope):
        _events_editor(runner, scope, username, school, school_year, year_start, year_end, frame, key)


def _events_editor(runner, scope, username, school, school_year, year_start, year_end, frame, key) -> None:
    with st.expander("Skolens egne begivenheder i årshjulet", expanded=False):
        with st.form(f"{key}_add"):
            title = st.text_input("Begivenhed", max_chars=wheel_edits.TITLE_CHARS, key=f"{key}_title")
            a, b = st.columns(2)
            # Danish text fields (formatting.parse_date); the school year's bounds are checked on saving.
            starts = a.text_input(
                "Fra (dd.mm.åååå)", value=date_text(year_start), placeholder=DATE_PLACEHOLDER, key=f"{key}_from"
            )
            ends = b.text_input(
                "Til (dd.mm.åååå)", value=date_text(year_start), placeholder=DATE_PLACEHOLDER, key=f"{key}_to"
            )
            if st.form_submit_button("Tilføj"):
                errors, read = [], {}
                for label, typed in (("Fra", starts), ("Til", ends)):
                    try:
                        read[label] = parse_date(typed)
                    except ValueError as problem:
                        errors.append(f"{label}: {problem}")
                errors = errors or wheel_edits.add_event(
                    runner, scope, username, school, school_year, title, read["Fra"], read["Til"], year_start, year_end
                )
                if errors:
                    st.error("Intet er gemt. Ret først:\n\n" + plain.bullets(errors))
                else:
                    st.success("Begivenheden er tilføjet.")
                    st.rerun()
        own = frame.filter(pl.col("event_id").is_not_null()).to_dicts()
        if own:
            chosen = st.selectbox(
                "Fjern en begivenhed",
                own,
                key=f"{key}_remove",
                format_func=lambda e: f"{e['number']}. {e['title']} ({danish_date(e['starts_on'])})",
                placeholder="Vælg en mulighed",
            )
            if st.button("Fjern", key=f"{key}_remove_go"):
                errors = wheel_edits.remove_event(runner, scope, username, school, chosen["event_id"])
                if errors:
                    st.error(plain.bullets(errors))
                else:
                    st.rerun()
