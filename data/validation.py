"""Checks on what users type in before anything is written. Each returns a list of Danish
messages; an empty list means the input may be saved."""

from __future__ import annotations

import numbers
from datetime import date

PARTICIPATION_INDICATORS = {
    # key: (label, unit, lowest, highest, higher is better)
    "absence_over10": ("Elever med over 10 % fravær", "pct", 0.0, 100.0, False),
    "low_social": ("Elever med lav social trivsel", "pct", 0.0, 100.0, False),
    "stoette": ("Støtte og inspiration", "score", 1.0, 5.0, True),
    "general_class": ("Elever i almenklasser", "pct", 0.0, 100.0, True),
    "reduced_timetable": ("Elever på nedsat skema", "pct", 0.0, 100.0, False),
}


# The six deeper-learning competences of the LEAPS programme (DATA-SOURCES.md section 6).
LEAPS_COMPETENCES = [
    "kritisk tænkning og problemløsning",
    "mestring af fagligt indhold",
    "samarbejde",
    "effektiv kommunikation",
    "selvstyret læring",
    "akademisk mindset",
]


def validate_target(indicator: str, target: float | None) -> list[str]:
    if indicator not in PARTICIPATION_INDICATORS:
        return [f"Ukendt indikator: {indicator}."]
    label, unit, low, high, _ = PARTICIPATION_INDICATORS[indicator]
    if target is None:
        return [f"{label}: skriv et mål."]
    if not low <= target <= high:
        scale = "procent (0–100)" if unit == "pct" else "point på skalaen 1–5"
        return [f"{label}: målet skal være mellem {low:g} og {high:g} {scale}."]
    return []


def validate_course(row: dict, subjects: set[str], competences: set[str]) -> list[str]:
    """A LEAPS course as edited in the app."""
    name = (row.get("title") or "").strip() or "(uden titel)"
    errors = []
    if not (row.get("title") or "").strip():
        errors.append("Forløbet skal have en titel.")
    if "year_group" in row and row["year_group"] is None:
        errors.append(f"{name}: vælg årgangen.")
    start, end = row.get("start_date"), row.get("end_date")
    if not isinstance(start, date) or not isinstance(end, date):
        errors.append(f"{name}: start- og slutdato skal udfyldes.")
    elif end < start:
        errors.append(f"{name}: forløbet slutter ({end:%d.%m.%Y}) før det starter ({start:%d.%m.%Y}).")
    weeks = row.get("weeks")
    if weeks is None or not 1 <= int(weeks) <= 20:
        errors.append(f"{name}: antal uger skal være mellem 1 og 20.")
    chosen = list(row.get("subjects") or [])
    if not chosen:
        errors.append(f"{name}: vælg mindst ét fag.")
    unknown = [s for s in chosen if s not in subjects]
    if unknown:
        errors.append(f"{name}: ukendt fag: {', '.join(unknown)}. Kendte fag: {', '.join(sorted(subjects))}.")
    unknown = [c for c in row.get("competences") or [] if c not in competences]
    if unknown:
        errors.append(f"{name}: ukendt kompetence: {', '.join(unknown)}.")
    grade = row.get("year_group")
    if grade is None or not 0 <= int(grade) <= 10:
        errors.append(f"{name}: årgangen skal være mellem 0 og 10.")
    return errors


def validate_milestone(row: dict) -> list[str]:
    errors = []
    if row.get("done") and not (row.get("evidence") or "").strip():
        errors.append(f"»{row.get('text', '')}«: skriv dokumentation (tekst eller link), når milepælen er nået.")
    if row.get("due_date") is not None and not isinstance(row.get("due_date"), date):
        errors.append(f"»{row.get('text', '')}«: datoen er ugyldig.")
    return errors


ASSESSMENT_AREAS = {"dansk": "Dansk", "matematik": "Matematik", "social_trivsel": "Social trivsel"}
TERMS = ("efterår", "forår")


def validate_assessment(row: dict) -> list[str]:
    who = row.get("pupil") or row.get("student_key") or "eleven"
    area = ASSESSMENT_AREAS.get(row.get("area"))
    if area is None:
        return [f"{who}: ukendt område {row.get('area')!r}."]
    if row.get("term") not in TERMS:
        return [f"{who}: ukendt termin {row.get('term')!r} (efterår eller forår)."]
    score = row.get("score")
    valid = isinstance(score, numbers.Real) and not isinstance(score, bool) and float(score).is_integer()
    if not valid or not 1 <= float(score) <= 5:
        return [f"{who}, {area}: vurderingen skal være et helt tal fra 1 til 5 (ikke {score!r})."]
    return []
