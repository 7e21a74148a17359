"""Reading the operational store (login sessions, failed logins, the audit log) in tests."""
from __future__ import annotations

from pathlib import Path

from data import operational_store


def ops_rows(target, sql: str, params=()) -> list[tuple]:
    """Rows of SQLite `sql` in the operational store of a Runner or of a DuckDB store file."""
    ops = target.ops if hasattr(target, "ops") else operational_store.for_store(Path(target))
    return ops.connection().execute(sql, list(params)).fetchall()


def ops_dicts(target, sql: str, params=()) -> list[dict]:
    ops = target.ops if hasattr(target, "ops") else operational_store.for_store(Path(target))
    cur = ops.connection().execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
