"""The one way a screen shows a table: `dataframe(...)`, st.dataframe with polars frames handed over
as Arrow tables. Given a polars frame, Streamlit converts it with polars' own to_pandas, which
deadlocked the whole server (health endpoint included) when several sessions converted frames at
once (py-spy: every thread waiting for the GIL inside to_pandas); an Arrow table it serialises
directly. tests/test_tables.py keeps st.dataframe out of every other module.

A missing value is an empty cell: without a placeholder Streamlit draws it as "None" (English, greyed),
which no DOM scan sees (the table is a canvas)."""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict

import pandas as pd
import polars as pl
import streamlit as st

MISSING = ""  # what a table shows for a missing value (see the module's docstring)


def dataframe(data, **kwargs):
    """st.dataframe; a polars frame goes over as Arrow, a missing value shows as an empty cell."""
    if isinstance(data, pl.DataFrame):
        data = data.to_arrow()
    return st.dataframe(data, placeholder=MISSING, **kwargs)


# -- coloured cells --------------------------------------------------------------------------------
# A pandas Styler is the only way Streamlit colours a cell, and st.dataframe recomputes and translates
# it to CSS on every run (about 35 ms for Kommune's 14 x 7 cells, the table of 48 schools far more).
# The same text and colours give the same CSS: each pair is styled once and kept, translated, so a
# rerun or another user on the same figures only serialises the text.
COLOURED_CACHE_SIZE = 256
_coloured: OrderedDict[str, object] = OrderedDict()
_coloured_lock = threading.Lock()


def coloured(text: pd.DataFrame, colours: pd.DataFrame):
    """The table `text` (strings, as shown) with each cell in the colour (bold) of the same cell of `colours` ("" is
    none), for `dataframe`. Kept per content: read it, do not change it."""
    key = hashlib.blake2b(
        pickle.dumps((list(text.columns), text.values.tolist(), colours.values.tolist())), digest_size=16
    ).hexdigest()
    with _coloured_lock:
        hit = _coloured.get(key)
        if hit is not None:
            _coloured.move_to_end(key)
            return hit
    css = colours.map(lambda c: f"color: {c}; font-weight: 700" if c else "")
    styler = text.style.apply(lambda _: css, axis=None).set_uuid(key[:12])
    styler._compute()  # what st.dataframe does on every call (pandas_styler_utils.marshall_styler) ...
    # Without the body's cells Streamlit sends the text as it is (its display values, one pandas
    # assignment per column, were most of the cost): the text is already what a cell shows.
    translated = {**styler._translate(False, False), "body": []}
    styler._compute = lambda: styler  # ... done once: the same styles for every later call
    styler._translate = lambda *args, **kwargs: translated
    with _coloured_lock:
        _coloured[key] = styler
        while len(_coloured) > COLOURED_CACHE_SIZE:
            _coloured.popitem(last=False)
    return styler
