"""Charts reach the page through components/charts.draw: no Streamlit altair_chart (one process-wide
lock with schema validation per chart, which queued every session's charts under load), and still
validated against Vega-Lite's schema whenever the tests run."""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import jsonschema
import polars as pl
import pyarrow as pa
import pytest

from components import charts

ROOT = Path(__file__).resolve().parents[1]


def test_draw_hands_streamlit_the_vega_lite_spec_with_its_data(monkeypatch):
    seen = []
    monkeypatch.setattr(charts.st, "vega_lite_chart", lambda **kwargs: seen.append(kwargs))
    frame = pl.DataFrame(
        {
            "Skoleår": ["2023/24", "2024/25"] * 3,
            "Serie": ["Skolen"] * 2 + ["Kommunen"] * 2 + ["Landet"] * 2,
            "Værdi": [3.8, 3.9, 3.7, 3.8, 3.75, 3.8],
        }
    )
    charts.draw(charts.trend(frame, "Værdi", "Trivsel", 1))
    [call] = seen
    spec = call["spec"]
    assert call["width"] == "stretch" and spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    [data] = spec["datasets"].values()  # as Arrow bytes, so Streamlit does not convert the rows each run
    rows = pa.ipc.open_stream(data).read_all().to_pylist()
    assert sorted(r["Værdi"] for r in rows) == sorted(frame["Værdi"].to_list())
    assert "width" not in spec.get("config", {}).get("view", {})  # Altair's default theme stays out


def test_under_the_tests_a_chart_vega_lite_would_reject_fails(monkeypatch):
    monkeypatch.setattr(charts.st, "vega_lite_chart", lambda **kwargs: None)
    broken = alt.Chart(pl.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q")
    broken.mark = "no-such-mark"  # attribute assignment is not validated; the conversion is
    with pytest.raises((jsonschema.ValidationError, alt.utils.schemapi.SchemaValidationError)):
        charts.draw(broken)


def test_no_screen_calls_altair_chart_directly():
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("components", "views")
        for p in (ROOT / folder).rglob("*.py")
        if re.search(r"\bst\.altair_chart\(", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _socio(schools: int, deviating: dict[int, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Skole": [f"Skole {i}" for i in range(schools)],
            "Forventet": [6.0 + i / 100 for i in range(schools)],
            "Faktisk": [6.1 + i / 100 for i in range(schools)],
            "Vurdering": [deviating.get(i, "På niveau") for i in range(schools)],
        }
    )


def _named_and_drawn(data: pl.DataFrame) -> tuple[list[str], int]:
    spec = charts.spec(charts.socio_reference(data))
    rows = {}
    for layer in spec["layer"]:
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        rows[mark] = spec["datasets"][layer["data"]["name"]]
    return sorted(r["Skole"] for r in rows["text"]), len(rows["point"])


def test_the_socio_economic_chart_of_many_schools_names_only_those_over_or_under_their_level():
    named, drawn = _named_and_drawn(_socio(132, {3: "Over niveau", 40: "Under niveau"}))
    assert named == ["Skole 3", "Skole 40"] and drawn == 132  # every school still has its point
    named, drawn = _named_and_drawn(_socio(7, {3: "Over niveau"}))
    assert len(named) == 7 and drawn == 7  # a small municipality: every school named
