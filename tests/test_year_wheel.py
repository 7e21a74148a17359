"""The yearly wheel: the school year's data points from what the store knows plus the school's own
events; the team's data points never for kommune and a team only its grades; own events validated,
audited and kept to their school; titles stay text."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from components import year_wheel_sections as wheel
from data import store
from queries import year_wheel
from queries.runner import Runner, Scope, ScopeError
from tests.operational import copy_store, ops_rows
from tests.test_app_pages import login

BAKKE, YEAR = "900001", "2025/26"
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))
LEADER = Scope("ledelse", frozenset([BAKKE]))
KOMMUNE = Scope("kommune", frozenset([BAKKE, "900002"]), municipality_code="999")
START, END = date(2025, 8, 1), date(2026, 7, 31)


@pytest.fixture
def own_runner(demo_store, tmp_path):
    path = tmp_path / "copy.duckdb"
    copy_store(demo_store, path)
    return Runner(store.connect(path))


def test_the_wheel_holds_what_the_store_knows_of_the_school_year(demo_runner):
    frame = wheel.events(demo_runner, LEADER, BAKKE, YEAR)
    survey = frame.filter(pl.col("title") == "Trivselsmålingen (national)").row(0, named=True)
    assert (survey["starts_on"], survey["ends_on"]) == (date(2026, 1, 20), date(2026, 3, 20))
    first, last = demo_runner._con.execute(
        "SELECT min(taken_on), max(taken_on) FROM national_test WHERE institution_no = ? AND school_year = ?"
        " AND subject = 'matematik'",
        [BAKKE, YEAR],
    ).fetchone()
    maths = frame.filter(pl.col("title") == "Nationale test: matematik")
    assert maths["starts_on"].min() == first and maths["ends_on"].max() == last
    assert frame.filter(pl.col("title") == "Afgangsprøver").height == 1
    titles = set(frame["title"])
    assert {
        "Vurderinger 1–5 (efterår)",
        "Læringstrekant, 1. runde",
        "Teamets prøve: Matematik, januar",
        "Temauge: fællesskab og trivsel",
    } <= titles
    assert frame["number"].to_list() == list(range(1, frame.height + 1))
    assert frame["starts_on"].is_sorted()


def test_the_kommune_role_gets_no_team_data_points_on_the_wheel(demo_runner):
    with pytest.raises(ScopeError):
        demo_runner.run("year_wheel_team", KOMMUNE, school=BAKKE, school_year=YEAR)
    frame = wheel.events(demo_runner, KOMMUNE, BAKKE, YEAR)
    assert frame.height > 0 and not set(frame["kind"]) & {"vurdering", "teamprøve"}


def test_a_team_sees_its_grades_and_the_whole_school_on_the_wheel(demo_runner):
    rows = demo_runner.run("year_wheel_team", TEAM, school=BAKKE, school_year=YEAR)
    assert set(rows["grade"]) <= {4, 5, 6} and rows.height > 0
    fifth = wheel.events(demo_runner, TEAM, BAKKE, YEAR, grade=5)
    assert set(fifth["grades"]) <= {"", "5."}
    assert "Afgangsprøver" not in set(fifth["title"])  # a 9th-grade point is not the 5th grade's
    with pytest.raises(ScopeError):
        demo_runner.run("year_wheel", TEAM, school="900002", school_year=YEAR)


def test_a_school_event_is_added_audited_and_shown_and_removed_again(own_runner):
    assert (
        year_wheel.add_event(
            own_runner,
            TEAM,
            "team",
            BAKKE,
            YEAR,
            "Emneuge: matematik i naturen",
            date(2026, 4, 13),
            date(2026, 4, 17),
            START,
            END,
        )
        == []
    )
    frame = wheel.events(own_runner, TEAM, BAKKE, YEAR, grade=5)
    added = frame.filter(pl.col("title") == "Emneuge: matematik i naturen").row(0, named=True)
    assert (added["starts_on"], added["ends_on"], added["kind"]) == (date(2026, 4, 13), date(2026, 4, 17), "egen")
    assert (
        ops_rows(own_runner, "SELECT count(*) FROM audit_log WHERE detail LIKE '%Emneuge%' AND username = 'team'")[0][0]
        == 1
    )
    assert year_wheel.remove_event(own_runner, TEAM, "team", BAKKE, added["event_id"]) == []
    assert "Emneuge: matematik i naturen" not in set(wheel.events(own_runner, TEAM, BAKKE, YEAR)["title"])


@pytest.mark.parametrize(
    "title, starts, ends, fragment",
    [
        ("", date(2026, 4, 13), date(2026, 4, 17), "titel"),
        ("Uge", date(2026, 4, 17), date(2026, 4, 13), "før den starter"),
        ("Uge", date(2026, 7, 20), date(2026, 8, 5), "i skoleåret"),
        ("x" * 121, date(2026, 4, 13), date(2026, 4, 17), "højst have 120"),
    ],
)
def test_a_bad_school_event_is_refused_in_danish_and_nothing_is_written(own_runner, title, starts, ends, fragment):
    before = ops_rows(own_runner, "SELECT count(*) FROM school_event")[0][0]
    errors = year_wheel.add_event(own_runner, TEAM, "team", BAKKE, YEAR, title, starts, ends, START, END)
    assert any(fragment in e for e in errors), errors
    assert ops_rows(own_runner, "SELECT count(*) FROM school_event")[0][0] == before


def test_another_schools_event_cannot_be_removed(own_runner):
    other = ops_rows(own_runner, "SELECT min(event_id) FROM school_event WHERE institution_no = '900002'")[0][0]
    errors = year_wheel.remove_event(own_runner, TEAM, "team", BAKKE, other)
    assert errors and "anden skole" in errors[0]
    assert ops_rows(own_runner, "SELECT count(*) FROM school_event WHERE event_id = ?", [other])[0][0] == 1
    assert not own_runner.may_write("insert_school_event", KOMMUNE)


def test_titles_on_the_wheel_are_text_never_html():
    frame = pl.DataFrame(
        {
            "number": [1],
            "kind": ["egen"],
            "title": ["<script>alert(1)</script>"],
            "starts_on": [date(2025, 9, 1)],
            "ends_on": [date(2025, 9, 3)],
            "grades": [""],
            "source": ["skolens egen"],
            "event_id": [1],
        }
    )
    svg = wheel.wheel_svg(frame, START, title='<img src=x onerror="x()">')
    assert "<script" not in svg and "<img" not in svg
    assert wheel.calendar(frame)["Hvad"][0] == "<script>alert(1)</script>"  # shown by st.dataframe: text


def test_the_wheel_starts_in_august_at_the_top_and_goes_round_clockwise():
    assert wheel._angle(START, START) == 0
    assert 89 < wheel._angle(date(2025, 11, 1), START) < 92
    x, y = wheel._point(100, 100, 50, 90)  # a quarter round is to the right
    assert round(x) == 150 and round(y) == 100


def test_the_wheel_is_on_the_aargang_and_samtale_screens(demo_store):
    at = login("team", "demo-team")
    at.switch_page("views/aargang.py").run()
    assert not at.exception
    assert any("Årshjul" in h.value for h in at.header)
    leader = login("leder", "demo-leder")
    leader.switch_page("views/samtale.py").run()
    assert not leader.exception
    assert any("Årshjul" in m.value for m in leader.markdown)
