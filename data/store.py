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


class StoreError(Exception):
    """A store that cannot be used; the message is Danish and says what to do."""


def check_version(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a store written by a newer Datablik (its schema has migrations we do not know)."""
    known = max(v for v, _ in migrations())
    if schema_version(con) > known:
        raise StoreError(f"Databasen er fra en nyere udgave af Datablik (skemaversion {schema_version(con)}, "
                         f"denne udgave kender til {known}). Opdater programmet.")


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations the store has not seen yet, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    check_version(con)
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
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.CatalogException:
        return 0
    return row[0] or 0


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store; a writable open also migrates it."""
    path = Path(path or store_path())
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreError(f"Databasen {path.name} bruges lige nu af et andet program (fx en import eller "
                             "en anden Datablik). Prøv igen, når det er færdigt.") from exc
        raise StoreError(f"Databasen {path.name} kan ikke læses; den kan være beskadiget. Genskab den fra "
                         "en sikkerhedskopi med: python -m data restore MAPPE") from exc
    except duckdb.Error as exc:
        raise StoreError(f"Databasen {path.name} kan ikke læses; den kan være beskadiget. Genskab den fra "
                         "en sikkerhedskopi med: python -m data restore MAPPE") from exc
    from data.reference import settings
    con.execute(f"SET memory_limit = '{settings()['duckdb']['memory_limit']}'")
    if read_only:
        check_version(con)
    else:
        migrate(con)
    return con


def read_only_requested() -> bool:
    """DATABLIK_READ_ONLY=1 opens the store read-only: figures work, edits are refused."""
    return os.environ.get("DATABLIK_READ_ONLY", "") in ("1", "true", "ja")


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
