"""The Data screen's backup: a consistent copy of the store taken by the running app through its own
connection (the command line cannot open a store the app holds), into the backup folder on the
server, from which `python -m data restore` builds a new store."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import streamlit as st

from components.screen import guarded
from data import backup, operational_store, store
from queries.runner import Runner


def backup_folder() -> Path:
    """$DATABLIK_BACKUPS, else a `backups` folder beside the store."""
    configured = os.environ.get("DATABLIK_BACKUPS")
    return Path(configured) if configured else store.store_path().resolve().parent / "backups"


def take_backup(runner: Runner, username: str, folder: Path | None = None) -> Path:
    """Export the store through the app's connection (one transaction: a consistent snapshot even
    while others write) into a new folder under `folder`; audited. Returns the new folder."""
    cur = runner.import_cursor()
    try:
        target = backup.export(cur, Path(folder or backup_folder()))
    finally:
        cur.close()
    runner.audit(username, "sikkerhedskopi", str(target))
    return target


@guarded
def backup_section(runner: Runner, username: str) -> None:
    folder = backup_folder()
    st.caption(
        f"En sikkerhedskopi tages, mens appen kører, og gemmes på serveren i {folder} "
        "(kun læsbar for den bruger, appen kører som)."
    )
    st.caption(backup.contents_text())
    if st.button("Tag sikkerhedskopi nu", key="backup_go"):
        try:
            with st.spinner("Tager sikkerhedskopi …"):
                target = take_backup(runner, username, folder)
        except OSError as problem:
            st.error(f"Sikkerhedskopien kunne ikke gemmes i {folder}: {problem.strerror or problem}.")
            return
        except operational_store.OperationalStoreError as problem:  # PostgreSQL cannot be reached
            st.error(f"Sikkerhedskopien kunne ikke tages: {problem}")
            return
        except duckdb.Error:
            st.error(f"Sikkerhedskopien kunne ikke tages (er der plads i {folder}?); databasen er uændret.")
            return
        st.success(f"Sikkerhedskopien er gemt i {target}.")
        st.markdown("Genskab den til en ny databasefil (aldrig over den, appen bruger):")
        st.code(f"python -m data --path NY.duckdb restore {target}", language="bash")
