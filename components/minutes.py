"""The minutes' first draft, assembled from the talk's agenda, notes and agreements and the
school's key figures. National-test figures go inside confidential markers (see queries.talks)."""
from __future__ import annotations

from datetime import date

import polars as pl

from components.formatting import danish_date, format_value
from queries.key_figures import KeyFigure, key_figures
from queries.runner import Runner, Scope
from queries.talks import CONFIDENTIAL_END, CONFIDENTIAL_START, ROLES


def _figure_line(f: KeyFigure) -> str:
    value = format_value(f.value, f.unit) if f.value is not None else (f.reason or "–")
    municipality = format_value(f.municipality.value, f.unit) if f.municipality.value is not None else "–"
    country = format_value(f.country.value, f.unit) if f.country.value is not None else "–"
    return f"| {f.label} | {value} | {municipality} | {country} |"


def key_figure_table(figures: list[KeyFigure]) -> str:
    """Key figures as a Markdown table; national-test rows inside a confidential block."""
    header = "| Nøgletal | Skolen | Kommunen | Landet |\n|---|---|---|---|"
    public = [f for f in figures if not f.key.startswith("test_")]
    confidential = [f for f in figures if f.key.startswith("test_") and f.value is not None]
    text = header + "\n" + "\n".join(_figure_line(f) for f in public)
    if confidential:
        text += (f"\n\n{CONFIDENTIAL_START}\n**Nationale test (fortroligt):**\n\n{header}\n"
                 + "\n".join(_figure_line(f) for f in confidential) + f"\n{CONFIDENTIAL_END}")
    return text


def minutes_draft(runner: Runner, scope: Scope, school: dict, talk: dict, style: str = "notat",
                  as_of: date | None = None) -> str:
    """A first draft of the minutes from the agenda, the notes and the agreements."""
    agenda = runner.run("talk_agenda", scope, school=school["institution_no"], talk_id=talk["talk_id"])
    participants = runner.run("talk_participants", scope, school=school["institution_no"], talk_id=talk["talk_id"])
    agreements = runner.run("talk_agreements", scope, school=school["institution_no"], talk_id=talk["talk_id"])
    figures = key_figures(runner, scope, school["institution_no"], talk["school_year"], as_of=as_of)
    lines = [f"# Referat af skoleudviklingssamtalen, {school['name']}",
             f"Dato: {danish_date(talk['talk_date'])} · Sted: {talk['place'] or '–'} · "
             f"Skoleår: {talk['school_year']}", ""]
    if len(participants):
        lines += ["## Deltagere", *[f"- {p['name']} ({ROLES.get(p['role'], p['role'])})"
                                    for p in participants.iter_rows(named=True)], ""]
    if style == "tre-kolonner":
        lines += ["## Aftaler for det kommende år", "| Fokusområde | Situation | Handlinger |", "|---|---|---|"]
        for item in agenda.filter(pl.col("kind").is_in(["skolens fokus", "kommunens tema", "test"])).iter_rows(
                named=True):
            actions = "; ".join(a["text"] for a in agreements.iter_rows(named=True)) or "–"
            lines.append(f"| {item['title']} | {(item['note'] or '–').replace(chr(10), ' ')} | {actions} |")
        lines += ["", "## Nøgletal", key_figure_table(figures)]
        return "\n".join(lines) + "\n"
    lines += ["## Formål",
              "At skabe en ramme for en tillidsfuld og faglig dialog om skolens udvikling mellem "
              "kommunalbestyrelse, forvaltning og skole.", "",
              "## Materiale", f"Datablik-nøgletal for {talk['school_year']} (se nedenfor).", "",
              "## Nøgletal", key_figure_table(figures), "![Generel trivsel over årene](figur-trivsel.png)", ""]
    for item in agenda.filter(pl.col("kind") != "pause").iter_rows(named=True):
        lines.append(f"## {item['title']}")
        if item["kind"] == "opfølgning" and item["questions"]:
            lines.append(item["questions"])
        body = item["note"] or "(ingen noter)"
        if item["kind"] == "test":
            body = f"{CONFIDENTIAL_START}\n{body}\n{CONFIDENTIAL_END}"
        lines += [body, ""]
    lines += ["## Aftaler for det kommende år", "| Aftale | Ansvarlig | Frist | Status |", "|---|---|---|---|"]
    lines += [f"| {a['text']} | {a['owner']} | {danish_date(a['deadline']) if a['deadline'] else '–'} | "
              f"{a['status']} |" for a in agreements.iter_rows(named=True)]
    return "\n".join(lines) + "\n"


REFLECTION_QUESTIONS = [
    "Hvad får I øje på i data?",
    "Hvad er I stolte af, og hvad vil I gerne blive bedre til?",
    "Hvilke elever lykkes det ikke for, og hvad ved I om hvorfor?",
    "Hvordan er det gået med sidste års aftaler?",
    "Hvad skal samtalen handle om, set fra skolen?",
]


def data_package(runner: Runner, scope: Scope, school: dict, school_year: str, as_of: date | None = None) -> str:
    """The administration's package for the school before the talk (internal only: it holds the
    confidential national-test results)."""
    figures = key_figures(runner, scope, school["institution_no"], school_year, as_of=as_of)
    sources = sorted({f"{f.source} ({f.measured})" for f in figures})
    return "\n".join([
        f"# Datapakke til skoleudviklingssamtalen: {school['name']}, {school_year}",
        "Intern: indeholder fortrolige resultater fra de nationale test (folkeskoleloven § 55 b).", "",
        "## Nøgletal", key_figure_table(figures).replace(CONFIDENTIAL_START, "").replace(CONFIDENTIAL_END, ""),
        "![Generel trivsel over årene](figur-trivsel.png)", "",
        "## Kilder", *[f"- {s}" for s in sources], "",
        "## Refleksionsspørgsmål", *[f"- {q}" for q in REFLECTION_QUESTIONS],
    ]) + "\n"
