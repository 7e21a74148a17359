"""Kommune and Årgang: municipality scope, aggregate-only downloads, a team's year groups,
audited assessments and the warning-sign list against an independent computation."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from queries import edits
from queries.runner import Runner, Scope, ScopeError
from queries.scopes import scope_for_user
from tests.operational import copy_store, ops_rows
from tests.test_app_pages import login

BAKKE, YEAR = "900001", "2025/26"
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))


@pytest.fixture(scope="module")
def two_municipalities(tmp_path_factory):
    from data import demo, store
    from data.demo_population import DemoParams

    path = tmp_path_factory.mktemp("two") / "two.duckdb"
    demo.build(path, DemoParams(schools=6, municipalities=2, pupils_per_school=0.3, years=2))
    return Runner(store.connect(path))


def test_a_kommune_user_sees_every_school_of_its_municipality_and_none_of_another(two_municipalities):
    runner = two_municipalities
    scope = scope_for_user({"role": "kommune", "municipality": "900"}, runner)
    frame = runner.run("municipality_school_indicators", scope, municipality="900", years=["2025/26"], high_above=3.0)
    own = set(runner._con.execute("SELECT institution_no FROM school WHERE municipality_code = '900'").fetchall())
    assert {(i,) for i in frame["institution_no"].drop_nulls().unique()} == own
    with pytest.raises(ScopeError):
        runner.run("municipality_school_indicators", scope, municipality="901", years=["2025/26"], high_above=3.0)
    assert set(runner.run("schools", scope)["municipality_code"]) == {"900"}


def test_the_excel_download_reads_back_and_holds_only_aggregates(demo_runner):
    from components import exports
    from components import municipality_sections as sections

    scope = scope_for_user({"role": "kommune", "municipality": "999"}, demo_runner)
    frame = sections.load(demo_runner, scope, "999", [YEAR])
    country = demo_runner.run("national_reference_values", scope, years=[YEAR])
    _, numeric = sections.school_table(frame, country, YEAR, sections.DEFAULT, "wellbeing_generel")
    decimals = {sections.INDICATORS[k][0]: 1 for k in sections.DEFAULT}
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(numeric, "Skoler", "Titel", "Kilde", decimals))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header, body = rows[0], rows[1:]
    assert header[0] == "Skole" and "Generel trivsel" in header
    assert len(body) == 12 + 2  # every school, then the municipality and the country
    assert not any("student" in str(h).lower() for h in header)
    bakke = next(r for r in body if r[0] == "Bakkeskolen")
    expected = frame.filter(
        (pl.col("institution_no") == BAKKE)
        & (pl.col("indicator") == "wellbeing_generel")
        & (pl.col("school_year") == YEAR)
    )["value"][0]
    assert bakke[header.index("Generel trivsel")] == pytest.approx(expected)
    assert sheet.cell(row=5, column=2).number_format == "0.0"
    csv = exports.to_csv(numeric, decimals).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Skole;") and "," in csv.splitlines()[1]


def test_a_team_gets_nothing_for_another_year_group_or_school(demo_runner):
    for query, extra in (
        ("year_group_classes", {}),
        ("year_group_cohort", {}),
        ("year_group_assessments", {"previous_year": "2024/25"}),
        ("year_group_warning_signs", {"min_signals": 2}),
    ):
        assert demo_runner.run(query, TEAM, school=BAKKE, school_year=YEAR, grade=5, **extra) is not None
        with pytest.raises(ScopeError):
            demo_runner.run(query, TEAM, school=BAKKE, school_year=YEAR, grade=8, **extra)
        with pytest.raises(ScopeError):
            demo_runner.run(query, TEAM, school="900002", school_year=YEAR, grade=5, **extra)


def test_the_team_screen_offers_only_its_own_year_groups(demo_store):
    at = login("team", "demo-team")
    at.switch_page("views/aargang.py").run()
    assert at.selectbox(key="year_group").options == ["4. årgang", "5. årgang", "6. årgang"]
    at.query_params["grade"] = "8"
    at.run()
    assert not at.exception
    assert "8. årgang" not in " ".join(h.value for h in at.header)


@pytest.fixture
def own_runner(demo_store, tmp_path):
    from data import store

    path = tmp_path / "copy.duckdb"
    copy_store(demo_store, path)
    return Runner(store.connect(path))


def test_assessment_edits_persist_and_are_audited(own_runner):
    pupil = own_runner.run("year_group_assessments", TEAM, school=BAKKE, school_year=YEAR, previous_year=YEAR, grade=5)[
        "student_key"
    ][0]
    change = {"student_key": pupil, "term": "forår", "area": "dansk", "score": 5}
    assert edits.save_assessments(own_runner, TEAM, "team", BAKKE, YEAR, 5, [change]) == []
    row = ops_rows(
        own_runner,
        "SELECT score, assessed_by FROM pupil_assessment WHERE student_key = ? AND "
        "school_year = ? AND term = 'forår' AND area = 'dansk'",
        [pupil, YEAR],
    )
    assert row == [(5, "team")]  # in the operational store (DuckDB migration 24)
    audit = ops_rows(own_runner, "SELECT username, action FROM audit_log")
    assert ("team", "elevvurdering gemt") in audit


@pytest.mark.parametrize("score", [0, 6, 2.5, None, "fire"])
def test_an_assessment_outside_1_to_5_is_refused_in_danish(own_runner, score):
    pupil = own_runner.run("year_group_assessments", TEAM, school=BAKKE, school_year=YEAR, previous_year=YEAR, grade=5)[
        "student_key"
    ][0]
    before = ops_rows(own_runner, "SELECT count(*), sum(score) FROM pupil_assessment")
    errors = edits.save_assessments(
        own_runner,
        TEAM,
        "team",
        BAKKE,
        YEAR,
        5,
        [{"student_key": pupil, "term": "forår", "area": "matematik", "score": score}],
    )
    assert errors and "helt tal fra 1 til 5" in errors[0]
    assert ops_rows(own_runner, "SELECT count(*), sum(score) FROM pupil_assessment") == before


def test_a_team_cannot_assess_a_pupil_outside_its_year_group(own_runner):
    other = own_runner._con.execute(
        "SELECT student_key FROM student WHERE institution_no = ? AND school_year = ? AND grade = 8 LIMIT 1",
        [BAKKE, YEAR],
    ).fetchone()[0]
    errors = edits.save_assessments(
        own_runner, TEAM, "team", BAKKE, YEAR, 5, [{"student_key": other, "term": "forår", "area": "dansk", "score": 3}]
    )
    assert errors and "intet er ændret" in errors[0]


def test_the_warning_sign_list_matches_an_independent_computation(demo_runner):
    cur = demo_runner._con.cursor()
    pupils = cur.sql(
        f"SELECT * FROM student WHERE institution_no = '{BAKKE}' AND school_year = '{YEAR}' AND grade = 5"
    ).pl()
    absence = cur.sql(f"SELECT * FROM absence WHERE school_year = '{YEAR}'").pl().join(pupils, on="student_key")
    pct = absence.group_by("student_key").agg(
        (
            (pl.col("illness_days") + pl.col("authorised_days") + pl.col("unauthorised_days")).cast(pl.Float64).sum()
            * 100
            / pl.col("school_days").cast(pl.Float64).sum()
        ).alias("pct")
    )
    assessments = (
        demo_runner.ops.frame("pupil_assessment")
        .filter((pl.col("school_year") == YEAR) & (pl.col("term") == "forår"))
        .join(pupils, on="student_key")
    )
    low = assessments.filter(pl.col("score") <= 2)["student_key"].unique()
    tests = (
        cur.sql(f"SELECT * FROM national_test WHERE school_year = '{YEAR}' AND profile_area = 'samlet'")
        .pl()
        .join(pupils, on="student_key")
    )
    bottom = tests.filter(pl.col("points") / pl.col("max_points") < 0.30)["student_key"].unique()
    over10 = pct.filter(pl.col("pct") > 10)["student_key"]
    counts = {key: (key in set(over10)) + (key in set(low)) + (key in set(bottom)) for key in pupils["student_key"]}
    expected = {key for key, n in counts.items() if n >= 2}
    got = demo_runner.run("year_group_warning_signs", TEAM, school=BAKKE, school_year=YEAR, grade=5, min_signals=2)
    assert set(got["student_key"]) == expected
    assert len(expected) > 0


def test_no_pupil_level_query_reads_individual_wellbeing_answers():
    from queries.runner import load_query, query_names

    for name in query_names():
        spec = load_query(name)
        if spec.level == "pupil":
            assert "wellbeing" not in spec.sql.lower(), name


def test_a_rerun_of_kommune_styles_its_school_table_once_with_the_same_colours(demo_store, monkeypatch):
    from pandas.io.formats.style import Styler

    def styles(at) -> list[str]:
        return [df.proto.arrow_data.styler.styles for df in at.dataframe if df.proto.arrow_data.styler.styles]

    at = login("kommune", "demo-kommune")
    at.switch_page("views/kommune.py").run()
    assert not at.exception
    first = styles(at)
    assert first and "color: " in first[0]  # schools beyond noise are coloured
    translated: list[int] = []
    original = Styler._translate
    monkeypatch.setattr(Styler, "_translate", lambda self, *a, **k: translated.append(1) or original(self, *a, **k))
    from components import municipality_sections as sections

    built = sections.build_school_table
    monkeypatch.setattr(sections, "build_school_table", lambda *a, **k: translated.append(2) or built(*a, **k))
    at.run()
    assert not at.exception and translated == []  # the same figures: the table and its styles kept
    assert styles(at) == first


def test_the_municipality_leaps_status_requires_the_rules_courses_for_each_year_group_outside_special_classes(
    demo_runner,
):
    from datetime import date

    con = demo_runner._connection()
    municipality = con.execute("SELECT municipality_code FROM school WHERE institution_no = ?", [BAKKE]).fetchone()[0]
    per_year = con.execute("SELECT value FROM leaps_rule WHERE rule = 'courses_per_year'").fetchone()[0]
    expected = dict(
        con.execute(
            """SELECT st.institution_no, count(DISTINCT st.grade) FROM student st JOIN school s USING (institution_no)
               WHERE st.school_year = ? AND NOT st.special_class AND s.municipality_code = ? AND s.in_leaps
               GROUP BY 1""",
            [YEAR, municipality],
        ).fetchall()
    )
    admin = Scope("admin", None)
    status = demo_runner.run(
        "municipality_leaps_status", admin, municipality=municipality, school_year=YEAR, as_of=date.today()
    )
    assert len(expected) >= 2  # the demo municipality has several LEAPS schools
    assert dict(zip(status["institution_no"], status["courses_required"], strict=True)) == {
        school: int(groups * per_year) for school, groups in expected.items()
    }
