"""A key-figure card: the school's figure large, municipality and country beside it, the change
since last year, and a source line. Colour only where a difference is larger than noise, and
then always with an arrow and words, never colour alone."""

from __future__ import annotations

import streamlit as st

from components import plain
from components.formatting import format_change, format_value, number
from components.palette import NEUTRAL, judgement_colour
from queries.key_figures import BASIS, Comparison, KeyFigure
from queries.runner import small_group
from queries.statistics import Test, Verdict, ministry_verdict, verdict


def _judgement(
    difference: float | None, test: Test | None, higher_is_better: bool, unit: str, judged: bool = True
) -> tuple[str, str]:
    """(css colour, text) for a difference, the colour from the statistics module's verdict on the
    decided test; a published one (judged=False) or one without a test is never coloured."""
    if difference is None:
        return NEUTRAL, "–"
    text = format_change(difference, unit).replace(" pct.-point", " pp").replace(" point", "")
    said = verdict(test, higher_is_better) if judged else Verdict.NOT_JUDGED
    if said is Verdict.NOT_JUDGED:  # the card's basis line says once that published figures carry no uncertainty
        return judgement_colour(said), text
    if said is Verdict.UNSURE:
        return judgement_colour(said), f"{text}, ikke sikker"
    arrow = "▲" if difference > 0 else "▼"
    return judgement_colour(said), f"{arrow} {text}, {said.value}"


def _row(label: str, value: str, colour: str, text: str, title: str = "") -> str:
    title_attr = f' title="{plain.attr(title)}"' if title else ""
    return (
        f'<tr{title_attr}><th scope="row">{plain.html(label)}</th><td class="kf-cmp-value">{value}</td>'
        f'<td class="kf-diff" style="color:{colour}">{plain.html(text)}</td></tr>'
    )


def _comparison(label: str, comp: Comparison, fig: KeyFigure) -> str:
    if comp.value is None:
        reason = comp.missing_reason or "ingen data"
        short = "ikke offentliggjort" if reason.startswith("landstal") else reason
        return _row(label, "–", NEUTRAL, short, reason)
    if fig.value is None:
        return _row(label, format_value(comp.value, fig.unit), NEUTRAL, "")
    colour, text = _judgement(comp.difference, comp.test, fig.higher_is_better, fig.unit, comp.judged)
    return _row(label, format_value(comp.value, fig.unit), colour, text, comp.source or "")


def _change(fig: KeyFigure, previous_year: str) -> str:
    if fig.change is None:
        return _row(f"I {previous_year}", "–", NEUTRAL, "ingen sammenligning")
    colour, text = _judgement(
        fig.change, fig.change_test, fig.higher_is_better, fig.unit, fig.basis != "offentliggjort"
    )
    if fig.unit == "count":  # counts of courses have no sampling noise to judge
        colour, text = NEUTRAL, format_change(fig.change, fig.unit)
    return _row(f"I {previous_year}", format_value(fig.previous_value, fig.unit), colour, text)


def _assessment_style(fig: KeyFigure) -> str:
    """The ministry's own assessment (socio-economic reference) in the ministry's words, coloured
    only where it says over or under, and never by colour alone (the words say it)."""
    said = ministry_verdict(fig.significance)
    if said not in (Verdict.BETTER, Verdict.WORSE):
        return ""
    return f' style="color:{judgement_colour(said)}; font-weight:700"'


def card_html(fig: KeyFigure, previous_year: str) -> str:
    if fig.value is None:
        main = f'<div class="kf-value kf-muted">{plain.html(fig.reason or "ingen data")}</div>'
    else:
        main = f'<div class="kf-value">{format_value(fig.value, fig.unit)}</div>'
        if fig.detail:
            main += f'<div class="kf-detail"{_assessment_style(fig)}>{plain.html(fig.detail)}</div>'
        main += f'<div class="kf-basis">{plain.html(BASIS.get(fig.basis, fig.basis))}</div>'
    if fig.suppressed:
        n_text = f"n = {small_group()}"
    else:
        n_text = f"n = {number(fig.n or 0, 0)} {fig.n_unit}"
    source = f"Kilde: {fig.source} · {fig.measured} · {n_text}"
    if fig.country.value is not None and fig.country.source and fig.country.source != fig.source:
        source += f" · Landstal: {fig.country.source}"
    return (
        f'<div class="kf-card" role="group" aria-label="{plain.attr(fig.label)}">'
        f'<div class="kf-label">{plain.html(fig.label)}</div>{main}'
        f'<table class="kf-table">{_comparison("Kommunen", fig.municipality, fig)}'
        f"{_comparison('Landet', fig.country, fig)}{_change(fig, previous_year)}</table>"
        f'<div class="kf-source">{plain.html(source)}</div></div>'
    )


def key_figure_grid(figures: list[KeyFigure], previous_year: str, columns: int = 3) -> None:
    for start in range(0, len(figures), columns):
        cols = st.columns(columns)
        for col, fig in zip(cols, figures[start : start + columns], strict=False):
            col.markdown(card_html(fig, previous_year), unsafe_allow_html=True)
