"""First start: build the demo store when there is no store yet, with a progress bar."""
from __future__ import annotations

import threading

import streamlit as st

from data import demo, store, users

_build_lock = threading.Lock()


def ensure_store() -> None:
    path = store.store_path()
    if path.exists():
        return
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
