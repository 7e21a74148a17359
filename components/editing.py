"""Tables the user edits: `data_editor(...)`, the one way a screen shows st.data_editor (a missing value an
empty cell, as in components/tables).

The browser sends back every column of an edited table, the hidden key columns too, and a hostile
client can change them. So a row's key is never read from what comes back: an existing row is known
by its index in the frame the server built, an added row has no key (the server gives it one).
"""

from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from components.tables import MISSING


def data_editor(data: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """st.data_editor with missing values shown as empty cells, not Streamlit's "None"."""
    return st.data_editor(data, placeholder=MISSING, **kwargs)


def as_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """A pandas frame for st.data_editor or a Styler (which need pandas), converted through Arrow: polars'
    own to_pandas deadlocked the server when several sessions converted one cached frame at once."""
    return frame.to_arrow().to_pandas()


def trusted_keys(original: pd.DataFrame, edited: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """`edited` with its key columns taken from the server's `original` by row index (None for added rows)."""
    out = edited.copy()
    for key in keys:
        out[key] = pd.Series(
            [original.at[i, key] if i in original.index else None for i in out.index], index=out.index, dtype=object
        )  # None stays None (not NaN) for an added row
    return out
