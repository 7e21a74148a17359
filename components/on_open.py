"""What is hidden until the user opens it is built only then: the one way a screen makes a lazy
expander (`expander`) or lazy tabs (`tabs`).

Streamlit builds a closed expander's and a hidden tab's contents on every run unless they track
their open state (`on_change="rerun"`, which needs a key): opening one then reruns the screen (or
the fragment it is in) and only the open part is built. A closed table under a chart cost its Arrow
conversion and its two download buttons on every run."""

from __future__ import annotations

import hashlib

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer
from streamlit.errors import StreamlitDuplicateElementKey

KEY_PREFIX = "open_"  # every lazy expander's key starts with it (tests open them by it)


def expander(label: str, *identity: object) -> ExpanderContainer | None:
    """An expander whose contents are built only while it is open: the container when it is open,
    None when it is closed.

        if (box := on_open.expander("Vis som tabel", source)) is not None:
            with box:
                ...

    `identity` (with the label) names it across runs, so it stays open on a rerun; two expanders
    with the same label and identity on one run get the next free key."""
    base = KEY_PREFIX + hashlib.blake2b("\x1f".join(map(str, (label, *identity))).encode(), digest_size=6).hexdigest()
    for attempt in range(100):
        try:
            box = st.expander(label, key=base if attempt == 0 else f"{base}_{attempt}", on_change="rerun")
        except StreamlitDuplicateElementKey:
            continue
        return box if box.open else None
    raise RuntimeError(f"more than 100 expanders named {label!r} with the same identity on one run")


def tab(labels: list[str], key: str) -> tuple[str, DeltaGenerator]:
    """Tabs of which only the open one is built: (its label, the tab). Choosing another tab reruns
    the screen (or the fragment it is in)."""
    shown = st.tabs(labels, key=key, on_change="rerun")
    return next(((label, t) for label, t in zip(labels, shown, strict=True) if t.open), (labels[0], shown[0]))
