"""The demo municipality is calibrated to the national figures in shared/DATA-SOURCES.md (section 8).

Tolerances: one municipality of twelve schools is a small sample of the country, so each
target gets a band a little wider than the national range, stated here beside the target.
"""

from __future__ import annotations

import pytest

RECENT = ["2022/23", "2023/24", "2024/25", "2025/26"]


def _municipality_wellbeing(con, indicator):
    return con.execute(
        "SELECT school_year, avg(score), avg((score > 3.0)::INT) * 100 FROM wellbeing_score"
        " WHERE indicator = ? GROUP BY 1 ORDER BY 1",
        [indicator],
    ).fetchall()


@pytest.fixture(scope="module")
def con(demo_store):
    import duckdb

    from queries.runner import runner_for

    return runner_for(demo_store)._con.cursor()
    del duckdb


# target: generel ~3,6; social = generel + 0,3; støtte = generel - 0,4; ro = generel + 0,1; faglig = generel
@pytest.mark.parametrize(
    "indicator, target, tolerance",
    [
        ("generel", 3.6, 0.08),
        ("social", 3.9, 0.1),
        ("faglig", 3.6, 0.1),
        ("stoette", 3.2, 0.1),
        ("ro", 3.7, 0.1),
    ],
)
def test_wellbeing_indicator_means_match_the_national_level(con, indicator, target, tolerance):
    for year, mean, _ in _municipality_wellbeing(con, indicator):
        assert abs(mean - target) <= tolerance, (year, mean)


def test_share_with_highest_wellbeing_is_86_to_88_percent_in_recent_years(con):
    # target 86-88 %; tolerance +-1.5 pp for a single municipality
    for year, _, share in _municipality_wellbeing(con, "generel"):
        if year in RECENT[1:]:
            assert 84.5 <= share <= 89.5, (year, share)


def test_schools_differ_in_wellbeing_about_as_much_as_nationally(con):
    # target: school means sd 0,15; with twelve schools accept 0,07-0,25
    rows = con.execute("""
        SELECT st.school_year, stddev_samp(m) FROM (
            SELECT st.school_year, st.institution_no, avg(w.score) AS m
            FROM student st JOIN wellbeing_score w USING (school_year, student_key)
            WHERE w.indicator = 'generel' GROUP BY ALL) st GROUP BY 1""").fetchall()
    for year, sd in rows:
        assert 0.07 <= sd <= 0.25, (year, sd)


ABSENCE_SQL = """
    WITH p AS (
        SELECT st.school_year, st.institution_no, st.student_key,
               sum(illness_days + authorised_days + unauthorised_days) * 100.0 / sum(school_days) AS pct,
               sum(illness_days) / nullif(sum(illness_days + authorised_days + unauthorised_days), 0) AS illness
        FROM student st JOIN absence a USING (school_year, student_key) GROUP BY ALL)
    SELECT school_year, avg(pct), avg((pct > 10)::INT) * 100, avg(illness) FROM p GROUP BY 1 ORDER BY 1"""


def test_absence_level_and_share_over_10_percent_match_recent_years(con):
    # targets: total 7,2-7,5 % (tolerance +-0,5), 8,1 % in 2021/22 (+-0,6);
    # share over 10 %: 20-22 % (tolerance +-3 pp), 26 % in 2021/22 (+-4 pp); illness about half
    for year, mean, over10, illness in con.execute(ABSENCE_SQL).fetchall():
        if year == "2021/22":
            assert 7.5 <= mean <= 8.7 and 22 <= over10 <= 30, (year, mean, over10)
        else:
            assert 6.7 <= mean <= 8.0 and 17 <= over10 <= 25, (year, mean, over10)
        assert 0.4 <= illness <= 0.65


def test_absence_differs_between_schools(con):
    # target: school sd ~2 percentage points; accept 1-3,5 (the special school pulls it up)
    sd = con.execute("""
        SELECT stddev_samp(m) FROM (
            SELECT st.institution_no, sum(illness_days + authorised_days + unauthorised_days) * 100.0
                   / sum(school_days) AS m
            FROM student st JOIN absence a USING (school_year, student_key)
            WHERE st.school_year = '2024/25' GROUP BY 1)""").fetchone()[0]
    assert 1.0 <= sd <= 3.5


def test_exam_average_and_school_spread_match_the_published_figures(con):
    # target: school means ~N(7,2; 0,75); municipality mean +-0,4, spread 0,35-1,2
    mean, sd = con.execute("""
        WITH pupil AS (
            SELECT st.institution_no, st.student_key, avg(e.grade) AS g
            FROM student st JOIN exam_grade e USING (school_year, student_key)
            WHERE e.bound AND NOT st.special_class AND st.school_year IN ('2023/24', '2024/25', '2025/26')
            GROUP BY ALL)
        SELECT avg(g), (SELECT stddev_samp(m) FROM (SELECT avg(g) AS m FROM pupil GROUP BY institution_no))
        FROM pupil""").fetchone()
    assert 6.8 <= mean <= 7.6
    assert 0.35 <= sd <= 1.2


def test_socio_economic_differences_centre_on_zero(con):
    # target ~N(0; 0,33): mean within +-0,2, most schools "På niveau"
    mean, share_on_level = con.execute(
        "SELECT avg(difference), avg((significance = 'På niveau')::INT) FROM socio_reference"
    ).fetchone()
    assert abs(mean) <= 0.2
    assert share_on_level >= 0.6


def test_national_test_share_good_matches_reading_and_maths(con):
    # targets: reading 68-72 %, maths 73-75 %; tolerance +-4 pp
    rows = con.execute("""
        SELECT subject, avg((points::DOUBLE / max_points >= 0.5)::INT) * 100 FROM national_test
        WHERE profile_area = 'samlet' GROUP BY 1""").fetchall()
    shares = dict(rows)
    assert 64 <= shares["dansk_laesning"] <= 76
    assert 69 <= shares["matematik"] <= 79


def test_wellbeing_goes_with_exam_results_across_schools(con):
    # target correlation +0,5 between school exam average and well-being; accept > 0,2
    corr = con.execute("""
        WITH s AS (
            SELECT st.institution_no,
                   avg(w.score) FILTER (WHERE w.indicator = 'generel') AS wb
            FROM student st JOIN wellbeing_score w USING (school_year, student_key) GROUP BY 1),
        e AS (
            SELECT st.institution_no, avg(e.grade) AS g FROM student st
            JOIN exam_grade e USING (school_year, student_key)
            WHERE e.bound AND NOT st.special_class GROUP BY 1)
        SELECT corr(wb, g) FROM s JOIN e USING (institution_no)""").fetchone()[0]
    assert corr > 0.2, corr


def test_some_groups_are_small_enough_to_be_suppressed(con):
    small = con.execute("""
        SELECT count(*) FROM (SELECT institution_no, grade, count(*) AS n FROM student
        WHERE school_year = '2025/26' GROUP BY ALL) WHERE n < 5""").fetchone()[0]
    assert small > 0
