"""Opening the store and bringing its schema up to date.

The store is one DuckDB file. Its schema is the ordered list of files in data/migrations/;
`schema_version` records which have run, so a store built today opens after tomorrow's change.
What is written while people work lives beside it in the operational store
(data/operational_store.py), which several server processes share.

Several server processes open the DuckDB file read-only (DATABLIK_READ_ONLY=1). DuckDB then lets
no process write it, so the command line writes a new version instead (`writable`, `new_version`):
a copy beside it, changed and checkpointed, then renamed over the store's name in one step. Each
serving process notices the new file (its identity, checked on every query) and opens it
(`open_version`) without a restart; queries already running finish on the old one.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
        raise StoreError(
            f"Databasen er fra en nyere udgave af Datablik (skemaversion {schema_version(con)}, "
            f"denne udgave kender til {known}). Opdater programmet."
        )


MOVED_TO_OPERATIONAL = 18  # the first migration that drops tables data/operational_store.py now keeps
MOVES = {
    18: ("login_session", "login_failure", "audit_log"),
    19: ("talk", "talk_participant", "agenda_item", "note", "agreement", "minutes_version", "minutes_approval"),
    21: (
        "effort",
        "school_event",
        "participation_target",
        "participation_target_history",
        "school_project",
        "project_criterion",
        "competence_area",
    ),
    23: ("leaps_course", "import_archive_leaps_course"),
    24: (
        "pupil_assessment",
        "triangle_placement",
        "triangle_note",
        "import_archive_pupil_assessment",
        "import_archive_triangle_placement",
        "import_archive_triangle_note",
    ),
}


def migrate(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> list[int]:
    """Apply the migrations the store has not seen yet, each in its own transaction. Before the one
    that moves the login and audit tables out, their rows are copied to the operational store of
    `path` (the store file; without one, of the store this connection has open)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    check_version(con)
    done = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, migration in migrations():
        if version in done:
            continue
        if version in MOVES:
            _move_to_operational(con, path, MOVES[version])
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, migration.name, datetime.now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _move_to_operational(con: duckdb.DuckDBPyConnection, path: Path | None, names: tuple[str, ...]) -> None:
    from data import operational_store

    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    moving = [t for t in names if t in tables]
    if not moving or not any(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in moving):
        return
    ops = operational_store.for_store(path or database_file(con))
    for table in moving:
        result = con.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in result.description]
        rows = [
            tuple(_operational_value(table, c, v) for c, v in zip(columns, row, strict=True))
            for row in result.fetchall()
        ]
        ops.adopt(table, columns, rows)


def _operational_value(table: str, column: str, value):
    """DuckDB values as the operational store keeps them: timestamps as epoch seconds in the login tables,
    else ISO text (its sqlite3 adapters, data/operational_store.py, turn dates and times into ISO text)."""
    if isinstance(value, datetime) and table in ("login_session", "login_failure"):
        return value.timestamp()
    return value


def database_file(con: duckdb.DuckDBPyConnection) -> Path:
    """The file a connection has open."""
    # fetchall, not fetchone: a half-read result would block the caller's next statement on `con`
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(rows[0][0])


NEXT_VERSION = ".next-"  # a new version of a store being written: <store>.next-<hex>, see `new_version`
READING = ".reading-"  # a moment's hard link a serving process opens a version by, see `open_version`


def live_path(file: Path) -> Path:
    """The store a file is a version of (itself, a `.next-` copy that will replace it, or a reader's link)."""
    file = Path(file)
    name = file.name.split(NEXT_VERSION)[0].split(READING)[0]
    return file.with_name(name)


