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


def register_operational(cur, target) -> None:
    """Let a DuckDB cursor read the operational tables by their names, as the runner does."""
    ops = target.ops if hasattr(target, "ops") else operational_store.for_store(Path(target))
    for table in sorted(operational_store.TABLES):
        cur.register(table, ops.frame(table))


def copy_store(source, target) -> None:
    """Copy a store and its operational store (SQLite's online backup: its WAL's rows too), without the
    logins and audit entries other tests made on the source: each copy starts with the demo as built."""
    import shutil
    import sqlite3

    shutil.copy(source, target)
    origin = operational_store.path_for(Path(source))
    if origin.exists():
        src, dst = sqlite3.connect(str(origin)), sqlite3.connect(str(operational_store.path_for(Path(target))))
        try:
            src.backup(dst)
            for table in operational_store.LOGIN_TABLES:
                dst.execute(f"DELETE FROM {table}")
            dst.commit()
        finally:
            src.close()
            dst.close()
