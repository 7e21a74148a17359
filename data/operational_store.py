"""The operational store: what is written while people work, shared by every server process.

DuckDB lets one process write a file, or many read it. So the tables that change while the app
serves (login sessions, failed logins, the audit log, the talk's tables, the school's own work and
the team's assessments and learning triangles: `TABLES`) live in a
transactional store that any number of processes read and write at once:

- by default a SQLite file in WAL mode beside the DuckDB file (`$DATABLIK_OPS_DB`, else
  `<store>.ops.sqlite`: `data/datablik.duckdb.ops.sqlite`); writers take turns, a writer waits up to
  `BUSY_TIMEOUT_SECONDS` for another's commit;
- a PostgreSQL database when `$DATABLIK_OPS_URL` names one (a libpq connection string,
  `postgresql://user:password@host:5432/db`; `?options=-csearch_path%3Dschema` keeps the tables in
  a schema of their own). Every DuckDB store of the process then shares that database.

One class, `OperationalStore`, is the interface for both; the backend is chosen inside it. Callers
write through `transaction()` cursors in SQLite's forms (`?` with a sequence, `$name` with a mapping)
and the cursor translates the placeholders for PostgreSQL; values are always bound, never spliced.
The SQL is portable: `ON CONFLICT DO NOTHING`, not `INSERT OR IGNORE`; no PRAGMA, no rowid.

Both keep values alike, so the same SQL sees the same values: dates, times of day and timestamps are
ISO text (PostgreSQL: text domains `datablik_date`, `datablik_time`, `datablik_timestamp`, so the
declared type stays known and ISO text binds into them from any INSERT … SELECT); booleans are
0/1 in SQLite and boolean in PostgreSQL (bind Python bools); INTEGER is 64 bits and REAL a double
on both. Its schema is the ordered files in data/operational_migrations/ (run on both: PostgreSQL
gets the types above), recorded in its `schema_version`.

The query runner (`queries/runner.py`) sends a query whose tables are all operational here, and
for a query that joins operational and analytical tables it reads the operational tables here and
hands them to DuckDB as relations of the same names and types on either backend (`frame`).
"""

from __future__ import annotations

import importlib
import json
import os
import queue
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as dtime
from itertools import chain
from pathlib import Path
from typing import Any

import polars as pl

from data import operational_frames

psycopg: Any = None  # the PostgreSQL driver, imported with the first PostgreSQL store (`_driver`)

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
SCHOOL_TABLES = (
    "effort",
    "school_event",
    "participation_target",
    "participation_target_history",
    "school_project",
    "project_criterion",
    "competence_area",
)  # the school's own register, events, targets, projects and competence areas: moved by DuckDB migration 021
LEAPS_TABLES = ("leaps_course", "import_archive_leaps_course")  # moved by DuckDB migration 023
# The team's assessments and learning triangles, keyed by pupil and school year (moved by DuckDB migration 024).
PUPIL_WORK_TABLES = ("pupil_assessment", "triangle_placement", "triangle_note")
PUPIL_WORK_ARCHIVES = tuple(f"import_archive_{t}" for t in PUPIL_WORK_TABLES)  # what a register's replacement removed
TABLES = frozenset(LOGIN_TABLES + TALK_TABLES + SCHOOL_TABLES + LEAPS_TABLES + PUPIL_WORK_TABLES + PUPIL_WORK_ARCHIVES)
BUSY_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5
PUPIL_FRAMES_KEPT = 64  # (table, school) frames of the team's pupil tables kept per process; see `pupil_frame`
PUPIL_KEYS_PER_READ = 500  # pupils' keys bound in one read (SQLite allows 32.766 variables, PostgreSQL 65.535)
INSERT_SLICE_ROWS = 50_000  # rows turned into Python tuples at a time when a frame is written
BULK_CACHE_KIB = 256 * 1024  # SQLite's page cache while `replace_all` rebuilds the indexes of millions of rows
POOL_SIZE = 8  # idle PostgreSQL connections kept per process (Streamlit runs each rerun in a new thread)
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
TABLE_VERSIONS_SINCE = 6  # the migration that adds datablik_table_version (006_table_versions.sql)
# The table a statement writes ("ON CONFLICT ... DO UPDATE SET" names `set`, not a table; a name
# inside a string or comment only bumps a version more than needed, never less).
_WRITTEN = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_SET_VERSION = (
    "INSERT INTO datablik_table_version (table_name, version) VALUES (?, ?)"
    " ON CONFLICT (table_name) DO UPDATE SET version = excluded.version"
)
# An error of either backend's driver (a refused statement, a lost connection); psycopg's joins it
# when the first PostgreSQL store is made (no PostgreSQL error can come before).
DatabaseError: tuple[type[Exception], ...] = (sqlite3.Error,)

