"""Opening the store and bringing its schema up to date.

The store is one DuckDB file. Its schema is the ordered list of files in data/migrations/;
`schema_version` records which have run, so a store built today opens after tomorrow's change.
"""
from __future__ import annotations

import os
import re
import uuid
from datetime import datetime
from pathlib import Path

import duckdb

DATA_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = DATA_DIR / "migrations"
DEFAULT_PATH = DATA_DIR / "datablik.duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def store_path() -> Path:
    """The store file: $DATABLIK_DB, or data/datablik.duckdb."""
    return Path(os.environ.get("DATABLIK_DB") or DEFAULT_PATH)


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.iterdir()):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations the store has not seen yet, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, path in migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, path.name, datetime.now()]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store; a writable open also migrates it."""
    path = Path(path or store_path())
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def get_info(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    row = con.execute("SELECT value FROM store_info WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_info(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(
        "INSERT INTO store_info VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def bump_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Every write that changes figures calls this; query caches are keyed on it."""
    version = uuid.uuid4().hex
    set_info(con, "data_version", version)
    return version


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    return get_info(con, "demo") == "true"
