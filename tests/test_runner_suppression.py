"""Small groups are suppressed centrally: 4 pupils come back empty and marked, 5 do not."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from data import store
from data.reference import load_reference_tables
from queries.runner import Runner, Scope

BOUND = (
    "Dansk, mundtlig",
    "Dansk, læsning",
    "Dansk, retskrivning",
    "Dansk, skriftlig fremstilling",
    "Matematik uden hjælpemidler",
    "Matematik med hjælpemidler",
    "Engelsk, mundtlig",
    "Fællesprøve i fysik/kemi, biologi og geografi",
)


@pytest.fixture
def tiny_runner(tmp_path):
    """Two schools in one municipality: school 100004 has 4 pupils, 100005 has 5."""
    con = store.connect(tmp_path / "tiny.duckdb")
    load_reference_tables(con)
    con.execute("INSERT INTO municipality VALUES ('101', 'København')")
    con.execute("INSERT INTO school_year VALUES ('2024/25', '2024-08-01', '2025-07-31')")
    for school, pupils in (("100004", 4), ("100005", 5)):
        con.execute(
            "INSERT INTO school (institution_no, name, municipality_code, school_type, in_leaps)"
            " VALUES (?, ?, '101', 'folkeskole', false)",
            [school, f"Skole {pupils}"],
        )
        for i in range(pupils):
            key = f"{school}-{i}"
            con.execute(
                "INSERT INTO student (school_year, student_key, institution_no, grade,"
                " class_name, gender) VALUES ('2024/25', ?, ?, 9, '9.A', 'pige')",
                [key, school],
            )
            con.execute(
                "INSERT INTO wellbeing_score (school_year, student_key, institution_no, indicator, score,"
                " n_answers) VALUES ('2024/25', ?, ?, 'generel', 3.5, 29)",
                [key, school],
            )
            con.execute(
                "INSERT INTO absence (school_year, student_key, institution_no, month, school_days,"
                " illness_days) VALUES ('2024/25', ?, ?, ?, 20, 1)",
                [key, school, date(2024, 9, 1)],
            )
            for subject in BOUND:  # every bound grade: the published average counts only such pupils
                con.execute(
                    "INSERT INTO exam_grade (school_year, student_key, institution_no, subject, bound, grade)"
                    " VALUES ('2024/25', ?, ?, ?, true, 7)",
                    [key, school, subject],
                )
    from data.reference import refresh_absence_year  # as every writer of absence does

    refresh_absence_year(con, pl.DataFrame({"institution_no": ["100004", "100005"], "school_year": "2024/25"}))
    from data import summaries  # and of exam_grade (migration 17)

    summaries.refresh(con)
    store.bump_data_version(con)
    return Runner(con, min_group_size=5)


ADMIN = Scope("admin", None)
QUERIES = [
    (
        "wellbeing_indicators_school_and_municipality",
        {"high_above": 3.0, "grade_from": 0, "grade_to": 9, "gender": "alle"},
        "mean",
    ),
    ("absence_school_and_municipality", {"high_above_pct": 10.0, "grade_from": 0, "grade_to": 9}, "mean"),
    ("exam_bound_average_school_and_municipality", {}, "mean"),
]


@pytest.mark.parametrize("query, extra, value_column", QUERIES)
def test_a_group_of_four_pupils_is_suppressed(tiny_runner, query, extra, value_column):
    frame = tiny_runner.run(query, ADMIN, school="100004", years=["2024/25"], **extra)
    school_row = frame.filter(level="skole").row(0, named=True)
    assert school_row["suppressed"] is True
    assert school_row[value_column] is None
    assert school_row["n"] is None
    assert school_row["school_year"] == "2024/25"  # keys survive so the UI can say why


@pytest.mark.parametrize("query, extra, value_column", QUERIES)
def test_a_group_of_five_pupils_is_shown(tiny_runner, query, extra, value_column):
    frame = tiny_runner.run(query, ADMIN, school="100005", years=["2024/25"], **extra)
    school_row = frame.filter(level="skole").row(0, named=True)
    assert school_row["suppressed"] is False
    assert school_row["n"] == 5
    assert school_row[value_column] is not None


def test_the_municipality_row_of_nine_pupils_is_shown_beside_a_suppressed_school(tiny_runner):
    frame = tiny_runner.run(
        "absence_school_and_municipality",
        ADMIN,
        school="100004",
        years=["2024/25"],
        high_above_pct=10.0,
        grade_from=0,
        grade_to=9,
    )
    municipality = frame.filter(level="kommune").row(0, named=True)
    assert municipality["n"] == 9
    assert municipality["mean"] == pytest.approx(5.0)


def test_the_minimum_group_size_comes_from_configuration(tiny_runner):
    from data.reference import settings

    assert settings()["suppression"]["min_group_size"] == 5