# Declared column types (first word, as the migrations write them) -> the kind both backends agree on.
_KINDS = {
    "TEXT": "TEXT",
    "VARCHAR": "TEXT",
    "INTEGER": "INTEGER",
    "INT": "INTEGER",
    "BIGINT": "INTEGER",
    "SMALLINT": "INTEGER",
    "TINYINT": "INTEGER",
    "REAL": "REAL",
    "DOUBLE": "REAL",
    "FLOAT": "REAL",
    "TIMESTAMP": "TIMESTAMP",
    "DATE": "DATE",
    "TIME": "TIME",
    "BOOLEAN": "BOOLEAN",
    "TEXT_LIST": "LIST",
}
# How PostgreSQL declares each kind (the migrations are written with SQLite's names). Only upper-case
# type words are rewritten, so column names (lower case by the project's habit) never are.
_PG_TYPES = [
    (re.compile(r"\bTEXT_LIST\b"), "datablik_list"),  # a list of texts as JSON text (SQLite has no arrays)
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),  # SQLite's rowid
    (re.compile(r"\b(?:INTEGER|INT)\b"), "BIGINT"),
    (re.compile(r"\bTINYINT\b"), "SMALLINT"),
    (re.compile(r"\b(?:REAL|FLOAT|DOUBLE(?! PRECISION))\b"), "DOUBLE PRECISION"),  # PostgreSQL's REAL is 4 bytes
    (re.compile(r"\bTIMESTAMP\b"), "datablik_timestamp"),
    (re.compile(r"\bDATE\b"), "datablik_date"),
    (re.compile(r"\bTIME\b"), "datablik_time"),
]
_PG_DOMAINS = {
    "datablik_timestamp": "TIMESTAMP",
    "datablik_date": "DATE",
    "datablik_time": "TIME",
    "datablik_list": "LIST",
}
_PG_DATA_TYPES = {
    "bigint": "INTEGER",
    "integer": "INTEGER",
    "smallint": "INTEGER",
    "double precision": "REAL",
    "real": "REAL",
    "numeric": "REAL",
    "boolean": "BOOLEAN",
}
# The relation DuckDB sees, per kind (read as text or integers, then parsed: `_PARSE`).
_TYPES = {"TEXT": pl.Utf8, "INTEGER": pl.Int64, "REAL": pl.Float64, "BOOLEAN": pl.Int64}
_PARSE = {
    "TIMESTAMP": lambda c: pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False),
    "DATE": lambda c: pl.col(c).str.slice(0, 10).str.to_date("%Y-%m-%d"),
    "TIME": lambda c: pl.coalesce(
        pl.col(c).str.to_time("%H:%M:%S%.f", strict=False),  # the app writes '09:30'
        pl.col(c).str.to_time("%H:%M", strict=False),
    ),
    "BOOLEAN": lambda c: pl.col(c).cast(pl.Boolean),
    "LIST": lambda c: pl.col(c).str.json_decode(pl.List(pl.Utf8)),
}
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(datetime, lambda d: d.isoformat(sep=" ", timespec="microseconds"))
sqlite3.register_adapter(dtime, dtime.isoformat)
# SQLite's forms, and what PostgreSQL (psycopg) must not misread: strings, quoted names and comments
# are kept (a '%' inside doubled), `?` and `$name` become psycopg's placeholders, a bare '%' is doubled.
_PG_TOKEN = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*)|(\?)|\$([A-Za-z_][A-Za-z0-9_]*)|(%)""")
_BUSY = "Driftsdatabasen er optaget; intet er ændret. Prøv igen."
_UNREACHABLE = "Driftsdatabasen (PostgreSQL) kan ikke nås; intet er ændret. Prøv igen om lidt, eller kontakt driften."


class OperationalStoreError(Exception):
    """The operational store cannot be used; the message is Danish."""


def path_for(store_path: Path) -> Path:
    """The SQLite operational store of a DuckDB store: $DATABLIK_OPS_DB, else `<store>.ops.sqlite` beside it."""
    configured = os.environ.get("DATABLIK_OPS_DB")
    if configured:
        return Path(configured)
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".ops.sqlite")


def configured_url() -> str | None:
    """The PostgreSQL connection string in $DATABLIK_OPS_URL, if any."""
    return os.environ.get("DATABLIK_OPS_URL") or None


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


def _list_value(value: Any) -> Any:
    """A list of texts (a TEXT_LIST column: an effort's indicators) bound as its JSON text."""
    if isinstance(value, (list, tuple)):
        return json.dumps([str(v) for v in value], ensure_ascii=False)
    return value


def _pg_value(value: Any) -> Any:
    """A value bound in PostgreSQL as SQLite's adapters bind it (dates and times as ISO text)."""
    if isinstance(value, (list, tuple)):
        return _list_value(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, (date, dtime)):
        return value.isoformat()
    return value


def _copy_row(row: Sequence, integers: list[int]) -> list | None:
    """A row as COPY takes it: values bound as `_pg_value` binds them, a whole float in an INTEGER
    column as its int (INSERT casts it, COPY refuses "8.0"); None when a float there is not whole."""
    out = [_pg_value(v) for v in row]
    for i in integers:
        v = out[i]
        if isinstance(v, float):
            if not v.is_integer():
                return None
            out[i] = int(v)
    return out


def pg_sql(sql: str) -> str:
    """SQLite's placeholders (`?`, `$name`) as psycopg's (`%s`, `%(name)s`); nothing else changes."""

    def one(match: re.Match) -> str:
        kept, mark, name, percent = match.groups()
        if kept is not None:
            return kept.replace("%", "%%")
        if mark:
            return "%s"
        if name:
            return f"%({name})s"
        return "%%" if percent else match.group(0)

    return _PG_TOKEN.sub(one, sql)


def pg_ddl(statement: str) -> str:
    """A migration statement with PostgreSQL's names for the declared types (see `_PG_TYPES`)."""
    for pattern, replacement in _PG_TYPES:
        statement = pattern.sub(replacement, statement)
    return statement


def _driver():
    """psycopg, imported on first use: a tenth of a second every command and server would pay for
    nothing with SQLite."""
    global psycopg, DatabaseError, _NumericLoader
    if psycopg is None:
        try:
            driver = importlib.import_module("psycopg")
            for part in ("adapt", "errors", "pq"):
                importlib.import_module(f"psycopg.{part}")
        except ImportError as exc:  # in requirements.txt; only a PostgreSQL store needs it
            raise OperationalStoreError(
                "DATABLIK_OPS_URL er sat, men PostgreSQL-driveren (psycopg) er ikke installeret: "
                "pip install -r requirements.txt."
            ) from exc

        class _NumericLoader(driver.adapt.Loader):
            """PostgreSQL's numeric (sum of a BIGINT, avg) as SQLite gives it: an int when whole, else a float."""

            def load(self, data) -> int | float:
                text = bytes(data).decode()
                return int(text) if text.lstrip("-").isdigit() else float(text)

        DatabaseError = (sqlite3.Error, driver.Error)
        psycopg = driver
    return psycopg


_NumericLoader: Any = None


class Cursor:
    """A cursor of either backend that takes SQLite's forms: `?` with a sequence, `$name` with a mapping.
    It notes the operational tables its statements write (`changed`), whose versions the transaction sets."""

    def __init__(self, raw, postgresql: bool):
        self._raw = raw
        self._pg = postgresql
        self.changed: set[str] = set()

    def touch(self, *tables: str) -> None:
        """Count these tables as changed by this transaction (a write its statements do not name)."""
        self.changed.update(tables)

    def _note(self, sql: str) -> None:
        self.changed.update(t for t in (m.lower() for m in _WRITTEN.findall(sql)) if t in TABLES)

    def _params(self, params):
        if params is None:
            return ()
        value = _pg_value if self._pg else _list_value
        if isinstance(params, Mapping):
            return {k: value(v) for k, v in params.items()}
        return [value(v) for v in params]

    def execute(self, sql: str, params: Sequence | Mapping | None = None) -> Cursor:
        self._note(sql)
        self._raw.execute(pg_sql(sql) if self._pg else sql, self._params(params))
        return self

    def executemany(self, sql: str, rows) -> Cursor:
        rows = [self._params(r) for r in rows]
        if rows:
            self._note(sql)
            self._raw.executemany(pg_sql(sql) if self._pg else sql, rows)
        return self

    def insert_bound(self, table: str, names: list[str], rows: Iterable[tuple]) -> None:
        """Rows whose values are only texts, numbers, booleans and NULLs (`operational_frames.bound`),
        handed to the driver as they are: PostgreSQL's COPY, SQLite's executemany."""
        self.touch(table)  # COPY names its table in no statement `_note` reads
        columns = ", ".join(f'"{name}"' for name in names)
        if self._pg:
            with self._raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in names)
            self._raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    def fetchone(self):
        if self._pg and self._raw.description is None:  # as SQLite: a statement without rows has none
            return None
        return self._raw.fetchone()

    def fetchall(self) -> list[tuple]:
        if self._pg and self._raw.description is None:
            return []
        return self._raw.fetchall()

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())

    @property
    def description(self):
        return self._raw.description

    def fetchmany(self, size: int = 1) -> list[tuple]:
        if self._pg and self._raw.description is None:
            return []
        return self._raw.fetchmany(size)

    @property
    def rowcount(self) -> int:
        return self._raw.rowcount

    @property
    def lastrowid(self):
        """SQLite's only; a new id on both backends is `INSERT … RETURNING id` (SQLite 3.35 and later)."""
        if self._pg:
            raise NotImplementedError("PostgreSQL has no lastrowid: INSERT … RETURNING the id (portable)")
        return self._raw.lastrowid

    def close(self) -> None:
        self._raw.close()


