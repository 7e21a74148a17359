"""Trivsel, Fravær and Faglighed: every role within scope renders them; figures agree with an
independent computation from the raw tables (polars, not the query under test); small groups
read "færre end 5 elever"."""

from __future__ import annotations

import polars as pl
import pytest

from components.formatting import format_value
from queries.runner import Scope
from tests.test_app_pages import login, page_html

BAKKE, YEAR = "900001", "2024/25"
LEDER = Scope("ledelse", frozenset([BAKKE]))
SCREENS = ["views/trivsel.py", "views/fravaer.py", "views/faglighed.py"]


def open_screen(user: str, password: str, screen: str, year: str | None = None):
    at = login(user, password)
    at.switch_page(screen).run()
    if year:
        at.selectbox(key="filter_year").select(year).run()
    return at


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(
    "user, password", [("leder", "demo-leder"), ("team", "demo-team"), ("kommune", "demo-kommune")]
)
def test_each_data_screen_renders_for_each_role(demo_store, screen, user, password):
    at = open_screen(user, password, screen)
    assert not at.exception
    assert at.title[0].value.split(" · ")[0] in ("Trivsel", "Fravær", "Faglighed")
    assert "Kilde:" in "\n".join(c.value for c in at.caption)


# -- independent computations from the raw tables ------------------------------------------------


@pytest.fixture(scope="module")
def raw(demo_runner):
    cur = demo_runner._con.cursor()

    def table(name: str) -> pl.DataFrame:
        return cur.sql(f"SELECT * FROM {name}").pl()

    return table


def _pupils(raw, year=YEAR) -> pl.DataFrame:
    return raw("student").filter((pl.col("institution_no") == BAKKE) & (pl.col("school_year") == year))


def _indicator_scores(raw, indicator: str) -> pl.DataFrame:
    """Score the raw answers by the rule in DATA-SOURCES.md, in polars."""
    questions = raw("wellbeing_question").filter(pl.col("grade_band") == "4-9")
    if indicator != "generel":
        questions = questions.filter(pl.col("indicator") == indicator)
    else:
        questions = questions.filter(pl.col("indicator").is_not_null())
    answers = raw("wellbeing_answer").filter(pl.col("school_year") == YEAR).join(questions, on="question_id")
    scored = answers.with_columns(
        pl.when(pl.col("first_option_best"))
        .then(pl.col("n_options") + 1 - pl.col("answer_option"))
        .otherwise(pl.col("answer_option"))
        .cast(pl.Float64)
        .alias("score")
    )
    per_pupil = scored.group_by("student_key").agg(pl.col("score").mean(), pl.len().alias("answered"))
    return per_pupil.filter(pl.col("answered") * 2 >= len(questions))


def _card(at, label: str) -> str:
    from tests.test_app_pages import _card_values

    return _card_values(page_html(at))[label]


def test_trivsel_figures_match_the_raw_answers(demo_store, raw, demo_runner):
    at = open_screen("leder", "demo-leder", "views/trivsel.py", YEAR)
    pupils = _pupils(raw).filter(pl.col("grade").is_between(4, 9))
    generel = _indicator_scores(raw, "generel").join(pupils, on="student_key")
    assert _card(at, "Generel trivsel") == format_value(generel["score"].mean(), "score")
    high = (generel["score"] > 3.0).mean() * 100
    assert _card(at, "Andel med højest trivsel") == format_value(high, "pct")
    social = _indicator_scores(raw, "social").join(pupils, on="student_key")
    girls = social.filter(pl.col("gender") == "pige")["score"].mean()
    by_gender = demo_runner.run("wellbeing_indicators_by_gender", LEDER, school=BAKKE, school_year=YEAR, high_above=3.0)
    row = by_gender.filter(
        (pl.col("level") == "skole") & (pl.col("indicator") == "social") & (pl.col("gender") == "pige")
    )
    assert row["mean"][0] == pytest.approx(girls)
    # 0.-3. grade: share answering the first option ("Ja, meget") to "Er du glad for din skole?"
    young = _pupils(raw).filter(pl.col("grade") <= 3)
    answers = (
        raw("wellbeing_answer")
        .filter((pl.col("school_year") == YEAR) & (pl.col("question_id") == "T03_01"))
        .join(young, on=["school_year", "student_key"])
    )
    expected = (answers["answer_option"] == 1).mean() * 100
    shares = demo_runner.run("wellbeing_questions_0_3", LEDER, school=BAKKE, school_year=YEAR, grade=-1)
    got = shares.filter(
        (pl.col("level") == "skole") & (pl.col("question_id") == "T03_01") & (pl.col("option_no") == 1)
    )["share"][0]
    assert got == pytest.approx(expected)


def _absence_per_pupil(raw, year=YEAR) -> pl.DataFrame:
    absence = raw("absence").filter(pl.col("school_year") == year)
    per = absence.group_by("student_key").agg(
        (
            (pl.col("illness_days") + pl.col("authorised_days") + pl.col("unauthorised_days")).cast(pl.Float64).sum()
            * 100
            / pl.col("school_days").cast(pl.Float64).sum()
        ).alias("pct")
    )
    return per.join(_pupils(raw, year), on="student_key")


