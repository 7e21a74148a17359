"""The school's effort register (indsatser): what the school tried, when, and which indicators it
aims at. Read by the trend charts (a labelled vertical rule per effort on the charts of its
indicators), the minutes draft and the data package; edited by the leadership through the runner
(scope, owner check, audit log, text limits), after `validate_effort` has found nothing wrong."""

from __future__ import annotations

from datetime import date

import polars as pl

from components.formatting import danish_date  # a pure text helper (no Streamlit)
from queries import indicators
from queries.runner import QueryError, Runner, Scope

# The indicators an effort may aim at: the ones that have a trend chart (key: Danish label).
INDICATORS = {i.key: i.label for i in indicators.TREND}
LABEL_TO_KEY = {label: key for key, label in INDICATORS.items()}
NAME_CHARS = 80  # a label on a chart: short enough to read from the back row
NOT_YOURS = "Kun skolens ledelse kan ændre skolens indsatser; intet er gemt."


def school_year_of(day: date) -> str:
    """The school year a date falls in (1 August to 31 July)."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def load(runner: Runner, scope: Scope, school: str) -> pl.DataFrame:
    return runner.run("school_efforts", scope, school=school)


def for_indicator(efforts: pl.DataFrame | None, indicator: str) -> pl.DataFrame | None:
    """The efforts aimed at one indicator, with the school year each started in (column Skoleår)."""
    if efforts is None or efforts.is_empty():
        return None
    chosen = efforts.filter(pl.col("indicators").list.contains(indicator))
    if chosen.is_empty():
        return None
    return chosen.with_columns(
        pl.col("starts_on").map_elements(school_year_of, return_dtype=pl.String).alias("Skoleår")
    )


def table(frame: pl.DataFrame) -> pl.DataFrame:
    """The register as a display table (Danish headings, no internal ids)."""
    columns = ("Indsats", "Start", "Slut", "Sigter mod", "Beskrivelse")
    return pl.DataFrame(
        {
            "Indsats": frame["name"].to_list(),
            "Start": [danish_date(d) for d in frame["starts_on"]],
            "Slut": [danish_date(d) if d else "i gang" for d in frame["ends_on"]],
            "Sigter mod": [", ".join(INDICATORS.get(i, i) for i in ind) for ind in frame["indicators"]],
            "Beskrivelse": [d or "" for d in frame["description"]],
        },
        schema={k: pl.String for k in columns},
    )


def validate_effort(row: dict) -> list[str]:
    """An effort as typed on the screen; Danish messages, an empty list when it may be saved."""
    name = (row.get("name") or "").strip()
    shown = name[:40] or "(uden navn)"
    errors = []
    if not name:
        errors.append("Indsatsen skal have et navn.")
    elif len(name) > NAME_CHARS:
        errors.append(f"{shown}…: navnet må højst være {NAME_CHARS} tegn (det står på graferne).")
    start, end = row.get("starts_on"), row.get("ends_on")
    if not isinstance(start, date):
        errors.append(f"{shown}: skriv hvornår indsatsen startede.")
    elif end is not None and not isinstance(end, date):
        errors.append(f"{shown}: slutdatoen er ugyldig.")
    elif end is not None and end < start:
        errors.append(f"{shown}: indsatsen slutter ({end:%d.%m.%Y}) før den starter ({start:%d.%m.%Y}).")
    indicators = list(row.get("indicators") or [])
    if not indicators:
        errors.append(f"{shown}: vælg mindst én indikator, indsatsen sigter mod.")
    unknown = [i for i in indicators if i not in INDICATORS]
    if unknown:
        errors.append(f"{shown}: ukendt indikator: {', '.join(map(str, unknown))}.")
    return errors


def save(
    runner: Runner, scope: Scope, username: str, school: str, changed: list[dict], removed: list[str] = ()
) -> list[str]:
    """Efforts with an effort_id are updated, the others added; `removed` ids are deleted. All in
    one transaction, or nothing when a row is refused; returns the Danish reasons (empty: saved)."""
    if not runner.may_write("insert_effort", scope):
        return [NOT_YOURS]
    errors = [e for row in changed for e in validate_effort(row)]
    if errors:
        return errors
    updates, inserts = [], []
    for row in changed:
        params = {
            "school": school,
            "username": username,
            "name": row["name"].strip(),
            "starts_on": row["starts_on"],
            "ends_on": row.get("ends_on"),
            "indicators": list(row["indicators"]),
            "description": (row.get("description") or "").strip() or None,
        }
        if row.get("effort_id"):
            updates.append(params | {"effort_id": row["effort_id"]})
        else:
            inserts.append(params)
    deletes = [{"school": school, "effort_id": effort_id} for effort_id in removed]
    try:
        runner.write_many(
            scope, username, [("update_effort", updates), ("insert_effort", inserts), ("delete_effort", deletes)]
        )
    except QueryError as refusal:
        return [str(refusal)]
    return []
