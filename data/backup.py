"""Backup and restore with DuckDB's own EXPORT DATABASE / IMPORT DATABASE (schema + Parquet)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb


def backup(store_file: Path, folder: Path) -> Path:
    """Export the store into a new, time-stamped folder under `folder`."""
    target = folder / f"datablik-{datetime.now():%Y%m%d-%H%M%S}"
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(store_file), read_only=True)
    try:
        con.execute(f"EXPORT DATABASE '{_sql_path(target)}' (FORMAT parquet)")
    finally:
        con.close()
    return target


def restore(backup_folder: Path, store_file: Path) -> None:
    """Import a backup into a new store file; never over an existing store."""
    if store_file.exists():
        raise FileExistsError(f"{store_file} findes allerede; flyt den væk først, så intet overskrives.")
    if not (backup_folder / "schema.sql").exists():
        raise FileNotFoundError(f"{backup_folder} er ikke en Datablik-sikkerhedskopi (schema.sql mangler).")
    tmp = store_file.with_name(store_file.name + ".restoring")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"IMPORT DATABASE '{_sql_path(backup_folder)}'")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp.replace(store_file)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
