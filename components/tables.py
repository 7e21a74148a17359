"""The one way a screen shows a table: `dataframe(...)`, st.dataframe with polars frames handed over
as Arrow tables. Given a polars frame, Streamlit converts it with polars' own to_pandas, which
deadlocked the whole server (health endpoint included) when several sessions converted frames at
once (py-spy: every thread waiting for the GIL inside to_pandas); an Arrow table it serialises
directly. tests/test_tables.py keeps st.dataframe out of every other module.

A missing value is an empty cell: without a placeholder Streamlit draws it as "None" (English, greyed),
which no DOM scan sees (the table is a canvas)."""

from __future__ import annotations

import polars as pl
import streamlit as st

MISSING = ""  # what a table shows for a missing value (see the module's docstring)


def dataframe(data, **kwargs):
    """st.dataframe; a polars frame goes over as Arrow, a missing value shows as an empty cell."""
    if isinstance(data, pl.DataFrame):
        data = data.to_arrow()
    return st.dataframe(data, placeholder=MISSING, **kwargs)
