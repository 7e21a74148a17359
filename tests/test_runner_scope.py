"""Scope is applied by the runner: no screen, widget value or parameter gets around it."""

from __future__ import annotations

import pytest

from queries.runner import QueryError, Scope, ScopeError, load_query, query_names
from queries.scopes import scope_for_user

BAKKE, AADAL = "900001", "900010"
LEDER = Scope("ledelse", frozenset([BAKKE]))
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))


def test_a_leader_cannot_read_another_schools_figures(demo_runner):
    with pytest.raises(ScopeError):
        demo_runner.run(
            "absence_school_and_municipality",
            LEDER,
            school=AADAL,
            years=["2024/25"],
            high_above_pct=10.0,
            grade_from=0,
            grade_to=9,
        )


@pytest.mark.parametrize(
    "value", ["900010", "900001 OR 1=1", "' OR ''='", None, 900001, -1, "9" * 500, "skole\u202e", ["900001", "900010"]]
)
def test_odd_school_values_are_refused_not_run(demo_runner, value):
    with pytest.raises(QueryError):
        demo_runner.run(
            "absence_school_and_municipality",
            LEDER,
            school=value,
            years=["2024/25"],
            high_above_pct=10.0,
            grade_from=0,
            grade_to=9,
        )


def test_the_school_list_holds_only_the_callers_school(demo_runner):
    schools = demo_runner.run("schools", LEDER)
    assert schools["institution_no"].to_list() == [BAKKE]


def test_a_kommune_user_never_gets_pupil_rows(demo_runner):
    kommune = scope_for_user({"role": "kommune", "municipality": "999"}, demo_runner)
    assert BAKKE in kommune.schools
    with pytest.raises(ScopeError):
        demo_runner.run("year_group_pupils", kommune, school=BAKKE, school_year="2024/25", grade=5)


def test_no_aggregate_query_returns_a_pupil_key():
    for name in query_names():
        spec = load_query(name)
        if spec.level in ("aggregate", "reference"):
            assert "student_key AS" not in spec.sql and not _selects_student_key(spec.sql), name


def _selects_student_key(sql: str) -> bool:
    final_select = sql.upper().rsplit("SELECT", 1)[-1].split("FROM", 1)[0]
    return "STUDENT_KEY" in final_select.replace("COUNT(DISTINCT STUDENT_KEY)", "")


def test_a_kommune_user_sees_the_schools_of_its_own_municipality_only(demo_runner):
    kommune = scope_for_user({"role": "kommune", "municipality": "999"}, demo_runner)
    assert len(demo_runner.run("schools", kommune)) == 12
    other = scope_for_user({"role": "kommune", "municipality": "101"}, demo_runner)
    assert demo_runner.run("schools", other).is_empty()
    with pytest.raises(ScopeError):
        demo_runner.run(
            "absence_school_and_municipality",
            other,
            school=BAKKE,
            years=["2024/25"],
            high_above_pct=10.0,
            grade_from=0,
            grade_to=9,
        )


def test_a_team_sees_its_own_grades_pupil_by_pupil(demo_runner):
    pupils = demo_runner.run("year_group_pupils", TEAM, school=BAKKE, school_year="2024/25", grade=5)
    assert len(pupils) > 20
    assert set(pupils["grade"].to_list()) == {5}


def test_a_team_cannot_open_another_year_group(demo_runner):
    with pytest.raises(ScopeError):
        demo_runner.run("year_group_pupils", TEAM, school=BAKKE, school_year="2024/25", grade=8)


def test_unknown_parameters_and_query_names_are_refused(demo_runner):
    with pytest.raises(QueryError):
        demo_runner.run("schools", LEDER, scope_schools=["900010"])
    with pytest.raises(QueryError):
        demo_runner.run("../data/migrations/001_initial", LEDER)


def test_every_query_file_has_a_valid_header():
    for name in query_names():
        spec = load_query(name)
        if spec.level == "aggregate":
            assert spec.n and spec.keys, name


def test_a_result_the_same_for_every_scope_is_computed_once_and_a_school_list_still_per_scope(demo_runner, monkeypatch):
    """The country's class clustering (`scope: none`, no school column) is one result for every
    school's leader; a `scope: none` result with schools in it is still cut to each caller's."""
    executed = []
    original = type(demo_runner)._execute
    monkeypatch.setattr(
        type(demo_runner), "_execute", lambda self, spec, *a: executed.append(spec.name) or original(self, spec, *a)
    )
    demo_runner._cache.clear()
    one, other = Scope("ledelse", frozenset({"900001"})), Scope("ledelse", frozenset({"900002"}))
    first = demo_runner.run("class_clustering", one, school_year="2024/25")
    second = demo_runner.run("class_clustering", other, school_year="2024/25")
    assert executed.count("class_clustering") == 1 and second.equals(first) and first.height > 0
    mine = demo_runner.run("schools_in_municipality", one, municipality="999")
    theirs = demo_runner.run("schools_in_municipality", other, municipality="999")
    assert mine["institution_no"].to_list() == ["900001"] and theirs["institution_no"].to_list() == ["900002"]
