"""The learning triangle: six configurable competence areas per subject and stage, three placements a
year with two short texts, saved all-or-nothing and audited like the assessments (the texts by their
length only), drawn with the previous placement faint; never for kommune, a team only its year groups."""

from __future__ import annotations

import pytest

from components import learning_triangle_sections as sections
from data import store
from queries import learning_triangle as triangle
from queries.runner import Runner, Scope, ScopeError
from tests.operational import copy_store, ops_rows

BAKKE, YEAR = "900001", "2025/26"
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))
KOMMUNE = Scope("kommune", frozenset([BAKKE]), municipality_code="999")


@pytest.fixture
def own_runner(demo_store, tmp_path):
    path = tmp_path / "copy.duckdb"
    copy_store(demo_store, path)
    return Runner(store.connect(path))


def _pupil(runner: Runner, grade: int) -> str:
    return runner._con.execute(
        "SELECT student_key FROM student WHERE institution_no = ? AND school_year = ?"
        " AND grade = ? ORDER BY student_key LIMIT 1",
        [BAKKE, YEAR, grade],
    ).fetchone()[0]


def _rows(runner: Runner, sql: str, params: list) -> list[tuple]:
    """The triangles' rows: in the operational store (DuckDB migration 24)."""
    return ops_rows(runner, sql, params)


def test_a_placement_with_its_texts_is_saved_in_one_go_and_audited_without_the_words(own_runner):
    pupil = _pupil(own_runner, 5)
    levels = {1: 2, 2: 3, 3: 1, 4: 4, 5: 5, 6: 3}
    errors = triangle.save_triangle(
        own_runner,
        TEAM,
        "team",
        BAKKE,
        YEAR,
        5,
        pupil,
        "dansk",
        2,
        levels,
        "Læser længere tekster selv.",
        "Stavning: eleven øver ordlisten hjemme.",
    )
    assert errors == []
    assert (
        dict(
            _rows(
                own_runner,
                "SELECT position, level FROM triangle_placement WHERE student_key = ? AND "
                "school_year = ? AND round = 2 AND subject = 'dansk'",
                [pupil, YEAR],
            )
        )
        == levels
    )
    note = _rows(
        own_runner,
        "SELECT progress, next_focus, written_by FROM triangle_note WHERE student_key = ? AND subject = 'dansk'",
        [pupil],
    )
    assert note == [("Læser længere tekster selv.", "Stavning: eleven øver ordlisten hjemme.", "team")]
    log = ops_rows(own_runner, "SELECT username, detail, school FROM audit_log WHERE detail LIKE ?", [f"%{pupil}%"])
    assert len(log) == 7 and all(u == "team" and s == BAKKE for u, _, s in log)
    assert not any("ordlisten" in d or "længere" in d for _, d, _ in log)  # the log is no copy of the texts
    shown = own_runner.run(
        "triangle_placements", TEAM, school=BAKKE, school_year=YEAR, grade=5, student_key=pupil, subject="dansk"
    )
    assert shown.height == 6 and shown["progress"][0] == "Læser længere tekster selv."


@pytest.mark.parametrize(
    "levels, progress, fragment",
    [
        ({1: 6}, "", "fra 1 (rød) til 5 (grøn)"),
        ({1: 0}, "", "fra 1 (rød) til 5 (grøn)"),
        ({7: 3}, "", "seks kompetenceområder"),
        ({}, "", "mindst ét"),
        ({1: 3}, "x" * 601, "højst 600 tegn"),
    ],
)
def test_a_bad_placement_is_refused_in_danish_and_nothing_is_written(own_runner, levels, progress, fragment):
    pupil = _pupil(own_runner, 5)
    before = _rows(own_runner, "SELECT count(*) FROM triangle_placement", []) + ops_rows(
        own_runner, "SELECT count(*) FROM audit_log", []
    )
    errors = triangle.save_triangle(
        own_runner, TEAM, "team", BAKKE, YEAR, 5, pupil, "matematik", 1, levels, progress, ""
    )
    assert any(fragment in e for e in errors), errors
    assert (
        _rows(own_runner, "SELECT count(*) FROM triangle_placement", [])
        + ops_rows(own_runner, "SELECT count(*) FROM audit_log", [])
        == before
    )


