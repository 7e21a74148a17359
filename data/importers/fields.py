"""The columns each source expects, read from mappings/<source>.csv: the store's field, its type,
whether it is required, and the header spellings known from real exports (separated by |).
Headers are compared without case, spaces and punctuation, so "Skole år" finds "Skoleår"."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
_NOISE = re.compile(r"[\s\-_.:,()/]+")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    headers: tuple[str, ...]
    description: str


def normalise(header: str) -> str:
    return _NOISE.sub("", header.casefold())


@cache
def fields(mapping: str) -> tuple[Field, ...]:
    with open(MAPPINGS_DIR / f"{mapping}.csv", encoding="utf-8", newline="") as f:
        return tuple(
            Field(
                r["field"],
                r["type"],
                r["required"] == "ja",
                tuple(h.strip() for h in r["headers"].split("|")),
                r["description"],
            )
            for r in csv.DictReader(f, delimiter=";")
        )


@cache
def values(kind: str) -> dict[str, str]:
    """Allowed values of an enumeration (mappings/values.csv): lower-case label -> stored value."""
    with open(MAPPINGS_DIR / "values.csv", encoding="utf-8", newline="") as f:
        return {r["label"].casefold(): r["value"] for r in csv.DictReader(f, delimiter=";") if r["kind"] == kind}


def match_headers(columns: list[str], mapping: str) -> tuple[dict[str, Field], list[str], list[Field]]:
    """(file column -> field, unknown columns, missing required fields)."""
    known = {normalise(h): f for f in fields(mapping) if not f.name.startswith("*") for h in f.headers}
    matched: dict[str, Field] = {}
    unknown = []
    for column in columns:
        found = known.get(normalise(column))
        if found is None:
            unknown.append(column)
        else:
            matched[column] = found
    present = {f.name for f in matched.values()}
    missing = [f for f in fields(mapping) if f.required and f.name not in present]
    return matched, unknown, missing
