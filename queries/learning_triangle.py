"""The learning triangle (seed 003, Ellehøjskolen): validating and saving a pupil's placement in the six
competence areas of a subject, the round's two short texts, and a school's own names for the areas.
Every save is one transaction through `Runner.write_many`, scoped to the pupil's school and year group
and audited per row (the texts by their length only)."""

from __future__ import annotations

from queries.runner import QueryError, Runner, Scope

SUBJECTS = {"matematik": "Matematik", "dansk": "Dansk"}
STAGES = {"indskoling": "Indskoling (0.–3.)", "mellemtrin": "Mellemtrin (4.–6.)", "udskoling": "Udskoling (7.–9.)"}
ROUNDS = {1: "1. runde (efterår)", 2: "2. runde (vinter)", 3: "3. runde (forår)"}
LEVELS = {1: "1 rød: udfordringer", 2: "2", 3: "3", 4: "4", 5: "5 grøn: højt niveau"}
TEXT_CHARS = 600
POSITIONS = range(1, 7)


def stage_of(grade: int) -> str:
    return "indskoling" if grade <= 3 else "mellemtrin" if grade <= 6 else "udskoling"


def validate_triangle(
    subject: str, round_: int, levels: dict[int, int | None], progress: str, next_focus: str
) -> list[str]:
    errors = []
    if subject not in SUBJECTS:
        errors.append(f"Ukendt fag: {subject}.")
    if round_ not in ROUNDS:
        errors.append("Runden skal være 1, 2 eller 3.")
    if set(levels) - set(POSITIONS):
        errors.append("Der er seks kompetenceområder (1–6).")
    chosen = {p: v for p, v in levels.items() if v is not None}
    if not chosen:
        errors.append("Placér eleven i mindst ét kompetenceområde.")
    for position, value in sorted(chosen.items()):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors.append(f"Område {position}: placeringen skal være et helt tal fra 1 (rød) til 5 (grøn).")
    for label, text in (("Størst udvikling", progress), ("Næste fokus", next_focus)):
        if len(text or "") > TEXT_CHARS:
            errors.append(f"{label}: højst {TEXT_CHARS} tegn (teksten har {len(text)}); intet er gemt.")
    return errors


def save_triangle(
    runner: Runner,
    scope: Scope,
    username: str,
    school: str,
    school_year: str,
    grade: int,
    student_key: str,
    subject: str,
    round_: int,
    levels: dict[int, int | None],
    progress: str,
    next_focus: str,
) -> list[str]:
    """The placements and the two texts of one round, all or nothing. Returns Danish errors (none: saved)."""
    errors = validate_triangle(subject, round_, levels, progress, next_focus)
    if errors:
        return errors
    base = {
        "school": school,
        "school_year": school_year,
        "grade": grade,
        "student_key": student_key,
        "subject": subject,
        "round": round_,
        "username": username,
    }
    placements = [base | {"position": p, "level": v} for p, v in sorted(levels.items()) if v is not None]
    note = [base | {"body": (progress or "").strip(), "body_internal": (next_focus or "").strip()}]
    try:
        runner.write_many(scope, username, [("upsert_triangle_placement", placements), ("upsert_triangle_note", note)])
    except QueryError as refusal:
        return [str(refusal)]
    return []


def save_areas(
    runner: Runner, scope: Scope, username: str, school: str, subject: str, stage: str, areas: list[dict]
) -> list[str]:
    """A school's own letters and names for the six areas of a subject and stage."""
    errors = []
    if subject not in SUBJECTS or stage not in STAGES:
        errors.append("Ukendt fag eller trin.")
    if sorted(a.get("position") for a in areas) != list(POSITIONS):
        errors.append("Der skal være præcis seks kompetenceområder.")
    letters = [str(a.get("letter") or "").strip() for a in areas]
    for area, letter in zip(areas, letters, strict=True):
        name = str(area.get("name") or "").strip()
        if not 1 <= len(letter) <= 2:
            errors.append(f"Område {area.get('position')}: bogstavet skal være 1–2 tegn.")
        if not 1 <= len(name) <= 60:
            errors.append(f"Område {area.get('position')}: navnet skal være 1–60 tegn.")
    if len({x.casefold() for x in letters}) != len(letters):
        errors.append("To områder har samme bogstav; så kan trekanten ikke læses.")
    if errors:
        return errors
    rows = [
        {
            "school": school,
            "subject": subject,
            "stage": stage,
            "position": a["position"],
            "letter": str(a["letter"]).strip(),
            "name": str(a["name"]).strip(),
            "username": username,
        }
        for a in areas
    ]
    try:
        runner.write("upsert_competence_area", scope, username, rows)
    except QueryError as refusal:
        return [str(refusal)]
    return []