class OperationalStore:
    """The operational store: a SQLite file (`path`) or a PostgreSQL database (`url`).

    SQLite: one connection per thread. PostgreSQL: a small pool of connections in autocommit, a
    transaction only inside `transaction()`."""

    def __init__(self, path: Path | None = None, *, url: str | None = None):
        if (path is None) == (url is None):
            raise ValueError("an operational store is a SQLite path or a PostgreSQL url")
        self.url = url
        self.path = Path(path) if path is not None else None
        self.postgresql = url is not None
        if self.postgresql:
            _driver()
        self._local = threading.local()
        self._idle: list = []  # PostgreSQL connections not in use
        self._frames: dict[str, tuple[int, pl.DataFrame]] = {}  # table -> (its version, frame); see `frame`
        self._pupil_frames: OrderedDict[tuple, tuple[int, pl.DataFrame]] = OrderedDict()  # see `pupil_frame`
        self.whole_rows_read = 0  # rows converted into frames, whole tables and pupils' rows (tests count them)
        self.pupil_rows_read = 0
        self._lock = threading.Lock()
        self.migrate()

    def __repr__(self) -> str:
        where = "PostgreSQL" if self.postgresql else str(self.path)
        return f"OperationalStore({where})"

    # -- connections ------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """The thread's SQLite connection (SQLite only: PostgreSQL's are lent by `_borrow`)."""
        if self.postgresql:
            raise TypeError("a PostgreSQL operational store lends connections only through its methods")
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
            # SQLite's lower() folds only A-Z; PostgreSQL's (and DuckDB's) fold every letter (Æ, Ø, É):
            # the same SQL finds the same rows on both (the audit log's search by part of a word).
            con.create_function("lower", 1, _lower, deterministic=True)
            self._local.con = con
        return con

    @contextmanager
    def _borrow(self):
        """A connection for one read or transaction: the thread's SQLite one, or one from the pool."""
        if not self.postgresql:
            yield self.connection()
            return
        with self._lock:
            con = self._idle.pop() if self._idle else None
        if con is None or con.closed:
            try:
                con = psycopg.connect(
                    self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="datablik"
                )
                # A writer waits this long for another's commit (the row lock `transaction` takes).
                con.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
                con.adapters.register_loader("numeric", _NumericLoader)
            except psycopg.OperationalError as exc:
                raise OperationalStoreError(_UNREACHABLE) from exc
        try:
            yield con
        except psycopg.Error as exc:
            if not con.broken:
                raise
            # The server went away (a restart, a network cut): this connection and the idle ones are
            # done, and the next use connects anew.
            con.close()
            with self._lock:
                idle, self._idle = self._idle, []
            for other in idle:
                other.close()
            raise OperationalStoreError(_UNREACHABLE) from exc
        finally:
            if not con.closed:
                with self._lock:
                    if len(self._idle) < POOL_SIZE and con.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                        self._idle.append(con)
                        con = None
                if con is not None:
                    con.close()

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None
        with self._lock:
            idle, self._idle = self._idle, []
        for con in idle:
            con.close()

    # -- schema -----------------------------------------------------------------------
    def migrate(self) -> list[int]:
        self._columns = {}
        self._keys: dict[str, list[str]] = {}
        if self.postgresql:
            self._bootstrap_postgresql()
        else:
            con = self.connection()
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL)"
            )
            # The commit counter `version` reads, as on PostgreSQL: SQLite's PRAGMA data_version is
            # per connection (one per thread), so its numbers cannot key a cache the threads share.
            con.execute(
                "CREATE TABLE IF NOT EXISTS datablik_state (id INTEGER PRIMARY KEY CHECK (id = 1),"
                " version INTEGER NOT NULL)"
            )
            con.execute("INSERT INTO datablik_state VALUES (1, 0) ON CONFLICT DO NOTHING")
        applied = []
        for version, path in migrations():
            with self.transaction() as cur:
                if cur.execute("SELECT 1 FROM schema_version WHERE version = ?", [version]).fetchone():
                    continue
                for statement in _statements(path.read_text(encoding="utf-8")):
                    cur.execute(pg_ddl(statement) if self.postgresql else statement)
                if version >= TABLE_VERSIONS_SINCE:  # a table's columns or rows may have changed
                    cur.touch(*TABLES)
                cur.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, path.name, now_text()])
            applied.append(version)
        return applied

    def _bootstrap_postgresql(self) -> None:
        """The tables and domains every PostgreSQL store needs before its migrations: created once,
        under a lock (two processes starting at once would otherwise both create them)."""
        with self._borrow() as con:
            with con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.datablik'))")
                found = con.execute(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
                    " AND table_name = 'datablik_state'"
                ).fetchone()
                domains = {
                    name
                    for (name,) in con.execute(
                        "SELECT domain_name FROM information_schema.domains WHERE domain_schema = current_schema()"
                    ).fetchall()
                }
                for domain in _PG_DOMAINS:  # a domain added by a later version is created in an older database
                    if domain not in domains:
                        con.execute(f"CREATE DOMAIN {domain} AS TEXT")
                if found:
                    return
                con.execute(
                    "CREATE TABLE schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at TEXT NOT NULL)"
                )
                # One row: its version counts the commits (`version`), its row lock is the one writer's.
                con.execute(
                    "CREATE TABLE datablik_state (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)"
                )
                con.execute("INSERT INTO datablik_state VALUES (1, 0)")

    def schema_version(self) -> int:
        return self.rows("SELECT coalesce(max(version), 0) FROM schema_version")[0][0]

    def columns(self, table: str) -> list[tuple[str, str]]:
        """A table's columns and their kinds (`_KINDS` values), in order, as the migrations declared them
        (asked once per process after its migrations: every joined read needs them, and PostgreSQL's
        catalogue takes a millisecond or more to answer)."""
        found = self._columns.get(table)
        if found is None:
            found = self._read_columns(table)
            if found:
                self._columns[table] = found
        return found

    def ordered_tables(self) -> list[str]:
        """Every operational table, each after the tables its foreign keys name (PostgreSQL enforces
        them), so rows are loaded parents first and deleted children first."""
        if self.postgresql:
            links = self.rows(
                "SELECT DISTINCT tc.table_name, ccu.table_name FROM information_schema.table_constraints tc"
                " JOIN information_schema.constraint_column_usage ccu"
                " ON ccu.constraint_schema = tc.constraint_schema AND ccu.constraint_name = tc.constraint_name"
                " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()"
            )
        else:
            links = [
                (table, parent)
                for table in sorted(TABLES)
                for (parent,) in self.rows('SELECT "table" FROM pragma_foreign_key_list(?)', [table])
            ]
        parents = {t: {p for c, p in links if c == t and p in TABLES and p != t} for t in TABLES}
        ordered: list[str] = []
        while len(ordered) < len(TABLES):
            ready = sorted(t for t in TABLES if t not in ordered and parents[t] <= set(ordered))
            if not ready:  # a cycle: keep the rest in name order
                ready = sorted(t for t in TABLES if t not in ordered)
            ordered += ready
        return ordered

    def _read_columns(self, table: str) -> list[tuple[str, str]]:
        if self.postgresql:
            found = self.rows(
                "SELECT column_name, data_type, domain_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                [table],
            )
            return [(name, _PG_DOMAINS.get(domain) or _PG_DATA_TYPES.get(kind, "TEXT")) for name, kind, domain in found]
        with self._borrow() as con:
            info = con.execute("SELECT name, type FROM pragma_table_info(?)", [table]).fetchall()
        return [(name, _KINDS.get((kind.split() or ["TEXT"])[0].split("(")[0].upper(), "TEXT")) for name, kind in info]

    # -- writes -----------------------------------------------------------------------
    @contextmanager
    def transaction(self):
        """One writer at a time across every process; all or nothing. SQLite: BEGIN IMMEDIATE.
        PostgreSQL: the first statement bumps the one row of `datablik_state`, whose row lock every
        other writer then waits for until this one commits (read committed: each statement after it
        sees every earlier commit, so read-modify-write code stays correct). A writer that waits
        longer than BUSY_TIMEOUT_SECONDS, or a server that cannot be reached, changes nothing and
        raises the Danish OperationalStoreError.

        Before COMMIT, the tables the cursor's statements wrote (and those it was told of: `touch`) get
        the commit counter's new value as their version (`versions`); a transaction that rolls back
        changes no version."""
        with self._borrow() as con:
            raw = con.cursor()
            try:
                try:
                    raw.execute("BEGIN" if self.postgresql else "BEGIN IMMEDIATE")
                    raw.execute("UPDATE datablik_state SET version = version + 1 WHERE id = 1 RETURNING version")
                    (commit,) = raw.fetchone()
                except DatabaseError as exc:
                    _rollback(con, self.postgresql)
                    if self.postgresql and not isinstance(exc, psycopg.errors.LockNotAvailable):
                        raise
                    raise OperationalStoreError(_BUSY) from exc
                try:
                    cur = Cursor(raw, self.postgresql)
                    yield cur
                    if cur.changed:  # in name order: the same rows locked in the same order by every writer
                        cur.executemany(_SET_VERSION, [(table, commit) for table in sorted(cur.changed)])
                    raw.execute("COMMIT")
                except BaseException:
                    _rollback(con, self.postgresql)
                    raise
            finally:
                raw.close()

    def replace_all(self, frames: dict[str, pl.DataFrame]) -> None:
        """Empty these tables and fill them with the frames, in one transaction."""
        with self.replacing(frames) as write:
            write(frames)

    @contextmanager
    def replacing(self, tables: Iterable[str]):
        """`replace_all` while the caller is still making the frames (the demo build, school by school):
        the tables are emptied in one transaction, and each `write(frames)` the block makes is written
        by a thread of its own (each call's tables in foreign-key order) while the caller goes on. The
        transaction commits when the block ends and rolls back, changing nothing, when it raises; a
        failed write raises in the caller at its next `write` or at the end of the block. The demo
        build's millions of the team's rows are so written beside the DuckDB build, not after it."""
        wanted = set(tables)
        unknown = wanted - TABLES
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not operational tables")
        writer = _Replacement(self, [t for t in self.ordered_tables() if t in wanted])
        try:
            yield writer.write
        except BaseException:
            writer.finish(commit=False)
            raise
        writer.finish(commit=True)

    def insert_frame(self, cur: Cursor, table: str, frame: pl.DataFrame) -> int:
        """A frame's rows into `table`, inside the caller's transaction (an import's rows); the
        frame's columns that the table lacks are left out. Returns the rows inserted."""
        self._write_frame(cur, table, frame)
        return frame.height

    def primary_key(self, table: str) -> list[str]:
        """A table's primary-key columns in key order (asked once per process, as `columns`)."""
        found = self._keys.get(table)
        if found is None:
            if self.postgresql:
                rows = self.rows(
                    "SELECT k.column_name FROM information_schema.table_constraints c"
                    " JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema"
                    " AND k.constraint_name = c.constraint_name"
                    " WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()"
                    " AND c.table_name = ? ORDER BY k.ordinal_position",
                    [table],
                )
            else:
                rows = self.rows("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table])
            found = self._keys[table] = [name for (name,) in rows]
        return found

    @contextmanager
    def _bulk(self, cur: Cursor, tables: list[str]):
        """SQLite, around the replacement of whole tables: a large page cache, and the tables'
        secondary indexes dropped and built again after the rows (one sort, not millions of random
        B-tree inserts), inside the same transaction. PostgreSQL needs neither: `COPY` loads it."""
        if self.postgresql:
            yield
            return
        marks = ", ".join("?" for _ in tables)
        indexes = cur.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"
            " ORDER BY name",
            tables,
        ).fetchall()
        (cache,) = cur.execute("PRAGMA cache_size").fetchone()
        cur.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            yield
            for _, sql in indexes:
                cur.execute(sql)
        finally:
            cur.execute(f"PRAGMA cache_size = {int(cache)}")

    def _write_frame(self, cur: Cursor, table: str, frame: pl.DataFrame) -> None:
        """A frame's rows (the columns the table has) in primary-key order, so the key's B-tree is
        appended to, not inserted into at random; bound a column at a time (`operational_frames`)
        unless a column needs Python's conversion (a list). In slices: a national demo's millions
        of assessments never become Python tuples at once."""
        columns = [c for c in self.columns(table) if c[0] in frame.columns]
        names = [name for name, _ in columns]
        frame = frame.select(names)
        key = self.primary_key(table)
        if frame.height > 1 and key and set(key) <= set(names):
            frame = frame.sort(key)
        bound = operational_frames.bound(frame, dict(columns), self.postgresql)
        if bound is None:
            for part in frame.iter_slices(INSERT_SLICE_ROWS):
                self._insert(cur, table, columns, part.rows())
            return
        if table not in TABLES:
            raise ValueError(f"{table} is not an operational table")
        if bound.height:
            cur.insert_bound(table, names, chain.from_iterable(p.rows() for p in bound.iter_slices(INSERT_SLICE_ROWS)))
            self._continue_identity(cur, table, columns)

    def adopt(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        """Rows of a table that used to live in the DuckDB file (migration 018 moves them here); a row
        whose key is already here is left as it is."""
        if not rows:
            return
        kinds = dict(self.columns(table))
        with self.transaction() as cur:
            self._insert(cur, table, [(c, kinds.get(c, "TEXT")) for c in columns], rows, keep_existing=True)

    def _insert(self, cur: Cursor, table: str, columns: list[tuple[str, str]], rows, keep_existing=False) -> None:
        if table not in TABLES:
            raise ValueError(f"{table} is not an operational table")
        names = ", ".join(f'"{name}"' for name, _ in columns)
        marks = ", ".join("?" for _ in columns)
        conflict = " ON CONFLICT DO NOTHING" if keep_existing else ""
        booleans = [i for i, (_, kind) in enumerate(columns) if kind == "BOOLEAN"]
        if self.postgresql and booleans:  # SQLite's 0/1 as PostgreSQL's booleans
            rows = [tuple(bool(v) if i in booleans and v is not None else v for i, v in enumerate(r)) for r in rows]
        integers = [i for i, (_, kind) in enumerate(columns) if kind == "INTEGER"]
        copied = [_copy_row(r, integers) for r in rows] if self.postgresql and not keep_existing else [None]
        if None not in copied:  # a restore's rows on PostgreSQL: COPY, ten times an executemany's speed
            cur.insert_bound(table, [name for name, _ in columns], copied)
        else:
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}){conflict}", rows)
        self._continue_identity(cur, table, columns)

    def _continue_identity(self, cur: Cursor, table: str, columns: list[tuple[str, str]]) -> None:
        if self.postgresql:  # explicit ids: the identity must continue after the largest
            for name, _ in columns:
                found = cur.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name = ? AND column_name = ? AND is_identity = 'YES'",
                    [table, name],
                ).fetchone()
                if found:
                    cur.execute(
                        f'SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max("{name}"), 0) + 1, false)'
                        f" FROM {table}",
                        [table, name],
                    )

    def versions(self) -> dict[str, int]:
        """Each operational table's version, in one read: it changes whenever any process commits a
        change to that table (and only then), so cached reads of a table are keyed on it. A table's
        version is the commit counter's value of the last transaction that changed it."""
        return dict(self.rows("SELECT table_name, version FROM datablik_table_version"))

    # -- reads ------------------------------------------------------------------------
    def rows(self, sql: str, params: Sequence | Mapping | None = None) -> list[tuple]:
        """The rows of one read in portable SQL (`?` or `$name` placeholders)."""
        with self._borrow() as con:
            cur = Cursor(con.cursor(), self.postgresql)
            try:
                return cur.execute(sql, params).fetchall()
            finally:
                cur.close()

    def read(self, sql: str, params: dict) -> pl.DataFrame:
        """A read as a frame; PostgreSQL's booleans come as SQLite's 0/1, so both give the same frame."""
        with self._borrow() as con:
            cur = Cursor(con.cursor(), self.postgresql)
            try:
                cur.execute(sql, params)
                columns = [d[0] for d in cur.description]
                rows = cur.fetchall()
            finally:
                cur.close()
        if self.postgresql and rows:
            rows = [tuple(int(v) if isinstance(v, bool) else v for v in r) for r in rows]
        return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)

    def frame(self, table: str, version: int | None = None) -> pl.DataFrame:
        """A whole table as the relation DuckDB joins with the analytical tables: the same columns and
        types on both backends (timestamps, dates, times, booleans and lists typed), even when empty.
        With the table's version (`versions()[table]`), the frame is kept until the next commit that
        changes the table, so the reads between two edits of it convert it once (frames are
        immutable: shared by every thread)."""
        if table not in TABLES:
            raise ValueError(f"{table} is not an operational table")
        if version is None:
            return self._read_frame(table)
        with self._lock:
            kept = self._frames.get(table)
        if kept is not None and kept[0] == version:
            return kept[1]
        frame = self._read_frame(table)
        with self._lock:
            self._frames[table] = (version, frame)
        return frame

    def pupil_frame(
        self, table: str, version: int, pupils: Hashable, keys: Callable[[], Sequence[str]]
    ) -> pl.DataFrame:
        """`frame` of one of the team's pupil tables, but only the rows of the given pupils (every school
        year): what a query of one school joins, so that its cost after a commit follows the school,
        not the store. `version` is the table's; `pupils` names the set (the school and the analytical
        store's version); `keys` lists its pupils' keys, asked only when the frame is not kept for this version."""
        if table not in PUPIL_WORK_TABLES:
            raise ValueError(f"{table} is not one of the team's pupil tables")
        with self._lock:
            kept = self._pupil_frames.get((table, pupils))
            if kept is not None:
                self._pupil_frames.move_to_end((table, pupils))
        if kept is not None and kept[0] == version:
            return kept[1]
        frame = self._to_frame(table, self._pupil_rows(table, sorted(set(keys()))))
        with self._lock:
            self._pupil_frames[(table, pupils)] = (version, frame)
            self._pupil_frames.move_to_end((table, pupils))
            while len(self._pupil_frames) > PUPIL_FRAMES_KEPT:
                self._pupil_frames.popitem(last=False)
        return frame

    def _pupil_rows(self, table: str, keys: list[str]) -> list[tuple]:
        """The rows of these pupils, through the (school_year, student_key) index: the table's school
        years found by index seeks, then each year's rows in chunks of keys; one snapshot."""
        if not keys:
            return []
        select = self._select(table)
        found: list[tuple] = []
        with self._borrow() as con:
            raw = con.cursor()
            cur = Cursor(raw, self.postgresql)
            try:
                cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.postgresql else "BEGIN")
                years = []
                year = cur.execute(f"SELECT school_year FROM {table} ORDER BY school_year LIMIT 1").fetchone()
                while year is not None:
                    years.append(year[0])
                    year = cur.execute(
                        f"SELECT school_year FROM {table} WHERE school_year > ? ORDER BY school_year LIMIT 1", [year[0]]
                    ).fetchone()
                for year in years:
                    for start in range(0, len(keys), PUPIL_KEYS_PER_READ):
                        chunk = keys[start : start + PUPIL_KEYS_PER_READ]
                        marks = ", ".join("?" for _ in chunk)
                        found += cur.execute(
                            f"SELECT {select} FROM {table} WHERE school_year = ? AND student_key IN ({marks})",
                            [year, *chunk],
                        ).fetchall()
                cur.execute("COMMIT")
            except BaseException:
                _rollback(con, self.postgresql)
                raise
            finally:
                raw.close()
        self.pupil_rows_read += len(found)
        return found

    def _select(self, table: str) -> str:
        return ", ".join(f'CAST("{n}" AS INTEGER)' if k == "BOOLEAN" else f'"{n}"' for n, k in self.columns(table))

    def _read_frame(self, table: str) -> pl.DataFrame:
        rows = self.rows(f"SELECT {self._select(table)} FROM {table}")
        self.whole_rows_read += len(rows)
        return self._to_frame(table, rows)

    def _to_frame(self, table: str, rows: list[tuple]) -> pl.DataFrame:
        """Rows as the typed frame DuckDB joins, built a column at a time (not row by row)."""
        columns = self.columns(table)
        values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
        frame = pl.DataFrame(
            [pl.Series(n, v, dtype=_TYPES.get(k, pl.Utf8)) for (n, k), v in zip(columns, values, strict=True)]
        )
        return frame.with_columns(_PARSE[k](n) for n, k in columns if k in _PARSE)

    def dump(self) -> dict[str, tuple[list[str], list[tuple]]]:
        """Every operational table's columns and rows as stored, from one consistent snapshot (a backup)."""
        tables = self.ordered_tables()
        with self._borrow() as con:
            raw = con.cursor()
            cur = Cursor(raw, self.postgresql)
            try:
                cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.postgresql else "BEGIN")
                found = {}
                for table in tables:
                    cur.execute(f"SELECT * FROM {table}")
                    found[table] = ([d[0] for d in cur.description], cur.fetchall())
                cur.execute("COMMIT")
            except BaseException:
                _rollback(con, self.postgresql)
                raise
            finally:
                raw.close()
        return found

    def load(self, dumped: dict[str, tuple[list[str], list[tuple]]]) -> None:
        """Fill an empty store with `dump`'s rows, in one transaction (a restore); refused in Danish
        when any operational table here holds rows already, so nothing is overwritten."""
        ordered = self.ordered_tables()
        with self.transaction() as cur:
            cur.touch(*TABLES)
            for table in ordered:
                if cur.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                    raise OperationalStoreError(
                        f"Driftsdatabasen har allerede data ({table}); genskab til en tom driftsdatabase, "
                        "så intet overskrives."
                    )
            for table in ordered:
                if table in dumped and dumped[table][1]:
                    names, rows = dumped[table]
                    kinds = dict(self.columns(table))
                    self._insert(cur, table, [(c, kinds.get(c, "TEXT")) for c in names], rows)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _rollback(con, postgresql: bool) -> None:
    try:
        if postgresql:
            if con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                con.execute("ROLLBACK")
        elif con.in_transaction:
            con.execute("ROLLBACK")
    except DatabaseError:  # a failed COMMIT or a lost connection has already ended it
        pass


