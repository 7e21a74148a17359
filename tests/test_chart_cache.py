"""A chart's spec is built once for the figures it shows (components/charts.py, `lazy`): a rerun of a
screen, or another user on the same figures, builds no Altair chart; other figures build anew."""

from __future__ import annotations

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from components import charts
from tests.conftest import ROOT


@pytest.fixture
def builds(monkeypatch):
    """Every spec built from an Altair chart (a cache miss), counted, from an empty cache (the process's
    cache is shared with the tests before)."""
    seen: list[dict] = []
    monkeypatch.setattr(charts, "_specs", type(charts._specs)())
    original = charts.build_spec

    def counting(chart):
        seen.append(out := original(chart))
        return out

    monkeypatch.setattr(charts, "build_spec", counting)
    return seen


def _frame(school: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Skoleår": ["2023/24", "2024/25"] * 2,
            "Serie": ["Skolen"] * 2 + ["Kommunen"] * 2,
            "Gennemsnit": [3.8, school, 3.7, 3.75],
        }
    )


def test_the_same_figures_build_one_spec_and_other_figures_a_new_one(builds):
    first = charts.spec(charts.trend(_frame(3.9), "Gennemsnit", "Trivsel (1–5)", 2))
    again = charts.spec(charts.trend(_frame(3.9), "Gennemsnit", "Trivsel (1–5)", 2))  # a new, equal frame
    assert len(builds) == 1 and again is first
    changed = charts.spec(charts.trend(_frame(4.1), "Gennemsnit", "Trivsel (1–5)", 2))
    assert len(builds) == 2
    [rows] = changed["datasets"].values()
    assert 4.1 in [r["Gennemsnit"] for r in rows]
    charts.spec(charts.trend(_frame(4.1), "Gennemsnit", "Trivsel (1–5)", 1))  # another option: another spec
    charts.spec(charts.grouped_bars(_frame(4.1), "Skoleår", "Gennemsnit", "Trivsel (1–5)", 2))  # another kind
    assert len(builds) == 4


def test_a_rerun_of_a_screen_builds_no_chart_and_a_new_data_version_builds_anew(store_copy, builds):
    from data import store
    from queries import runner as runner_module

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input[0].input("leder")
    at.text_input[1].input("demo-leder")
    at.button[0].click()
    at.run()
    at.switch_page("views/fravaer.py")
    at.run()
    assert not at.exception and at.get("vega_lite_chart")
    assert builds, "the first run builds the screen's charts"
    drawn = [c.proto.spec for c in at.get("vega_lite_chart")]

    builds.clear()
    at.run()
    assert not at.exception and builds == []
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == drawn  # the same charts, from the cache

    # A write changes the figures and the data version (as an import does): the charts are built anew.
    con = runner_module.runner_for(store.store_path())._connection()
    con.execute("UPDATE absence_summary SET sum_weighted_pct = sum_weighted_pct * 2")
    store.bump_data_version(con)
    at.run()
    assert not at.exception and builds
    assert [c.proto.spec for c in at.get("vega_lite_chart")] != drawn


def test_only_the_open_breakdown_tab_is_built(demo_store, monkeypatch):
    from components import wellbeing_sections

    built: list[str] = []
    original = wellbeing_sections.breakdown
    monkeypatch.setattr(wellbeing_sections, "breakdown", lambda *args: built.append(args[-1]) or original(*args))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input[0].input("leder")
    at.text_input[1].input("demo-leder")
    at.button[0].click()
    at.run()
    at.switch_page("views/trivsel.py")
    at.run()
    assert not at.exception and built == ["Klassetrin"]  # the first tab, open; Køn and Klasse not built
    built.clear()
    at.session_state["wb_breakdown"] = "Køn"  # the user opens the tab Køn
    at.run()
    assert not at.exception and built == ["Køn"]


def open_tables(at: AppTest) -> list[str]:
    """Open every closed lazy expander of the last run, as a user clicking each one (components/on_open.py),
    and rerun: their contents are built now. The labels opened."""
    from streamlit.elements.lib.utils import user_key_from_element_id

    from components import on_open

    opened = []
    for box in at.expander:
        key = user_key_from_element_id(box.proto.id) if box.proto.id else None
        if key and key.startswith(on_open.KEY_PREFIX) and not at.session_state[key]:
            at.session_state[key] = True
            opened.append(box.label)
    at.run()
    return opened


def test_a_closed_chart_table_is_not_built_and_opening_it_builds_it(demo_store, monkeypatch):
    from components import tables

    built: list[int] = []
    original = tables.dataframe
    monkeypatch.setattr(tables, "dataframe", lambda data, **kw: built.append(len(data)) or original(data, **kw))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input[0].input("leder")
    at.text_input[1].input("demo-leder")
    at.button[0].click()
    at.run()
    built.clear()
    at.switch_page("views/fravaer.py")
    at.run()
    boxes = [e for e in at.expander if e.label == "Vis som tabel"]
    assert not at.exception and len(boxes) >= 2
    assert all(not e.children for e in boxes)  # closed: no table, no download button
    others = len(built)  # the screen's own tables, not under a chart
    opened = open_tables(at)
    assert not at.exception and len(opened) == len(boxes) and len(built) == 2 * others + len(boxes)
    assert all(e.dataframe for e in at.expander if e.label == "Vis som tabel")
    built.clear()
    at.run()  # a rerun keeps them open
    assert not at.exception and len(built) == others + len(boxes)


def test_the_app_builds_charts_without_altairs_schema_checks_and_the_tests_with_them():
    """Altair's debug mode validates every object it builds (most of a cold screen's chart time): off in
    the app's process, on under pytest, so a chart Vega-Lite would reject still fails a test."""
    import os
    import subprocess
    import sys

    import altair as alt

    probe = "import components.charts, altair; print(altair.utils.schemapi.DEBUG_MODE)"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}  # as the server starts
    app = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert app.stdout.strip() == "False"
    assert alt.utils.schemapi.DEBUG_MODE is True
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        alt.Chart(pl.DataFrame({"a": [1]})).mark_bar().encode(x=alt.X("a:Q", bin="ja tak")).to_dict()


def test_a_municipality_with_many_schools_gets_its_small_multiples_when_it_opens_them(demo_store, monkeypatch):
    from components import municipality_sections

    def facets(at: AppTest) -> int:
        return sum('"facet"' in c.proto.spec for c in at.get("vega_lite_chart"))

    from tests.test_app_pages import login

    at = login("kommune", "demo-kommune")
    at.switch_page("views/kommune.py")
    at.run()
    assert not at.exception and facets(at) == 1  # the demo municipality's few schools: drawn at once
    monkeypatch.setattr(municipality_sections, "FACETS_DRAWN_UP_TO", 2)  # as for the largest municipality
    at.run()
    assert not at.exception and facets(at) == 0
    assert [label for label in open_tables(at) if label.startswith("Vis alle")]  # the user opens it
    assert not at.exception and facets(at) == 1
