"""Tables reach Streamlit as Arrow, never through polars' to_pandas (which deadlocked the server under
load): every screen shows tables through components/tables.dataframe."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pyarrow as pa

from components import tables

ROOT = Path(__file__).resolve().parents[1]


def test_a_polars_frame_is_handed_to_streamlit_as_an_arrow_table(monkeypatch):
    seen = []
    monkeypatch.setattr(tables.st, "dataframe", lambda data, **kwargs: seen.append((data, kwargs)))
    monkeypatch.setattr(pl.DataFrame, "to_pandas", lambda *a, **k: (_ for _ in ()).throw(AssertionError("to_pandas")))
    tables.dataframe(pl.DataFrame({"Skole": ["Ådalens Skole"], "Elever": [412]}), hide_index=True)
    [(data, kwargs)] = seen
    assert isinstance(data, pa.Table) and data.column_names == ["Skole", "Elever"]
    assert kwargs == {"hide_index": True, "placeholder": ""}


def test_no_screen_calls_st_dataframe_or_st_data_editor_directly():
    """tables.dataframe and editing.data_editor are the only ways (Arrow, and an empty cell for a missing
    value instead of Streamlit's "None")."""
    calls = re.compile(r"\b(?!tables\b|editing\b)\w+\.(dataframe|data_editor)\(")  # st. or a column's
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("components", "views")
        for p in (ROOT / folder).rglob("*.py")
        if p.name not in ("tables.py", "editing.py") and calls.search(p.read_text(encoding="utf-8"))
    ]
    offenders += ["app.py"] if calls.search((ROOT / "app.py").read_text(encoding="utf-8")) else []
    assert offenders == []
