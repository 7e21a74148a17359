"""Backup and restore with DuckDB's own EXPORT DATABASE / IMPORT DATABASE (schema + Parquet).

`export` works on any open connection, so the running app takes a backup through its own
connection (the Data screen) while `python -m data backup` opens the store read-only. The export
runs in one transaction: one consistent snapshot even while other sessions write. The operational
store (login sessions, the audit log, the talks: data/operational_store.py) is copied beside it as
`operational.sqlite`, whichever backend holds it: SQLite's online backup of the file, or, with
PostgreSQL configured ($DATABLIK_OPS_URL), its tables' rows from one snapshot in a new SQLite store
of the same schema. A restore puts that file beside the new store, or, with PostgreSQL configured,
loads its rows into that database, only when its operational tables are empty (never over data).
Backups are private: the folders 0700, the files 0600.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import duckdb

from data import operational_store, store

PREFIX = "datablik-"
OPERATIONAL = "operational.sqlite"


def contents_text() -> str:
    """What a backup holds, in Danish (the Data screen says it beside the button)."""
    operational = (
        "samtaler, referater, aftaler, indsatser, mål, projekter, LEAPS-forløb, teamets elevvurderinger "
        "og læringstrekanter, logins og revisionsspor"
    )
    if operational_store.configured_url():
        return (
            f"Kopien rummer hele databasen og driftsdatabasens rækker ({operational}), "
            "hentet fra PostgreSQL-databasen i DATABLIK_OPS_URL som operational.sqlite. "
            "Brugerfilen og .streamlit/secrets.toml er ikke med."
        )
    return (
        f"Kopien rummer hele databasen og driftsdatabasen ({operational}). "
        "Brugerfilen og .streamlit/secrets.toml er ikke med."
    )


def export(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    """Export the store behind `con` into a new, time-stamped folder under `folder`; returns it.
    PostgreSQL's rows are read first: a server that cannot be reached leaves no half backup."""
    store.private_files()
    ops = operational_store.for_store(store.live_path(store.database_file(con)))
    dumped = ops.dump() if ops.postgresql else None
    folder = Path(folder)
    store.private_folder(folder)
    stamp = f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S}"
    target, n = folder / stamp, 1
    while target.exists():  # two backups in one second
        n += 1
        target = folder / f"{stamp}-{n}"
    target.mkdir(mode=0o700)
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute(f"EXPORT DATABASE '{_sql_path(target)}' (FORMAT parquet)")
        finally:
            cur.execute("COMMIT")
    finally:
        cur.close()
    if dumped is not None:
        copy = operational_store.OperationalStore(target / OPERATIONAL)
        try:
            copy.load(dumped)
            copy.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file, no -wal beside it
        finally:
            copy.close()
        for leftover in target.glob(OPERATIONAL + "-*"):
            leftover.unlink()
    else:
        copy = sqlite3.connect(str(target / OPERATIONAL))
        try:
            ops.connection().backup(copy)
        finally:
            copy.close()
    _make_private(target)
    return target


def backup(store_file: Path, folder: Path) -> Path:
    """Export a store that no other process holds (the command line)."""
    con = store.connect(Path(store_file), read_only=True)
    try:
        return export(con, folder)
    finally:
        con.close()


def is_backup(folder: Path) -> bool:
    return (Path(folder) / "schema.sql").is_file() and (Path(folder) / "load.sql").is_file()


def restore(backup_folder: Path, store_file: Path) -> None:
    """Import a backup into a new store file; never over an existing store."""
    backup_folder, store_file = Path(backup_folder), Path(store_file)
    if store_file.exists() or Path(f"{store_file}.wal").exists():
        raise FileExistsError(
            f"{store_file} findes allerede; genskab til en ny fil (--path NY.duckdb), så intet overskrives."
        )
    if not is_backup(backup_folder):
        inside = sorted(p for p in backup_folder.glob(f"{PREFIX}*") if is_backup(p)) if backup_folder.is_dir() else []
        hint = f" Den nyeste sikkerhedskopi i mappen er {inside[-1]}." if inside else ""
        raise FileNotFoundError(f"{backup_folder} er ikke en Datablik-sikkerhedskopi (schema.sql mangler).{hint}")
    operational = operational_store.path_for(store_file)
    postgresql = operational_store.configured_url() is not None
    if (backup_folder / OPERATIONAL).is_file() and operational.exists() and not postgresql:
        raise FileExistsError(
            f"{operational} findes allerede; genskab til en ny fil (--path NY.duckdb), så intet overskrives."
        )
    store.private_files()
    store.private_folder(store_file.parent)
    tmp = store_file.with_name(store_file.name + ".restoring")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"IMPORT DATABASE '{_sql_path(backup_folder)}'")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if postgresql and (backup_folder / OPERATIONAL).is_file():
        try:
            operational_store.for_store(store_file).load(_backed_up_rows(backup_folder / OPERATIONAL, tmp))
        except operational_store.OperationalStoreError as refused:
            tmp.unlink(missing_ok=True)
            raise FileExistsError(str(refused)) from None
    try:
        os.link(tmp, store_file)  # fails if a store appeared meanwhile: never overwritten
    except FileExistsError:
        raise FileExistsError(
            f"{store_file} findes allerede; genskab til en ny fil (--path NY.duckdb), så intet overskrives."
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    if (backup_folder / OPERATIONAL).is_file() and not postgresql:
        shutil.copyfile(backup_folder / OPERATIONAL, operational)
        operational.chmod(0o600)
    store.make_private(store_file)


def _backed_up_rows(backup_file: Path, beside: Path) -> dict:
    """The rows of a backup's operational.sqlite, read from a private copy (the backup stays as it
    was; an older backup's schema is migrated in the copy first)."""
    copy = beside.with_name(beside.name + ".ops.sqlite")
    shutil.copyfile(backup_file, copy)
    copy.chmod(0o600)
    ops = operational_store.OperationalStore(copy)
    try:
        return ops.dump()
    finally:
        ops.close()
        for path in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            path.unlink(missing_ok=True)


def _make_private(folder: Path) -> None:
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
