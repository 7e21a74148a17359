"""First start: build the demo store when there is no store yet, with a progress bar; at a
configured path, say how to make the municipality's own store instead."""
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
        st.title("Datablik: ingen database endnu")
        st.warning(f"Der er ingen database i {path} (DATABLIK_DB). Datablik lægger aldrig demodata der. "
                   "Dataansvarlig opretter den på serveren, med samme DATABLIK_DB, på én af disse måder, "
                   "og genindlæser så siden:")
        st.markdown("**Kommunens egen database** (tom; derefter brugere, hemmeligheder og import):")
        st.code("python -m data init\npython -m data users add NAVN --role admin\npython -m data secrets",
                language="bash")
        st.markdown("**Fra en sikkerhedskopi:**")
        st.code("python -m data restore MAPPE", language="bash")
        st.markdown("**En demokommune med fiktive tal:**")
        st.code("python -m data demo", language="bash")
        st.caption("Står DATABLIK_DB forkert, så ret den og genstart appen.")
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
