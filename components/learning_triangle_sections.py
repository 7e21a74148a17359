"""The learning triangle on the Årgang screen (seed 003, Ellehøjskolen): a pupil's level in six
competence areas of a subject, placed in a triangle of five nested bands from red in the middle
(challenges) to green at the edge (high level), three rounds a year. The current placement is drawn in
black, the previous round's faintly beside it; the pupil's triangles over the years stand side by side
with the round's two short texts. The team enters the placements; every save is audited.

The drawing is SVG built here; the letters and names are the school's own text and pass `plain.html`."""

from __future__ import annotations

import math

import pandas as pd
import polars as pl
import streamlit as st

from components import plain
from components.editing import data_editor
from components.screen import guarded
from components.session import audit_view
from components.year_group_sections import GRID_COLOURS
from queries import learning_triangle as triangle
from queries.runner import Runner, Scope

BANDS = 5


def _geometry(size: float) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """The centroid and the six spoke ends (three corners, three edge midpoints), clockwise from the top."""
    top, left, right = (size / 2, size * 0.06), (size * 0.04, size * 0.86), (size * 0.96, size * 0.86)
    centre = ((top[0] + left[0] + right[0]) / 3, (top[1] + left[1] + right[1]) / 3)

    def mid(a, b):
        return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)

    return centre, [top, mid(top, right), right, mid(right, left), left, mid(left, top)]


def _at(centre, end, level: float) -> tuple[float, float]:
    share = (level - 0.5) / BANDS
    return centre[0] + share * (end[0] - centre[0]), centre[1] + share * (end[1] - centre[1])


def triangle_svg(
    areas: list[dict], current: dict[int, int], previous: dict[int, int] | None = None, size: int = 340, title: str = ""
) -> str:
    """SVG of one triangle: `areas` (position, letter, name), the current and previous levels by position."""
    centre, ends = _geometry(size)
    corners = [ends[0], ends[2], ends[4]]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size * 0.92:.0f}" width="{size}" '
        f'role="img" aria-label="{plain.attr(title or "Læringstrekant")}">'
    ]
    for band in range(BANDS, 0, -1):  # outer (green) first, the red centre drawn last on top
        points = " ".join(
            f"{centre[0] + band / BANDS * (x - centre[0]):.1f},{centre[1] + band / BANDS * (y - centre[1]):.1f}"
            for x, y in corners
        )
        parts.append(f'<polygon points="{points}" fill="{GRID_COLOURS[band]}" stroke="#ffffff" stroke-width="1.5"/>')
    for end in ends:
        parts.append(
            f'<line x1="{centre[0]:.1f}" y1="{centre[1]:.1f}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" '
            'stroke="#ffffff" stroke-width="1" stroke-dasharray="3 3"/>'
        )
    radius = size * 0.043
    for area in areas:
        p = area["position"]
        letter = plain.html(area["letter"])
        end = ends[p - 1]
        before, now = (previous or {}).get(p), current.get(p)
        if before is not None:
            x, y = _at(centre, end, before)
            # Beside the spoke, so a letter that did not move still shows both.
            dx, dy = end[1] - centre[1], centre[0] - end[0]
            norm = math.hypot(dx, dy) or 1
            x, y = x + dx / norm * radius * 1.1, y + dy / norm * radius * 1.1
            parts.append(
                f'<g opacity="0.45"><circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#ffffff" '
                f'stroke="#1a1a1a" stroke-dasharray="2 2"/><text x="{x:.1f}" y="{y:.1f}" '
                f'text-anchor="middle" dominant-baseline="central" font-size="{radius * 1.2:.0f}" '
                f'fill="#1a1a1a">{letter}</text></g>'
            )
        if now is not None:
            x, y = _at(centre, end, now)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#ffffff" stroke="#1a1a1a" '
                f'stroke-width="2"/><text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" '
                f'dominant-baseline="central" font-size="{radius * 1.25:.0f}" font-weight="700" '
                f'fill="#1a1a1a">{letter}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _rounds(frame: pl.DataFrame) -> list[tuple[str, int]]:
    return frame.select("school_year", "round").unique().sort("school_year", "round").rows()


def _levels(frame: pl.DataFrame, school_year: str, round_: int) -> dict[int, int]:
    rows = frame.filter((pl.col("school_year") == school_year) & (pl.col("round") == round_))
    return dict(zip(rows["position"].to_list(), rows["level"].to_list(), strict=True))


def _legend(areas: list[dict]) -> str:
    return " · ".join(f"{plain.md(a['letter'])} = {plain.md(a['name'])}" for a in areas)


