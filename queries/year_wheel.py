"""The yearly wheel's own events: validating and saving the school's events (a theme week, a parents'
evening) and removing them; the store's own data points are read by year_wheel.sql and year_wheel_team.sql."""

from __future__ import annotations

from datetime import date

from queries.runner import QueryError, Runner, Scope

TITLE_CHARS = 120


def validate_event(
    title: str, starts_on: date | None, ends_on: date | None, year_start: date, year_end: date
) -> list[str]:
    errors = []
    if not (title or "").strip():
        errors.append("Begivenheden skal have en titel.")
    elif len(title.strip()) > TITLE_CHARS:
        errors.append(f"Titlen må højst have {TITLE_CHARS} tegn.")
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        errors.append("Start- og slutdato skal udfyldes.")
    elif ends_on < starts_on:
        errors.append(f"Begivenheden slutter ({ends_on:%d.%m.%Y}) før den starter ({starts_on:%d.%m.%Y}).")
    elif starts_on < year_start or ends_on > year_end:
        errors.append(f"Datoerne skal ligge i skoleåret ({year_start:%d.%m.%Y}–{year_end:%d.%m.%Y}).")
    return errors


def add_event(
    runner: Runner,
    scope: Scope,
    username: str,
    school: str,
    school_year: str,
    title: str,
    starts_on: date,
    ends_on: date,
    year_start: date,
    year_end: date,
) -> list[str]:
    errors = validate_event(title, starts_on, ends_on, year_start, year_end)
    if errors:
        return errors
    try:
        runner.write(
            "insert_school_event",
            scope,
            username,
            [
                {
                    "school": school,
                    "school_year": school_year,
                    "title": title.strip(),
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "username": username,
                }
            ],
        )
    except QueryError as refusal:
        return [str(refusal)]
    return []


def remove_event(runner: Runner, scope: Scope, username: str, school: str, event_id: int) -> list[str]:
    try:
        runner.write("delete_school_event", scope, username, [{"school": school, "event_id": int(event_id)}])
    except QueryError as refusal:
        return [str(refusal)]
    return []