def test_fravaer_figures_match_the_raw_absence(demo_store, raw, demo_runner):
    at = open_screen("leder", "demo-leder", "views/fravaer.py", YEAR)
    pupils = _absence_per_pupil(raw)
    weights = pupils["months_enrolled"].cast(pl.Float64)
    total = (pupils["pct"] * weights).sum() / weights.sum()
    assert _card(at, "Samlet fravær") == format_value(total, "pct")
    assert _card(at, "Elever med over 15 % fravær") == format_value((pupils["pct"] > 15).mean() * 100, "pct")
    grade7 = pupils.filter(pl.col("grade") == 7)
    by_grade = demo_runner.run("absence_by_grade", LEDER, school=BAKKE, school_year=YEAR)
    got = by_grade.filter((pl.col("level") == "skole") & (pl.col("grade") == 7))["over10_share"][0]
    assert got == pytest.approx((grade7["pct"] > 10).mean() * 100)
    january = (
        raw("absence")
        .filter(pl.col("month") == pl.date(2025, 1, 1))
        .join(_pupils(raw).select("student_key"), on="student_key")
    )
    expected = january["illness_days"].cast(pl.Float64).sum() * 100 / january["school_days"].cast(pl.Float64).sum()
    month = demo_runner.run("absence_by_month", LEDER, school=BAKKE, school_year=YEAR, grade_from=0, grade_to=9)
    got = month.filter((pl.col("level") == "skole") & (pl.col("month") == pl.date(2025, 1, 1)))["illness_pct"][0]
    assert got == pytest.approx(expected)


def test_faglighed_figures_match_the_raw_results(demo_store, raw, demo_runner):
    at = open_screen("leder", "demo-leder", "views/faglighed.py", YEAR)
    pupils = _pupils(raw).filter(~pl.col("special_class"))
    grades = raw("exam_grade").filter((pl.col("school_year") == YEAR) & pl.col("bound")).join(pupils, on="student_key")
    per_pupil = grades.group_by("student_key", "gender").agg(pl.col("grade").cast(pl.Float64).mean())
    assert _card(at, "Karaktergennemsnit, bundne prøver") == format_value(per_pupil["grade"].mean(), "grade")
    girls = demo_runner.run("exam_by_gender", LEDER, school=BAKKE, school_year=YEAR).filter(
        (pl.col("level") == "skole") & (pl.col("gender") == "pige")
    )["mean"][0]
    assert girls == pytest.approx(per_pupil.filter(pl.col("gender") == "pige")["grade"].mean())
    tests = (
        raw("national_test")
        .filter(
            (pl.col("school_year") == YEAR)
            & (pl.col("profile_area") == "samlet")
            & (pl.col("subject") == "dansk_laesning")
        )
        .join(_pupils(raw), on="student_key")
    )
    share = tests["points"] / tests["max_points"]
    assert _card(at, "Læsning: andel gode") == format_value((share >= 0.5).mean() * 100, "pct")
    grade4 = tests.filter(pl.col("grade") == 4)
    top = ((grade4["points"] / grade4["max_points"]) >= 0.8).mean() * 100
    bands = demo_runner.run("national_test_bands_by_grade", LEDER, school=BAKKE, school_year=YEAR)
    got = bands.filter(
        (pl.col("level") == "skole")
        & (pl.col("subject") == "dansk_laesning")
        & (pl.col("grade") == 4)
        & (pl.col("band") == "dygtigste")
    )["share"][0]
    assert got == pytest.approx(top)


# -- suppression on screen ----------------------------------------------------------------------


def test_a_small_grade_reads_faerre_end_5_elever_on_the_screen(demo_store, demo_runner):
    aadal = Scope("ledelse", frozenset(["900010"]))
    by_grade = demo_runner.run("absence_by_grade", aadal, school="900010", school_year="2025/26")
    assert by_grade.filter(pl.col("level") == "skole")["suppressed"].any()  # the demo has such grades
    at = open_screen("leder2", "demo-leder2", "views/fravaer.py")
    captions = "\n".join(c.value for c in at.caption)
    assert "Ikke vist:" in captions and "(færre end 5 elever)" in captions
    assert "0 elever" not in captions.replace("10 elever", "")


def test_a_second_group_is_hidden_so_the_first_cannot_be_subtracted_from_the_total(tmp_path):
    from datetime import date

    from data import store
    from data.reference import load_reference_tables
    from queries.runner import Runner

    con = store.connect(tmp_path / "s.duckdb")
    load_reference_tables(con)
    con.execute("INSERT INTO municipality VALUES ('101', 'København')")
    con.execute("INSERT INTO school_year VALUES ('2024/25', '2024-08-01', '2025-07-31')")
    con.execute(
        "INSERT INTO school (institution_no, name, municipality_code, school_type, in_leaps)"
        " VALUES ('100001', 'Skole', '101', 'folkeskole', false)"
    )
    for grade, pupils in ((1, 4), (2, 6), (3, 9)):
        for i in range(pupils):
            key = f"{grade}-{i}"
            con.execute(
                "INSERT INTO student (school_year, student_key, institution_no, grade, class_name, gender)"
                " VALUES ('2024/25', ?, '100001', ?, 'x', 'pige')",
                [key, grade],
            )
            con.execute(
                "INSERT INTO absence (school_year, student_key, institution_no, month, school_days,"
                " illness_days) VALUES ('2024/25', ?, '100001', ?, 20, 1)",
                [key, date(2024, 9, 1)],
            )
    from data.reference import refresh_absence_year  # as every writer of absence does

    refresh_absence_year(con, pl.DataFrame({"institution_no": ["100001"], "school_year": "2024/25"}))
    store.bump_data_version(con)
    frame = Runner(con, 5).run("absence_by_grade", Scope("admin", None), school="100001", school_year="2024/25")
    school = frame.filter(pl.col("level") == "skole").sort("grade")
    assert school["suppressed"].to_list() == [True, True, False]  # 4 pupils, then the next smallest group
    assert school["mean"][2] is not None
