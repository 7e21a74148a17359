"""The school development talk: prepare it from a template (with last year's agreements carried
over), check its formal requirements, and assemble its minutes.

The minutes themselves are sections with a visibility each (components.minutes): whatever comes
from a test-results item (`is_test_item`) is confidential (folkeskoleloven § 55 b) and never public.
"""

from __future__ import annotations

import tomllib
import uuid
from datetime import date
from functools import lru_cache

import polars as pl

from data.reference import REFERENCE_DIR, settings
from queries.runner import Runner, Scope

TEST_SCREEN = "faglighed"  # the screen with the national-test results
ROLES = {
    "skoleleder": "Skoleleder",
    "ledelse": "Ledelse",
    "forvaltning": "Forvaltning",
    "politisk udvalg": "Politisk udvalg",
    "skolebestyrelse": "Skolebestyrelsens forældrerepræsentant",
    "andre": "Andre",
}
OPEN_STATUSES = ("ikke startet", "i gang")
AGREEMENT_STATUSES = ["ikke startet", "i gang", "gennemført", "opgivet"]


@lru_cache(maxsize=1)
def templates() -> dict[str, dict]:
    with open(REFERENCE_DIR / "agenda_templates.toml", "rb") as f:
        return tomllib.load(f)


def previous_talk(runner: Runner, scope: Scope, school: str, school_year: str) -> dict | None:
    talks = runner.run("talks_for_school", scope, school=school)
    earlier = talks.filter(pl.col("school_year") < school_year)
    return earlier.row(0, named=True) if len(earlier) else None


def follow_up_text(agreements: pl.DataFrame) -> str:
    """The statutory follow-up: last year's agreements with their status."""
    if agreements.is_empty():
        return "Ingen aftaler fra sidste samtale."
    return "\n".join(f"- {a['text']} ({a['owner']}): {a['status']}" for a in agreements.iter_rows(named=True))


def create_talk(
    runner: Runner,
    scope: Scope,
    username: str,
    school: str,
    school_year: str,
    talk_date: date,
    place: str,
    template: str,
) -> str:
    """A planned talk with the template's agenda; the follow-up item lists last year's agreements
    and their status, and the open ones are carried into this talk."""
    talk_id = f"T-{school}-{school_year[:4]}-{uuid.uuid4().hex[:6]}"
    previous = previous_talk(runner, scope, school, school_year)
    last_agreements = (
        runner.run("talk_agreements", scope, school=school, talk_id=previous["talk_id"]) if previous else pl.DataFrame()
    )
    items = []
    for position, item in enumerate(templates()[template]["items"], start=1):
        questions = item.get("questions")
        if item["kind"] == "opfølgning":
            questions = "Sidste års aftaler og deres status:\n" + follow_up_text(last_agreements)
        items.append(
            {
                "school": school,
                "talk_id": talk_id,
                "position": position,
                "starts_at": item["start"],
                "ends_at": item["end"],
                "title": item["title"],
                "screen": item.get("screen"),
                "questions": questions,
                "kind": item["kind"],
            }
        )
    carried = (
        [
            {
                "school": school,
                "talk_id": talk_id,
                "agreement_id": f"{talk_id}-A{i + 1}",
                "text": a["text"],
                "owner": a["owner"],
                "deadline": a["deadline"],
                "status": a["status"],
                "carried_from": a["agreement_id"],
                "username": username,
            }
            for i, a in enumerate(last_agreements.filter(pl.col("status").is_in(OPEN_STATUSES)).iter_rows(named=True))
        ]
        if len(last_agreements)
        else []
    )
    runner.write_many(
        scope,
        username,
        [
            (
                "create_talk",
                [
                    {
                        "school": school,
                        "talk_id": talk_id,
                        "school_year": school_year,
                        "talk_date": talk_date,
                        "place": place,
                        "template": template,
                    }
                ],
            ),
            ("insert_agenda_item", items),
            ("upsert_agreement", carried),
        ],
    )
    return talk_id


def checklist(
    agenda: pl.DataFrame, participants: pl.DataFrame, agreements: pl.DataFrame, has_previous: bool
) -> list[tuple[str, bool, str]]:
    """The formal requirements of the talk (folkeskoleloven § 40 a): (requirement, met, how)."""
    kinds = set(agenda["kind"].to_list()) if len(agenda) else set()
    screens = set(agenda["screen"].drop_nulls().to_list()) if len(agenda) else set()
    roles = set(participants["role"].to_list()) if len(participants) else set()
    return [
        (
            "Resultaterne fra de obligatoriske test indgår",
            "test" in kinds or "faglighed" in screens,
            "et dagsordenspunkt om testresultater (skærmen Faglighed)",
        ),
        (
            "Opfølgning på tidligere samtaler",
            "opfølgning" in kinds or not has_previous,
            "punktet med sidste års aftaler" if has_previous else "første samtale: intet at følge op på",
        ),
        (
            "Status på handleplaner og aftaler",
            len(agreements) > 0 or not has_previous,
            "aftalerne har ejer, frist og status",
        ),
        ("Skolens egne fokusområder", "skolens fokus" in kinds, "et punkt af typen »skolens fokus«"),
        ("Kommunens temaer fra den strategiske ramme", "kommunens tema" in kinds, "et punkt af typen »kommunens tema«"),
        (
            "Skolebestyrelsens forældrerepræsentant er inviteret",
            "skolebestyrelse" in roles,
            "en deltager med rollen skolebestyrelse",
        ),
        ("Skolelederen deltager", "skoleleder" in roles, "en deltager med rollen skoleleder"),
    ]


def is_test_item(item: dict) -> bool:
    """An agenda item about test results: of kind "test", or showing the Faglighed screen (so an
    item whose kind was changed still counts)."""
    return item.get("kind") == "test" or item.get("screen") == TEST_SCREEN


def public_notice() -> str:
    return (
        "Denne offentlige udgave udelader resultater fra de nationale test, som er fortrolige "
        "(folkeskoleloven § 55 b), og tal for grupper med færre end "
        f"{settings()['suppression']['min_group_size']} elever."
    )
