"""The one way a screen shows a table: `dataframe(...)`, st.dataframe with polars frames handed over
as Arrow tables. Given a polars frame, Streamlit converts it with polars' own to_pandas, which
deadlocked the whole server (health endpoint included) when several sessions converted frames at
once (py-spy: every thread waiting for the GIL inside to_pandas); an Arrow table it serialises
directly. tests/test_tables.py keeps st.dataframe out of every other module."""

from __future__ import annotations

import polars as pl
import streamlit as st


def dataframe(data, **kwargs):
    """st.dataframe; a polars frame goes over as Arrow (see the module's docstring)."""
    if isinstance(data, pl.DataFrame):
        data = data.to_arrow()
    return st.dataframe(data, **kwargs)
