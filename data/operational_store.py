"""The operational store: what is written while people work, shared by every server process.

DuckDB lets one process write a file, or many read it. So the tables that change while the app
serves (login sessions, failed logins, the audit log and the talk's tables: `TABLES`) live in a SQLite file in
WAL mode beside the DuckDB file, which any number of processes read and write at once (writers
take turns; a writer waits up to `BUSY_TIMEOUT_SECONDS` for another's commit). Its schema is the
ordered files in data/operational_migrations/, recorded in its `schema_version`.

`$DATABLIK_OPS_DB` names the file; by default it is `<store>.ops.sqlite` beside the store
(`data/datablik.duckdb.ops.sqlite`). `$DATABLIK_OPS_URL` (a PostgreSQL connection string) is
refused with a Danish message: PostgreSQL is not built yet (see the README).

The query runner (`queries/runner.py`) sends a query whose tables are all operational here, and
for a query that joins operational and analytical tables it reads the operational tables here and
hands them to DuckDB as relations of the same names (`frames`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import polars as pl

MIGRATIONS_DIR = Path(__file__).resolve().parent / "operational_migrations"
LOGIN_TABLES = ("login_session", "login_failure", "audit_log")  # moved by DuckDB migration 018
TALK_TABLES = (
    "talk",
    "talk_participant",
    "agenda_item",
    "note",
    "agreement",
    "minutes_version",
    "minutes_approval",
)  # moved by DuckDB migration 019 (parents first)
TABLES = frozenset(LOGIN_TABLES + TALK_TABLES)
BUSY_TIMEOUT_SECONDS = 10.0
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Declared column types -> polars types of the relation DuckDB sees (TIMESTAMP is stored as ISO text).
# Dates, times and timestamps are ISO text there; booleans 0/1.
_TYPES = {
    "TEXT": pl.Utf8,
    "INTEGER": pl.Int64,
    "REAL": pl.Float64,
    "TIMESTAMP": pl.Utf8,
    "DATE": pl.Utf8,
    "TIME": pl.Utf8,
    "BOOLEAN": pl.Int64,
}
_PARSE = {
    "TIMESTAMP": lambda c: pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False),
    "DATE": lambda c: pl.col(c).str.slice(0, 10).str.to_date("%Y-%m-%d"),
    "TIME": lambda c: pl.coalesce(
        pl.col(c).str.to_time("%H:%M:%S%.f", strict=False),  # the app writes '09:30'
        pl.col(c).str.to_time("%H:%M", strict=False),
    ),
    "BOOLEAN": lambda c: pl.col(c).cast(pl.Boolean),
}
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(datetime, lambda d: d.isoformat(sep=" ", timespec="microseconds"))
sqlite3.register_adapter(dtime, dtime.isoformat)


class OperationalStoreError(Exception):
    """The operational store cannot be used; the message is Danish."""


def path_for(store_path: Path) -> Path:
    """The operational store of a DuckDB store: $DATABLIK_OPS_DB, else `<store>.ops.sqlite` beside it."""
    configured = os.environ.get("DATABLIK_OPS_DB")
    if configured:
        return Path(configured)
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".ops.sqlite")


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.iterdir()):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


def now_text() -> str:
    """A timestamp as the operational store keeps it (local time, ISO, microseconds)."""
    return datetime.now().isoformat(sep=" ", timespec="microseconds")


class OperationalStore:
    """One SQLite file shared by every process; one connection per thread."""

    def __init__(self, path: Path):
        if os.environ.get("DATABLIK_OPS_URL"):
            raise OperationalStoreError(
                "PostgreSQL som driftsdatabase (DATABLIK_OPS_URL) er ikke bygget endnu; "
                "fjern DATABLIK_OPS_URL for at bruge SQLite-filen ved siden af databasen."
            )
        self.path = Path(path)
        self._local = threading.local()
        self._writes = 0  # commits made by this process (PRAGMA data_version counts only the others')
        self._lock = threading.Lock()
        self.migrate()

    # -- connections ------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            from data import store

            store.private_files()  # the file, its -wal and -shm: 0600
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at each checkpoint, never corrupt
            con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            self._local.con = con
        return con

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    def migrate(self) -> list[int]:
        con = self.connection()
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        applied = []
        for version, path in migrations():
            with self.transaction() as cur:
                if cur.execute("SELECT 1 FROM schema_version WHERE version = ?", [version]).fetchone():
                    continue
                for statement in _statements(path.read_text(encoding="utf-8")):
                    cur.execute(statement)
                cur.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, path.name, now_text()])
            applied.append(version)
        return applied

    def schema_version(self) -> int:
        return self.connection().execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    @contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE … COMMIT: one writer at a time across every process; all or nothing."""
        con = self.connection()
        cur = con.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            cur.close()
            raise OperationalStoreError("Driftsdatabasen er optaget; intet er ændret. Prøv igen.") from exc
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            cur.close()
        with self._lock:
            self._writes += 1

    def version(self) -> tuple[int, int]:
        """Changes whenever any process commits here: cached reads of these tables are keyed on it."""
        other = self.connection().execute("PRAGMA data_version").fetchone()[0]
        return other, self._writes

    # -- reads ------------------------------------------------------------------------
    def read(self, sql: str, params: dict) -> pl.DataFrame:
        cur = self.connection().execute(sql, params)
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
        return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)

    def frame(self, table: str) -> pl.DataFrame:
        """A whole table as the relation DuckDB joins with the analytical tables (typed, even when empty)."""
        if table not in TABLES:
            raise ValueError(f"{table} is not an operational table")
        con = self.connection()
        info = con.execute(f"PRAGMA table_info({table})").fetchall()
        schema = {name: _TYPES.get(kind.upper(), pl.Utf8) for _, name, kind, *_ in info}
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        frame = pl.DataFrame(rows, schema=schema, orient="row")
        return frame.with_columns(_PARSE[kind.upper()](name) for _, name, kind, *_ in info if kind.upper() in _PARSE)

    # -- copying in -------------------------------------------------------------------
    def replace_all(self, frames: dict[str, pl.DataFrame]) -> None:
        """Empty these tables and fill them with the frames, in one transaction (the demo build)."""
        with self.transaction() as cur:
            for table in reversed([t for t in TALK_TABLES + LOGIN_TABLES if t in frames]):
                cur.execute(f"DELETE FROM {table}")
            for table in [t for t in TALK_TABLES + LOGIN_TABLES if t in frames]:
                frame = frames[table]
                columns = [
                    row[1] for row in cur.execute(f"PRAGMA table_info({table})").fetchall() if row[1] in frame.columns
                ]
                marks = ", ".join("?" for _ in columns)
                cur.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", frame.select(columns).rows()
                )

    def adopt(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        """Rows of a table that used to live in the DuckDB file (migration 018 moves them here)."""
        if not rows:
            return
        marks = ", ".join("?" for _ in columns)
        with self.transaction() as cur:
            cur.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _statements(sql: str) -> list[str]:
    """A migration's statements (no semicolon or `--` inside a string or a comment in these files)."""
    body = "\n".join(re.sub(r"--.*$", "", line) for line in sql.splitlines())
    return [s.strip() for s in body.split(";") if s.strip()]


_stores: dict[str, OperationalStore] = {}
_stores_lock = threading.Lock()


def for_store(store_path: Path) -> OperationalStore:
    """The process's one operational store object for a DuckDB store (its file beside it)."""
    path = path_for(store_path).resolve()
    with _stores_lock:
        if str(path) not in _stores:
            _stores[str(path)] = OperationalStore(path)
        return _stores[str(path)]


def epoch() -> float:
    return time.time()
