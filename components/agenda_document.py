"""The agenda as the invitation sent before the talk (after the municipal examples in seed 004,
Stevns and Aalborg): date, time and place, the participants, the agenda with time slots and the
discussion questions of each item, and last year's agreements with their status.

It holds no notes and no figures, only what is written on the agenda; it is still addressed to
the participants, not to the website. User text stays text: the renderers escape it."""

from __future__ import annotations

import polars as pl

from components.documents import Block, Meta
from components.formatting import danish_date
from queries import talks
from queries.runner import Runner, Scope

AGENDA_HEADER = ["Tid", "Punkt"]
AGREEMENT_HEADER = ["Aftale", "Ansvarlig", "Frist", "Status"]
FOLLOW_UP_INTRO = "Sidste års aftaler og deres status:"
CLOSING = "Vi ser frem til en god samtale!"


def _time(value) -> str:
    return str(value)[:5].replace(":", ".") if value is not None else ""


def _question_lines(text: str | None, known: set[str]) -> list[str]:
    """An item's questions, one per line, without the agreements the follow-up table shows."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [
        line[2:].strip() if line.startswith("- ") else line
        for line in lines
        if line not in known and line != FOLLOW_UP_INTRO
    ]


def title(school: dict, talk: dict) -> str:
    return f"Dagsorden for skoleudviklingssamtalen {talk['school_year']}, {school['name']}"


def agenda_document(runner: Runner, scope: Scope, school: dict, talk: dict) -> list[Block]:
    where = {"school": school["institution_no"], "talk_id": talk["talk_id"]}
    items = runner.run("talk_agenda", scope, **where)
    people = runner.run("talk_participants", scope, **where)
    previous = talks.previous_talk(runner, scope, school["institution_no"], talk["school_year"])
    last = (
        runner.run("talk_agreements", scope, school=school["institution_no"], talk_id=previous["talk_id"])
        if previous
        else None
    )
    known = set(talks.follow_up_text(last).splitlines()) if last is not None else set()

    when = danish_date(talk["talk_date"])
    if len(items):
        when += f" kl. {_time(items['starts_at'].min())}–{_time(items['ends_at'].max())}"
    blocks = [
        Block("heading", title(school, talk), level=1),
        Block("paragraph", f"Hermed indkaldes til skoleudviklingssamtalen for skoleåret {talk['school_year']}."),
        Block("paragraph", f"Tid: {when}"),
        Block("paragraph", f"Sted: {talk['place'] or '–'}"),
    ]
    blocks.append(Block("heading", "Deltagere", level=2))
    if len(people):
        blocks += [
            Block("bullet", f"{p['name']} ({talks.ROLES.get(p['role'], p['role'])})")
            for p in people.iter_rows(named=True)
        ]
    else:
        blocks.append(Block("paragraph", "Deltagerne er ikke skrevet på endnu."))

    blocks.append(Block("heading", "Dagsorden", level=2))
    rows = [[f"{_time(i['starts_at'])}–{_time(i['ends_at'])}", i["title"]] for i in items.iter_rows(named=True)]
    if rows:
        blocks.append(Block("table", rows=[AGENDA_HEADER, *rows]))
    for number, item in enumerate(items.filter(pl.col("kind") != "pause").iter_rows(named=True), start=1):
        blocks.append(
            Block(
                "heading", f"{number}. {item['title']} ({_time(item['starts_at'])}–{_time(item['ends_at'])})", level=3
            )
        )
        questions = _question_lines(item["questions"], known)
        if item["kind"] == "opfølgning" and last is not None:
            blocks.append(Block("paragraph", "Opfølgning på sidste års aftaler og evalueringen af dem (se nedenfor)."))
        blocks += [Block("bullet", q) for q in questions]

    blocks.append(Block("heading", "Opfølgning: sidste års aftaler", level=2))
    if last is None:
        blocks.append(Block("paragraph", "Der er ingen tidligere samtale at følge op på."))
    elif last.is_empty():
        blocks.append(Block("paragraph", f"Samtalen {danish_date(previous['talk_date'])} endte uden aftaler."))
    else:
        blocks.append(Block("paragraph", f"Aftaler fra samtalen {danish_date(previous['talk_date'])}:"))
        blocks.append(
            Block(
                "table",
                rows=[
                    AGREEMENT_HEADER,
                    *[
                        [a["text"], a["owner"], danish_date(a["deadline"]) if a["deadline"] else "–", a["status"]]
                        for a in last.iter_rows(named=True)
                    ],
                ],
            )
        )
    blocks.append(Block("paragraph", CLOSING))
    return blocks


def meta(school: dict, talk: dict) -> Meta:
    return Meta(
        title=title(school, talk),
        school=school["name"],
        date=danish_date(talk["talk_date"]),
        subject="Dagsorden for skoleudviklingssamtalen",
    )