def _statements(sql: str) -> list[str]:
    """A migration's statements (no semicolon or `--` inside a string or a comment in these files)."""
    body = "\n".join(re.sub(r"--.*$", "", line) for line in sql.splitlines())
    return [s.strip() for s in body.split(";") if s.strip()]


_stores: dict[str, OperationalStore] = {}
_stores_lock = threading.Lock()


class _Replacement:
    """The thread behind `OperationalStore.replacing`: it holds the one transaction, empties the tables
    and writes the frames handed to it, in order. After a failed write it keeps taking frames (and drops
    them), so the caller never waits on a queue nobody reads."""

    _COMMIT, _ABORT = object(), object()

    def __init__(self, store: OperationalStore, tables: list[str]):
        self._store, self._tables = store, tables
        self._queue: queue.Queue = queue.Queue(maxsize=2)  # the caller waits rather than hold every frame
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="datablik-ops-replacement", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        ended = False  # the caller's last word (commit or abort) has been taken
        try:
            with self._store.transaction() as cur, self._store._bulk(cur, self._tables):
                cur.touch(*TABLES)
                for table in reversed(self._tables):
                    cur.execute(f"DELETE FROM {table}")
                while True:
                    frames = self._queue.get()
                    ended = frames is self._COMMIT or frames is self._ABORT
                    if frames is self._ABORT:
                        raise _Abandoned
                    if ended:
                        break
                    for table in (t for t in self._tables if t in frames):
                        self._store._write_frame(cur, table, frames[table])
        except _Abandoned:
            return
        except BaseException as exc:  # handed to the caller; the transaction has rolled back
            self._error = exc
            while not ended:
                last = self._queue.get()
                ended = last is self._COMMIT or last is self._ABORT

    def write(self, frames: Mapping[str, pl.DataFrame]) -> None:
        unknown = set(frames) - set(self._tables)
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not among the tables being replaced")
        if self._error is not None:
            raise self._error
        self._queue.put(dict(frames))

    def finish(self, commit: bool) -> None:
        self._queue.put(self._COMMIT if commit else self._ABORT)
        self._thread.join()
        if commit and self._error is not None:
            raise self._error


class _Abandoned(Exception):
    """The caller's block raised: the replacement's transaction rolls back."""


def for_store(store_path: Path) -> OperationalStore:
    """The process's one operational store object for a DuckDB store: the PostgreSQL database of
    $DATABLIK_OPS_URL when it is set (shared by every store), else the SQLite file beside the store."""
    url = configured_url()
    key = f"url:{url}" if url else str(path_for(store_path).resolve())
    with _stores_lock:
        if key not in _stores:
            _stores[key] = OperationalStore(url=url) if url else OperationalStore(path_for(store_path).resolve())
        return _stores[key]


def epoch() -> float:
    return time.time()