def identity(path: Path) -> tuple[int, int] | None:
    """Which file a store's name points at now (device, inode); None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def open_version(path: Path) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
    """Open, read-only, the version a store's name points at now, and say which file that is.

    DuckDB keeps one database per path in a process, so a second open of the same name would hand
    back the old version while the old connection lives (queries may still run on it). The file is
    therefore opened through a hard link of its own name, which also pins down exactly which file
    was opened; the link is removed at once (the open file stays)."""
    path = Path(path)
    link = path.with_name(f"{path.name}{READING}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    os.link(path, link)
    try:
        st = os.stat(link)
        con = connect(link, read_only=True)
    finally:
        link.unlink(missing_ok=True)
    return con, (st.st_dev, st.st_ino)


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """One writer of new versions at a time (two imports would otherwise each copy the same version)."""
    with open(f"{path}.writer-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def new_version(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the store; when the block ends without an error and the copy's data version
    changed, the copy replaces the store in one rename (readers never see half of it). Only while no
    process writes the store (readers only: the file is then complete as it lies)."""
    path = Path(path)
    private_files()
    with _writer_lock(path):
        copy = path.with_name(f"{path.name}{NEXT_VERSION}{uuid.uuid4().hex[:12]}")
        shutil.copyfile(path, copy)
        con = None
        try:
            con = connect(copy)
            before = get_info(con, "data_version")
            yield con
            changed = get_info(con, "data_version") != before
            con.close()
            con = None
            if changed:
                with open(copy, "rb") as f:
                    os.fsync(f.fileno())
                os.replace(copy, path)
                folder = os.open(path.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
        finally:
            if con is not None:
                con.close()
            for leftover in (copy, Path(f"{copy}.wal")):
                leftover.unlink(missing_ok=True)


@contextmanager
def writable(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store opened for writing by the command line: the file itself when no process has it open;
    a new version (`new_version`) while serving processes have it open read-only; refused (StoreHeld)
    while a process writes it."""
    path = Path(path)
    try:
        con = connect(path)
    except StoreHeld:
        if held_by(path) is not None:  # a writer: not even a reader may open it
            raise
        with new_version(path) as con:
            yield con
        return
    try:
        yield con
    finally:
        con.close()


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.CatalogException:
        return 0
    return row[0] or 0


PRIVATE_UMASK = 0o077  # files 0600, folders 0700


def private_files() -> None:
    """Every file this process creates from now on is readable by its owner only.

    DuckDB creates the store's write-ahead log (`.wal`) whenever a write follows a checkpoint,
    long after the store was opened, so only the process's umask covers it; `connect` sets it."""
    os.umask(PRIVATE_UMASK)


def make_private(path: Path) -> None:
    """chmod 0600 on a store file and its WAL (a store made before the umask rule, or copied in)."""
    for f in (Path(path), Path(f"{path}.wal")):
        try:
            if f.exists() and f.stat().st_mode & 0o077:
                f.chmod(0o600)
        except PermissionError:  # someone else's file: DuckDB opened it, so it is readable; leave it
            pass


def private_folder(folder: Path) -> None:
    """Create a folder (and missing parents) as 0700; an existing folder is left as it is."""
    folder = Path(folder)
    if folder.exists():
        return
    private_folder(folder.parent)
    folder.mkdir(mode=0o700)


class StoreHeld(StoreError):
    """The store is locked by another process. `holder` names it in Danish (with its PID)."""

    def __init__(self, path: Path, holder: str, by_app: bool, advice: str | None = None):
        self.path, self.holder, self.by_app = Path(path), holder, by_app
        advice = advice or ("stop appen, og prøv igen" if by_app else "vent, til den er færdig, og prøv igen")
        super().__init__(f"Databasen {self.path.name} bruges af {holder}; {advice}.")

    def advise(self, advice: str) -> StoreHeld:
        """The same refusal with what to do instead (the command line knows the app's way)."""
        return StoreHeld(self.path, self.holder, self.by_app, advice)


def _holder(message: str) -> tuple[str, bool]:
    """Who holds the lock, from DuckDB's error ('... is held in /usr/bin/python3 (PID 123) ...')."""
    found = re.search(r"\(PID (\d+)\)", message)
    if not found:
        return "et andet program", False
    pid = int(found.group(1))
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        words = []
    command = " ".join(w for w in words if w)
    if "streamlit" in command:
        return f"Datablik-appen (streamlit, proces {pid})", True
    found_cli = re.search(r"-m data(?: --path \S+)? (\w+)", command)
    if found_cli:
        return f"kommandoen python -m data {found_cli.group(1)} (proces {pid})", False
    name = Path(words[0]).name if words else "et andet program"
    return f"{name} (proces {pid})", False


def corrupt_message(name: str = "") -> str:
    """What a user reads when the store's file (or one of its blocks) cannot be read."""
    return (
        f"Databasen {name} kan ikke læses; den kan være beskadiget. Genskab den fra en sikkerhedskopi "
        "med: python -m data restore MAPPE (den dataansvarlige kan gøre det)."
    ).replace("Databasen  ", "Databasen ")


def is_corruption(exc: BaseException) -> bool:
    """Whether a DuckDB error means damaged storage (a block whose checksum fails) rather than a bad query."""
    text = str(exc).lower()
    return "corrupt" in text or "checksum" in text


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store; a writable open also migrates it. A new store is created 0600 (its folder
    0700), and from then on this process creates private files only (`private_files`)."""
    path = Path(path or store_path())
    if not read_only:
        private_files()
        if not path.exists():
            private_folder(path.parent)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            holder, by_app = _holder(str(exc))
            raise StoreHeld(path, holder, by_app) from exc
        if read_only and not path.exists():
            raise StoreError(f"Der findes ingen database i {path}. Opret en med: python -m data init") from exc
        raise StoreError(corrupt_message(path.name)) from exc
    except duckdb.Error as exc:
        raise StoreError(corrupt_message(path.name)) from exc
    make_private(path)
    from data.reference import settings

    con.execute(f"SET memory_limit = '{settings()['duckdb']['memory_limit']}'")
    if read_only:
        check_version(con)
    else:
        migrate(con, path)
    return con


def held_by(path: Path) -> StoreHeld | None:
    """Whether another process holds the store, without opening it for longer than a moment."""
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            holder, by_app = _holder(str(exc))
            return StoreHeld(path, holder, by_app)
    except duckdb.Error:
        return None
    return None


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


_bumps = [0]  # data versions this process has written; a runner's remembered version is void after one


def bumps() -> int:
    return _bumps[0]


def bump_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Every write that changes figures calls this; query caches are keyed on it."""
    _bumps[0] += 1
    version = uuid.uuid4().hex
    set_info(con, "data_version", version)
    return version


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    return get_info(con, "demo") == "true"