def test_a_team_cannot_place_a_pupil_outside_its_year_group(own_runner):
    other = _pupil(own_runner, 8)
    for grade in (5, 8):
        errors = triangle.save_triangle(
            own_runner, TEAM, "team", BAKKE, YEAR, grade, other, "matematik", 1, {1: 3}, "", ""
        )
        assert errors and ("årgang" in errors[0] or "Rækken" in errors[0]), errors
    assert _rows(
        own_runner, "SELECT count(*) FROM triangle_placement WHERE student_key = ? AND placed_by = 'team'", [other]
    ) == [(0,)]


def test_the_kommune_role_never_reaches_a_triangle_and_a_team_only_its_grades(demo_runner):
    pupil = _pupil(demo_runner, 5)
    params = {"school": BAKKE, "school_year": YEAR, "student_key": pupil, "subject": "matematik"}
    with pytest.raises(ScopeError):
        demo_runner.run("triangle_placements", KOMMUNE, grade=5, **params)
    with pytest.raises(ScopeError):
        demo_runner.run("triangle_placements", TEAM, grade=8, **params)
    assert demo_runner.run("triangle_placements", TEAM, grade=5, **params).height > 0
    assert not demo_runner.may_write("upsert_triangle_placement", KOMMUNE)


def test_the_six_areas_are_configurable_per_subject_and_stage_and_audited(own_runner):
    defaults = own_runner.run("competence_areas", TEAM, school=BAKKE, subject="matematik", stage="mellemtrin")
    assert defaults.height == 6 and not defaults["own"].any()
    areas = [{"position": i, "letter": letter, "name": f"Område {letter}"} for i, letter in enumerate("ABCDEF", 1)]
    assert triangle.save_areas(own_runner, TEAM, "team", BAKKE, "matematik", "mellemtrin", areas) == []
    mine = own_runner.run("competence_areas", TEAM, school=BAKKE, subject="matematik", stage="mellemtrin")
    assert mine["letter"].to_list() == list("ABCDEF") and mine["own"].all()
    other_stage = own_runner.run("competence_areas", TEAM, school=BAKKE, subject="matematik", stage="udskoling")
    assert other_stage["letter"].to_list() == defaults["letter"].to_list()
    twice = [dict(a, letter="A") for a in areas]
    assert any(
        "samme bogstav" in e
        for e in triangle.save_areas(own_runner, TEAM, "team", BAKKE, "matematik", "mellemtrin", twice)
    )
    assert ops_rows(own_runner, "SELECT count(*) FROM audit_log WHERE detail LIKE '%Område A%'", []) == [(1,)]


def test_the_triangle_draws_the_previous_placement_faintly_and_keeps_the_schools_text_as_text():
    areas = [{"position": 1, "letter": "<b>", "name": "x"}, {"position": 2, "letter": "M", "name": "y"}]
    svg = sections.triangle_svg(areas, {1: 4, 2: 2}, {1: 2}, title='"><script>alert(1)</script>')
    assert "<script" not in svg and "<b>" not in svg and "&#60;b&#62;" in svg
    assert svg.count('opacity="0.45"') == 1  # only area 1 has a previous placement
    assert svg.count('font-weight="700"') == 2
    assert sections.triangle_svg(areas, {1: 4}).count('opacity="0.45"') == 0


def test_a_higher_level_sits_further_out_on_its_spoke():
    centre, ends = sections._geometry(300)
    for end in ends:
        near, far = sections._at(centre, end, 1), sections._at(centre, end, 5)
        assert abs(far[0] - end[0]) + abs(far[1] - end[1]) < abs(near[0] - end[0]) + abs(near[1] - end[1])
