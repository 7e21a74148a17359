"""First start: build the demo store when there is no store yet, with a progress bar."""
from __future__ import annotations

import os
import threading

import streamlit as st

from data import demo, store, users

_build_lock = threading.Lock()


def ensure_store() -> None:
    """Build the demo store on first start, but only at the default path: a configured
    DATABLIK_DB that is missing is an error to report, not a place to put fictional data."""
    path = store.store_path()
    if path.exists():
        return
    if os.environ.get("DATABLIK_DB"):
        st.error(f"Databasen {path} findes ikke. Sæt DATABLIK_DB til den rigtige fil, genskab den fra en "
                 "sikkerhedskopi (python -m data restore MAPPE), eller byg en demo (python -m data demo).")
        st.stop()
    with _build_lock:  # two first visitors must not both build
        if path.exists():
            return
        notice = st.empty()
        with notice.container():
            st.info("Der er ingen database endnu, så Datablik bygger en demokommune med fiktive tal. "
                    "Det tager et øjeblik.")
            bar = st.progress(0.0, text="Bygger demodata …")
        demo.build(path, progress=lambda share, text: bar.progress(share, text=f"Bygger demodata: {text}"))
        users.write_demo_users(path)
        notice.empty()
