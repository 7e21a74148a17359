"""The one way to write the audit log: who, when, what (in Danish words), and which school it concerned.

Code names the actions by their query or event name; `reference/audit_actions.csv` gives each the
Danish words a data protection officer reads in the log.
"""
from __future__ import annotations

import csv
from functools import cache

import duckdb

from data.reference import REFERENCE_DIR


@cache
def action_words() -> dict[str, str]:
    with open(REFERENCE_DIR / "audit_actions.csv", encoding="utf-8", newline="") as f:
        return {row["action"]: row["words"] for row in csv.DictReader(f, delimiter=";")}


def record(cur: duckdb.DuckDBPyConnection, username: str, action: str, target: str | None,
           detail: str | None = None, school: str | None = None) -> None:
    """Append one entry (inside the caller's transaction, if any)."""
    cur.execute("INSERT INTO audit_log (logged_at, username, action, target, detail, school)"
                " VALUES (now(), ?, ?, ?, ?, ?)",
                [username, action_words().get(action, action), target, detail, school])
