"""The audit log's details as Revisionsspor shows them. A write records its parameters as JSON
(queries/runner._audit_detail: the row's values, a note's text only by its length); the data owner
reads them as "felt: værdi · …" with Danish names and Danish dates, numbers and yes/no. Other details
(a view, an export) are Danish text already and are shown as written."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from components.formatting import date_text, number, parse_date
from data.validation import PARTICIPATION_INDICATORS
from queries import indicators

# Every parameter a write query records ($name in a `-- level: write` .sql file; tests/test_audit_details.py
# fails when one is missing here).
LABELS = {
    "agreement_id": "aftale",
    "area": "område",
    "base_version": "version før",
    "blocks": "afsnit",
    "body": "tekst",
    "body_internal": "intern tekst",
    "body_public": "offentlig tekst",
    "carried_from": "videreført fra",
    "company_partner": "virksomhed",
    "competences": "kompetencer",
    "course_id": "forløb",
    "criterion_id": "kriterie",
    "deadline": "frist",
    "description": "beskrivelse",
    "description_shared": "beskrivelse delt",
    "done": "udført",
    "due_date": "frist",
    "effort_id": "indsats",
    "end_date": "slut",
    "ends_at": "til",
    "ends_on": "slut",
    "evaluation_done": "evalueret",
    "event_id": "begivenhed",
    "evidence": "dokumentation",
    "expires": "udløber",
    "grade": "årgang",
    "indicator": "indikator",
    "indicators": "indikatorer",
    "item_id": "punkt",
    "kind": "type",
    "letter": "bogstav",
    "level": "niveau",
    "mandatory": "obligatorisk",
    "name": "navn",
    "owner": "ansvarlig",
    "place": "sted",
    "position": "nr.",
    "pupil_involvement": "elevinddragelse",
    "questions": "spørgsmål",
    "role": "rolle",
    "round": "runde",
    "school": "skole",
    "school_year": "skoleår",
    "score": "vurdering",
    "screen": "skærm",
    "stage": "trin",
    "start_date": "start",
    "starts_at": "fra",
    "starts_on": "start",
    "status": "status",
    "student_key": "elev (nøgle)",
    "subject": "fag",
    "subjects": "fag",
    "talk_date": "dato",
    "talk_id": "samtale",
    "target": "mål",
    "template": "skabelon",
    "term": "termin",
    "text": "tekst",
    "title": "titel",
    "username": "bruger",
    "version": "version",
    "weeks": "uger",
    "year_group": "årgang",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EPOCH_KEYS = {"expires"}  # seconds since 1970 (a login's end)


def _indicator(key: str) -> str:
    if key in indicators.BY_KEY:
        return indicators.label(key)
    return PARTICIPATION_INDICATORS.get(key, (key,))[0]


def _value(key: str, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(_value(key, v) for v in value) or "–"
    if key in _EPOCH_KEYS and isinstance(value, int | float):
        return f"{datetime.fromtimestamp(value):%d.%m.%Y kl. %H.%M}"
    if key in ("indicator", "indicators") and isinstance(value, str):
        return _indicator(value)
    if isinstance(value, float):  # 17.5 -> "17,5", 20.0 -> "20"
        return number(value, 0) if value == int(value) else number(value, 2).rstrip("0")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value[:10]) and len(value) in (10, 19, 26):
        return date_text(date.fromisoformat(value[:10])) + (
            f" kl. {value[11:16].replace(':', '.')}" if len(value) > 10 else ""
        )
    return str(value)


def readable(detail: str | None) -> str:
    """The detail as the data owner reads it (see the module's docstring)."""
    if not detail:
        return ""
    try:
        values = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(values, dict):
        return detail
    return " · ".join(f"{LABELS.get(k, k.replace('_', ' '))}: {_value(k, v)}" for k, v in values.items())


def search_terms(text: str) -> list[str]:
    """What to look for in the stored entries when the data owner searches for `text` among what the
    screen shows: the text itself, and what the store holds for a field name, an indicator's name or a
    Danish date the text is part of ("udløber" → "expires", "14.08.2025" → "2025-08-14"). Empty: []."""
    text = text.strip()
    if not text:
        return []
    wanted = text.casefold()
    terms = [text]
    terms += [f'"{key}"' for key, label in LABELS.items() if wanted in label.casefold()]
    names = {key: indicators.label(key) for key in indicators.BY_KEY} | {
        key: spec[0] for key, spec in PARTICIPATION_INDICATORS.items()
    }
    terms += [f'"{key}"' for key, name in names.items() if wanted in name.casefold()]
    try:
        typed = parse_date(text)
    except ValueError:
        typed = None
    if typed is not None:
        terms.append(typed.isoformat())
    return list(dict.fromkeys(terms))
