"""The bound-subjects exam average by the ministry's rule: only pupils with a grade in every one of
the 8 bound exams count; a pupil lacking one is left out, not averaged over the grades he has."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from data.demo_population import DEMO_MUNICIPALITY_CODE
from queries.runner import Scope, runner_for

SCHOOL, YEAR = "900001", "2024/25"
ADMIN = Scope("admin", None)


def _official(con: duckdb.DuckDBPyConnection, school: str | None) -> tuple[float, int]:
    """Independent: per pupil the 8 bound grades in polars, only complete pupils, then the mean."""
    grades = con.sql(
        "SELECT st.institution_no, st.student_key, e.subject, e.grade FROM student st "
        "JOIN exam_grade e USING (school_year, student_key) "
        "WHERE st.school_year = ? AND e.bound AND NOT st.special_class",
        params=[YEAR],
    ).pl()
    sql = "SELECT municipality_code FROM school WHERE institution_no = ?"
    [(municipality,)] = con.execute(sql, [SCHOOL]).fetchall()
    peers = con.sql("SELECT institution_no FROM school WHERE municipality_code = ?", params=[municipality]).pl()
    grades = grades.join(peers, on="institution_no")
    if school:
        grades = grades.filter(pl.col("institution_no") == school)
    per_pupil = grades.group_by("student_key").agg(pl.col("grade").cast(pl.Float64).mean(), pl.len().alias("k"))
    complete = per_pupil.filter(pl.col("k") == 8)
    return complete["grade"].mean(), complete.height


@pytest.fixture
def with_gaps(store_copy):
    """Ten pupils of the school lose one bound grade each (an exemption, illness on the day); the
    ones chosen had low grades there, so averaging over the other seven would lift the school."""
    con = duckdb.connect(str(store_copy))
    con.execute(
        """
        DELETE FROM exam_grade WHERE (school_year, student_key, subject) IN (
            SELECT e.school_year, e.student_key, e.subject FROM exam_grade e
            JOIN student st USING (school_year, student_key)
            WHERE st.institution_no = ? AND e.school_year = ? AND e.subject = 'Dansk, retskrivning'
              AND NOT st.special_class
            ORDER BY e.grade, e.student_key LIMIT 10)""",
        [SCHOOL, YEAR],
    ).fetchall()
    from data import summaries  # as every writer of exam_grade does (migration 17)

    summaries.refresh(con, pl.DataFrame({"institution_no": [SCHOOL], "school_year": [YEAR]}))
    con.execute("UPDATE store_info SET value = 'gaps' WHERE key = 'data_version'").fetchall()
    yield store_copy, con
    con.close()


def test_pupils_missing_one_bound_grade_are_left_out_of_the_average_and_n(with_gaps):
    path, con = with_gaps
    mean, n = _official(con, SCHOOL)
    mun_mean, mun_n = _official(con, None)
    con.close()
    frame = runner_for(path).run("exam_bound_average_school_and_municipality", ADMIN, school=SCHOOL, years=[YEAR])
    school = frame.filter(pl.col("level") == "skole").row(0, named=True)
    municipality = frame.filter(pl.col("level") == "kommune").row(0, named=True)
    assert school["n"] == n
    assert school["mean"] == pytest.approx(mean)
    assert (municipality["mean"], municipality["n"]) == (pytest.approx(mun_mean), mun_n)


def test_the_overblik_card_and_the_kommune_table_use_the_same_rule(with_gaps):
    from queries.key_figures import exam_figure

    path, con = with_gaps
    mean, n = _official(con, SCHOOL)
    con.close()
    runner = runner_for(path)
    fig = exam_figure(runner, ADMIN, SCHOOL, YEAR)
    assert (fig.value, fig.n) == (pytest.approx(mean), n)
    assert "alle 8 bundne prøver" in fig.source
    table = runner.run(
        "municipality_school_indicators", ADMIN, municipality=DEMO_MUNICIPALITY_CODE, years=[YEAR], high_above=3.0
    )
    row = table.filter((pl.col("institution_no") == SCHOOL) & (pl.col("indicator") == "exam_bound_average"))
    assert (row["value"][0], row["n"][0]) == (pytest.approx(mean), n)
