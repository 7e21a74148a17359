"""Deltagelse, LEAPS and Succeskriterier: who sees and edits what, edits that persist across a
restart, edits that are refused, and the verdict on measured criteria."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from queries import edits
from queries.runner import Runner, Scope, ScopeError
from queries.statistics import share_change
from tests.operational import copy_store, ops_rows
from tests.test_app_pages import login

BAKKE = "900001"
LEDER = Scope("ledelse", frozenset([BAKKE]))
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))
SCREENS = {
    "views/deltagelse.py": ("leder", "kommune", "admin"),
    "views/leaps.py": ("leder", "kommune", "team", "admin"),
    "views/succeskriterier.py": ("leder", "kommune", "admin"),
}
PASSWORDS = {"leder": "demo-leder", "kommune": "demo-kommune", "team": "demo-team", "admin": "demo-admin"}


@pytest.mark.parametrize("screen, user", [(s, u) for s, users in SCREENS.items() for u in users])
def test_the_development_screens_render_for_the_roles_that_may_see_them(demo_store, screen, user):
    at = login(user, PASSWORDS[user])
    at.switch_page(screen).run()
    assert not at.exception
    assert not at.error


def test_kommune_sees_the_screens_read_only(demo_store):
    at = login("kommune", "demo-kommune")
    for screen in SCREENS:
        at.switch_page(screen).run()
        labels = [b.label for b in at.button]
        assert not any(label.startswith("Gem") for label in labels), (screen, labels)
        assert not any(e.label == "Sæt skolens mål" for e in at.expander)


def test_the_team_does_not_see_deltagelse_or_succeskriterier(demo_store):
    at = login("team", "demo-team")
    with pytest.raises(ValueError):
        at.switch_page("views/deltagelse.py")


@pytest.fixture
def own_store(demo_store, tmp_path):
    """A copy of the demo store, so edits do not leak into other tests."""
    path = tmp_path / "copy.duckdb"
    copy_store(demo_store, path)
    return path


def _open(path) -> Runner:
    from data import store

    return Runner(store.connect(path))


def _course(runner: Runner, scope: Scope, grade: int) -> dict:
    rows = runner.run("leaps_courses", scope, school=BAKKE, school_year="2025/26").filter(pl.col("grade") == grade)
    course = rows.row(0, named=True)
    course["year_group"] = course.pop("grade")
    return course


def test_a_leaders_edits_persist_across_a_restart(own_store):
    runner = _open(own_store)
    assert edits.save_targets(runner, LEDER, "leder", BAKKE, {"absence_over10": 17.5}) == []
    course = _course(runner, LEDER, 7) | {"title": "Vores by i 2050"}
    assert edits.save_courses(runner, LEDER, "leder", BAKKE, "2025/26", [course]) == []
    runner._con.close()

    again = _open(own_store)  # a new process would open the file like this
    targets = again.run("participation_targets", LEDER, school=BAKKE)
    row = targets.filter(pl.col("indicator") == "absence_over10").row(0, named=True)
    assert (row["target"], row["set_by"]) == (17.5, "leder")
    titles = again.run("leaps_courses", LEDER, school=BAKKE, school_year="2025/26")["title"].to_list()
    assert "Vores by i 2050" in titles
    audit = ops_rows(again, "SELECT action, username FROM audit_log ORDER BY entry_id")
    assert ("mål for deltagelse sat", "leder") in audit and ("LEAPS-forløb ændret", "leder") in audit


def test_a_blank_company_or_pupil_involvement_is_saved_as_none_so_the_leaps_rules_do_not_count_it(own_store):
    """The course table shows a missing value as an empty cell; a cell typed into and emptied again
    comes back as blank text, which the LEAPS rule "a course with a company partner" must not count."""
    runner = _open(own_store)
    course = _course(runner, LEDER, 7) | {"company_partner": "  ", "pupil_involvement": ""}
    assert edits.save_courses(runner, LEDER, "leder", BAKKE, "2025/26", [course]) == []
    saved = runner.run("leaps_courses", LEDER, school=BAKKE, school_year="2025/26").filter(
        pl.col("course_id") == course["course_id"]
    )
    assert saved.select("company_partner", "pupil_involvement").row(0) == (None, None)


def test_a_team_edits_its_own_year_group_only(own_store):
    runner = _open(own_store)
    own = _course(runner, LEDER, 5) | {"title": "Mellemtrinnets forløb"}
    assert edits.save_courses(runner, TEAM, "team", BAKKE, "2025/26", [own]) == []
    other = _course(runner, LEDER, 8) | {"title": "Ikke vores"}
    assert edits.save_courses(runner, TEAM, "team", BAKKE, "2025/26", [other]) == ["Du har ikke adgang til den årgang."]
    # Claiming its own year group for another year group's course matches no row and is refused.
    disguised = other | {"year_group": 5}
    assert edits.save_courses(runner, TEAM, "team", BAKKE, "2025/26", [disguised])
    titles = runner.run("leaps_courses", LEDER, school=BAKKE, school_year="2025/26")["title"].to_list()
    assert "Mellemtrinnets forløb" in titles and "Ikke vores" not in titles
    assert runner.run("leaps_courses", TEAM, school=BAKKE, school_year="2025/26")[
        "grade"
    ].unique().sort().to_list() == [4, 5, 6]


def test_kommune_and_team_cannot_set_targets(own_store):
    runner = _open(own_store)
    kommune = Scope("kommune", frozenset([BAKKE]), municipality_code="999")
    for scope in (kommune, TEAM):
        with pytest.raises(ScopeError):
            runner.write(
                "set_participation_target",
                scope,
                "x",
                [{"school": BAKKE, "indicator": "stoette", "target": 3.0, "username": "x"}],
            )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"end_date": date(2025, 8, 1)}, "slutter (01.08.2025) før det starter"),
        ({"subjects": ["dansk", "astrologi"]}, "ukendt fag: astrologi"),
        ({"title": "  "}, "Forløbet skal have en titel."),
        ({"weeks": 40}, "antal uger skal være mellem 1 og 20"),
    ],
)
def test_an_invalid_course_is_refused_in_danish_and_nothing_is_saved(own_store, change, message):
    runner = _open(own_store)
    before = runner.run("leaps_courses", LEDER, school=BAKKE, school_year="2025/26")
    good = _course(runner, LEDER, 3) | {"title": "Gyldig ændring"}
    bad = _course(runner, LEDER, 2) | change
    errors = edits.save_courses(runner, LEDER, "leder", BAKKE, "2025/26", [good, bad])
    assert any(message in e for e in errors), errors
    after = runner.run("leaps_courses", LEDER, school=BAKKE, school_year="2025/26")
    assert after.equals(before)  # the valid row in the same save was not written either


@pytest.mark.parametrize(
    "indicator, target, message",
    [
        ("absence_over10", 140.0, "mellem 0 og 100 procent"),
        ("stoette", 7.0, "mellem 1 og 5 point"),
        ("stoette", None, "skriv et mål"),
    ],
)
def test_a_target_outside_the_indicators_range_is_refused(own_store, indicator, target, message):
    runner = _open(own_store)
    before = runner.run("participation_targets", LEDER, school=BAKKE)
    errors = edits.save_targets(runner, LEDER, "leder", BAKKE, {indicator: target})
    assert errors and message in errors[0]
    assert runner.run("participation_targets", LEDER, school=BAKKE).equals(before)


def test_a_milestone_marked_done_needs_evidence(own_store):
    runner = _open(own_store)
    project = runner.run("school_projects", LEDER, school=BAKKE)["project_id"][0]
    milestone = runner.run("project_milestones", LEDER, school=BAKKE, project_id=project).row(2, named=True)
    errors = edits.save_milestones(runner, LEDER, "leder", BAKKE, [milestone | {"done": True, "evidence": ""}])
    assert errors and "dokumentation" in errors[0]
    assert (
        edits.save_milestones(
            runner, LEDER, "leder", BAKKE, [milestone | {"done": True, "evidence": "Folderen er trykt"}]
        )
        == []
    )


@pytest.mark.parametrize(
    "before, n_before, after, n_after, verdict",
    [
        (50.0, 400, 70.0, 400, "steget"),  # +20 pp, margin about 6.7
        (70.0, 400, 50.0, 400, "faldet"),
        (50.0, 40, 58.0, 40, "uændret inden for usikkerheden"),  # +8 pp, margin about 21.8
        (50.0, None, 60.0, 100, "kan ikke vurderes"),
    ],
)
def test_the_verdict_of_a_measured_criterion(before, n_before, after, n_after, verdict):
    difference, margin, said = share_change(before, n_before, after, n_after)
    assert said == verdict
    if difference is not None:
        assert difference == pytest.approx(after - before)
        assert margin > 0
