"""Joined reads of the team's pupil tables (issue 18): a query of one school hands DuckDB only the
rows of the pupils ever registered at that school, so its cost after a commit follows the school,
not the store; its figures equal those of the whole tables."""

from __future__ import annotations

import time

import duckdb
import polars as pl
import pytest

from data import operational_store, store
from queries.runner import Runner, Scope, load_query, query_names
from tests.operational import ops_rows

PUPIL_TABLES = set(operational_store.PUPIL_WORK_TABLES)
SCHOOLS = ("900001", "900005", "900012")
YEARS = (("2025/26", "2024/25"), ("2024/25", "2023/24"))  # the demo team has assessed the last two
GRADES = (1, 5, 9)


def joined_reads() -> list[str]:
    """Every read that runs in DuckDB and names one of the team's pupil tables."""
    return [
        n
        for n in query_names()
        if load_query(n).joins_stores
        and load_query(n).operational & PUPIL_TABLES
        and load_query(n).level not in ("write", "owner", "guard")
    ]


def calls(runner: Runner, name: str):
    """Parameters of `name` for several schools, school years and grades (and pupils with triangles)."""
    for school in SCHOOLS:
        for year, previous in YEARS:
            for grade in GRADES:
                params = {
                    "year_group_assessments": dict(school_year=year, previous_year=previous, grade=grade),
                    "year_group_warning_signs": dict(school_year=year, grade=grade, min_signals=1),
                    "year_wheel_team": dict(school_year=year),
                }.get(name)
                if name == "triangle_placements":
                    for key, subject in placed_pupils(runner, school, year, grade):
                        yield school, dict(school_year=year, grade=grade, student_key=key, subject=subject)
                elif params is None:
                    raise AssertionError(f"{name} joins the pupil tables for one school: give it parameters here")
                else:
                    yield school, params


def placed_pupils(runner: Runner, school: str, year: str, grade: int) -> list[tuple[str, str]]:
    cur = runner._connection().cursor()
    keys = [
        k
        for (k,) in cur.execute(
            "SELECT student_key FROM student WHERE institution_no = ? AND school_year = ? AND grade = ?",
            [school, year, grade],
        ).fetchall()
    ]
    cur.close()
    placed = runner.ops.frame("triangle_placement").filter(pl.col("student_key").is_in(keys))
    return placed.select("student_key", "subject").unique().sort("student_key", "subject").head(3).rows()


@pytest.mark.both_ops_backends
def test_every_school_read_of_the_pupil_tables_gives_the_figures_of_the_whole_tables(store_copy):
    runner = Runner(store.connect(store_copy, read_only=True), read_only=True)
    names = joined_reads()
    assert {"year_group_assessments", "year_group_warning_signs", "year_wheel_team", "triangle_placements"} <= set(
        names
    )
    compared = rows = 0
    for name in names:
        if not load_query(name).school_pupils:
            continue  # without `-- pupils: school` a read keeps the whole tables: nothing to compare
        for school, params in calls(runner, name):
            scope = Scope("ledelse", frozenset([school]))
            runner.school_pupil_frames = False
            whole = runner.fresh(name, scope, school=school, **params)
            runner.school_pupil_frames = True
            assert runner.fresh(name, scope, school=school, **params).equals(whole), (name, school, params)
            compared += 1
            rows += whole.height
    assert compared >= 60 and rows > 1000  # the demo's schools have assessments and triangles to compare


@pytest.mark.both_ops_backends
def test_a_login_converts_nothing_and_a_commit_of_assessments_only_the_schools_pupils_rows(store_copy, monkeypatch):
    from components import auth

    runner = Runner(store.connect(store_copy, read_only=True), read_only=True)
    whole: list[str] = []
    read_frame = operational_store.OperationalStore._read_frame
    monkeypatch.setattr(
        operational_store.OperationalStore,
        "_read_frame",
        lambda self, table: whole.append(table) or read_frame(self, table),
    )
    scope = Scope("ledelse", frozenset(["900003"]))
    params = dict(school="900003", school_year="2025/26", previous_year="2024/25", grade=5)
    first = runner.run("year_group_assessments", scope, **params)
    assert first["score"].drop_nulls().len() > 0
    converted = runner.ops.pupil_rows_read
    runner.write("record_login_session", auth.SYSTEM, "leder", [{"username": "leder", "expires": time.time() + 600}])
    assert runner.run("year_group_assessments", scope, **params) is first  # a login changes no assessment
    assert runner.ops.pupil_rows_read == converted
    with runner.ops.transaction() as cur:  # as another process's commit of assessments (of any school)
        cur.touch("pupil_assessment")
    again = runner.run("year_group_assessments", scope, **params)
    assert again.equals(first) and again is not first
    assert "pupil_assessment" not in whole
    total = ops_rows(store_copy, "SELECT count(*) FROM pupil_assessment")[0][0]
    assert 0 < runner.ops.pupil_rows_read - converted < total / 4  # the school's pupils' rows, not the store's


def test_a_pupil_who_moved_keeps_last_years_assessments_from_the_school_before(store_copy):
    """The rows handed over are those of every pupil ever registered at the school, in every school
    year: last year's assessment of a pupil who was at another school then is still shown."""
    school, other, year, previous = "900003", "900004", "2025/26", "2024/25"
    con = duckdb.connect(str(store_copy))
    (key,) = con.execute(
        "SELECT min(student_key) FROM student WHERE institution_no = ? AND school_year = ? AND grade = 5",
        [school, year],
    ).fetchone()
    con.execute(
        "UPDATE student SET institution_no = ? WHERE student_key = ? AND school_year = ?", [other, key, previous]
    )
    con.close()
    assert (
        ops_rows(
            store_copy,
            "SELECT count(*) FROM pupil_assessment WHERE student_key = ? AND school_year = ?",
            [key, previous],
        )[0][0]
        > 0
    )
    runner = Runner(store.connect(store_copy, read_only=True), read_only=True)
    scope = Scope("ledelse", frozenset([school]))
    params = dict(school=school, school_year=year, previous_year=previous, grade=5)
    runner.school_pupil_frames = False
    whole = runner.fresh("year_group_assessments", scope, **params)
    runner.school_pupil_frames = True
    shown = runner.fresh("year_group_assessments", scope, **params)
    assert shown.equals(whole)
    assert shown.filter((pl.col("student_key") == key) & (pl.col("school_year") == previous)).height > 0