@guarded
def learning_triangle(
    runner: Runner, scope: Scope, username: str, school: str, year: str, grade: int, pupils: pl.DataFrame
) -> None:
    if pupils.is_empty():
        st.info("Ingen elever i årgangen i det valgte skoleår.")
        return
    stage = triangle.stage_of(grade)
    left, right = st.columns(2)
    subject = left.radio(
        "Fag", list(triangle.SUBJECTS), format_func=triangle.SUBJECTS.get, horizontal=True, key="triangle_subject"
    )
    options = pupils.to_dicts()
    pupil = right.selectbox(
        "Elev",
        options,
        format_func=lambda p: f"{p['pupil']} ({p['class_name']})",
        key="triangle_pupil",
        placeholder="Vælg en mulighed",
    )
    areas = runner.run("competence_areas", scope, school=school, subject=subject, stage=stage).to_dicts()
    audit_view("Årgang: læringstrekant", school, f"{grade}. årgang, {year}, {subject}, elev {pupil['student_key']}")
    placed = runner.run(
        "triangle_placements",
        scope,
        school=school,
        school_year=year,
        grade=grade,
        student_key=pupil["student_key"],
        subject=subject,
    )
    rounds = _rounds(placed)
    if rounds:
        shown = rounds[-4:]
        columns = st.columns(len(shown))
        for i, (column, (school_year, round_)) in enumerate(zip(columns, shown, strict=True)):
            earlier = rounds[rounds.index((school_year, round_)) - 1] if rounds.index((school_year, round_)) else None
            row = placed.filter((pl.col("school_year") == school_year) & (pl.col("round") == round_)).row(0, named=True)
            label = f"{triangle.ROUNDS[round_]} {school_year} ({row['grade']}. kl.)"
            with column:
                st.markdown(f"**{plain.md(label)}**" + (" · nyeste" if i == len(shown) - 1 else ""))
                st.markdown(
                    triangle_svg(
                        areas,
                        _levels(placed, school_year, round_),
                        _levels(placed, *earlier) if earlier else None,
                        size=340 if len(shown) < 3 else 260,
                        title=label,
                    ),
                    unsafe_allow_html=True,
                )
                if row["progress"]:
                    st.markdown("**Størst udvikling:** " + plain.md_lines(row["progress"]))
                if row["next_focus"]:
                    st.markdown("**Næste fokus:** " + plain.md_lines(row["next_focus"]))
        st.caption(
            f"{_legend(areas)}. Sort bogstav = placeringen i runden, lyst stiplet = runden før. Midten (rød) "
            "= faglige udfordringer, kanten (grøn) = højt kompetenceniveau; båndene er 1–5. Kilde: teamets "
            f"placeringer · {triangle.STAGES[stage].lower()}."
        )
    else:
        st.info("Eleven er endnu ikke placeret i en læringstrekant i faget.")
    if runner.may_write("upsert_triangle_placement", scope):
        _editor(runner, scope, username, school, year, grade, pupil, subject, areas, placed)
        _area_editor(runner, scope, username, school, subject, stage, areas)


def _editor(runner, scope, username, school, year, grade, pupil, subject, areas, placed) -> None:
    with st.expander("Placér eleven i denne runde", expanded=False):
        round_ = st.radio(
            "Runde", list(triangle.ROUNDS), format_func=triangle.ROUNDS.get, horizontal=True, key="triangle_round"
        )
        now = _levels(placed, year, round_)
        texts = placed.filter((pl.col("school_year") == year) & (pl.col("round") == round_))
        key = f"{school}_{year}_{grade}_{pupil['student_key']}_{subject}_{round_}"
        with st.form(f"triangle_form_{key}"):
            levels = {}
            columns = st.columns(3)
            for i, area in enumerate(areas):
                levels[area["position"]] = columns[i % 3].select_slider(
                    f"{area['letter']}: {area['name']}",
                    options=list(triangle.LEVELS),
                    value=now.get(area["position"], 3),
                    format_func=triangle.LEVELS.get,
                    key=f"triangle_level_{key}_{area['position']}",
                )
            progress = st.text_area(
                "Størst udvikling (kort)",
                value=texts["progress"][0] if texts.height else "",
                max_chars=triangle.TEXT_CHARS,
                key=f"triangle_progress_{key}",
            )
            focus = st.text_area(
                "Næste fokus: hvad eleven selv gør, og hvad skole og forældre hjælper med",
                value=texts["next_focus"][0] if texts.height else "",
                max_chars=triangle.TEXT_CHARS,
                key=f"triangle_focus_{key}",
            )
            if st.form_submit_button("Gem placeringen", type="primary"):
                errors = triangle.save_triangle(
                    runner,
                    scope,
                    username,
                    school,
                    year,
                    grade,
                    pupil["student_key"],
                    subject,
                    round_,
                    levels,
                    progress,
                    focus,
                )
                if errors:
                    st.error("Intet er gemt. Ret først:\n\n" + plain.bullets(errors))
                else:
                    st.success("Placeringen er gemt med dit navn og tidspunkt.")


def _area_editor(runner, scope, username, school, subject, stage, areas) -> None:
    with st.expander(
        f"Skolens kompetenceområder: {triangle.SUBJECTS[subject].lower()}, {triangle.STAGES[stage].lower()}",
        expanded=False,
    ):
        original = pd.DataFrame(
            [{"position": a["position"], "Bogstav": a["letter"], "Område": a["name"]} for a in areas]
        )
        edited = data_editor(
            original,
            hide_index=True,
            disabled=["position"],
            num_rows="fixed",
            key=f"triangle_areas_{school}_{subject}_{stage}",
            column_config={"position": st.column_config.NumberColumn("Nr.")},
        )
        if st.button("Gem områderne", key=f"triangle_areas_save_{subject}_{stage}"):
            rows = [
                {"position": int(r["position"]), "letter": r["Bogstav"], "name": r["Område"]}
                for r in edited.to_dict("records")
            ]
            errors = triangle.save_areas(runner, scope, username, school, subject, stage, rows)
            if errors:
                st.error("Intet er gemt. Ret først:\n\n" + plain.bullets(errors))
            else:
                st.success("Områderne er gemt for skolen.")
