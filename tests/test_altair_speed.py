"""components/altair_speed.py replaces two of Altair's internals for speed: every chart that any
screen draws must come out the same as with Altair's own, and the class table must be made once."""

from __future__ import annotations

import json

import pytest
from altair.utils import schemapi
from streamlit.testing.v1 import AppTest

from components import altair_speed, charts, navigation
from data.users import DEMO_USERS
from tests.conftest import ROOT


@pytest.fixture
def altair_own():
    """Run a block with Altair's own internals; the replacements are put back after it."""

    class Own:
        def __enter__(self):
            altair_speed.uninstall()

        def __exit__(self, *exc):
            altair_speed.install()

    yield Own()
    altair_speed.install()


def _every_drawn_chart(monkeypatch) -> list[charts.Lazy]:
    """Every chart every screen draws for the leader and the administrator on the demo store."""
    drawn: list[charts.Lazy] = []
    original = charts.draw

    def record(chart, width="stretch"):
        drawn.append(chart)
        original(chart, width)

    monkeypatch.setattr(charts, "draw", record)
    for user in (u for u in DEMO_USERS if u.username in ("leder", "admin")):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.text_input[0].input(user.username)
        at.text_input[1].input(user.password)
        at.button[0].click()
        at.run()
        for screen in navigation.screens_for(user.role):
            at.switch_page(f"views/{screen.file}")
            at.run()
            assert not at.exception, (screen.title, [e.value for e in at.exception])
    return [c for c in drawn if isinstance(c, charts.Lazy)]


def _spec(lazy: charts.Lazy) -> str:
    return json.dumps(charts.build_spec(lazy._build()), sort_keys=True, default=str)


def test_every_chart_a_screen_draws_is_the_same_spec_as_with_altairs_own_code(demo_store, monkeypatch, altair_own):
    built = _every_drawn_chart(monkeypatch)
    assert len({c.key for c in built}) >= 20  # the screens draw many different charts
    ours = {c.key: _spec(c) for c in built}
    with altair_own:
        theirs = {c.key: _spec(c) for c in built}
    assert ours == theirs


def test_the_class_table_of_from_dict_is_made_once_not_on_every_call(monkeypatch):
    made = []
    original = schemapi._FromDict.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(schemapi._FromDict, "__init__", counted)
    frame = __import__("polars").DataFrame({"Serie": ["Skolen"], "Skoleår": ["2024/25"], "Værdi": [1.0]})
    charts.trend(frame, "Værdi", "Titel").to_dict()
    charts.trend(frame, "Værdi", "Anden titel").to_dict()
    assert len(made) <= 1
