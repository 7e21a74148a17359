"""Honest axes and uncertainty (issue 17 point 4), on the specs the charts hand to Vega-Lite: a value
axis that does not start at 0 says so on the chart, a mean is drawn with its 95 % interval, and the
n under a chart is the pupils behind it in the chosen school year."""

from __future__ import annotations

import json

import polars as pl
import pytest

from components import charts

NOT_ZERO = "starter ikke ved 0"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def starts_elsewhere(spec: dict) -> bool:
    """A quantitative position channel whose scale leaves out 0 (zero: false or a domain without 0)."""
    for node in _walk(spec):
        for channel in ("x", "y"):
            enc = node.get(channel) if isinstance(node.get(channel), dict) else None
            if not enc or enc.get("type") != "quantitative" or not isinstance(enc.get("scale"), dict):
                continue
            scale = enc["scale"]
            domain = scale.get("domain")
            if scale.get("zero") is False or (
                isinstance(domain, list)
                and len(domain) == 2
                and all(isinstance(d, int | float) for d in domain)
                and not domain[0] <= 0 <= domain[1]
            ):
                return True
    return False


def says_not_zero(spec: dict) -> bool:
    return NOT_ZERO in json.dumps(spec.get("title", ""), ensure_ascii=False).lower() or any(
        NOT_ZERO in str(n.get("title", "")).lower() for n in _walk(spec) if isinstance(n, dict)
    )


def interval_marks(spec: dict) -> list[dict]:
    """Layers drawn from Nedre to Øvre (a band or error bars)."""
    return [
        n
        for n in _walk(spec)
        if isinstance(n, dict)
        and isinstance(n.get("encoding"), dict)
        and any(isinstance(v, dict) and v.get("field") == "Øvre" for v in n["encoding"].values())
    ]


def _trend_frame(interval: bool = True) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "Skoleår": ["2023/24", "2024/25"] * 2,
            "Serie": ["Skolen"] * 2 + ["Kommunen"] * 2,
            "Gennemsnit": [3.8, 3.9, 3.7, 3.75],
        }
    )
    if interval:
        frame = frame.with_columns(
            (pl.col("Gennemsnit") - 0.1).alias("Nedre"), (pl.col("Gennemsnit") + 0.1).alias("Øvre")
        )
    return frame


def _grouped_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Serie": ["Skolen", "Kommunen"] * 2,
            "Klassetrin": ["4.", "4.", "5.", "5."],
            "Gennemsnit": [3.8, 3.7, 3.9, 3.75],
            "Nedre": [3.7, 3.65, 3.8, 3.7],
            "Øvre": [3.9, 3.75, 4.0, 3.8],
        }
    )


BUILT = {
    "trend": lambda: charts.trend(_trend_frame(False), "Gennemsnit", "Trivsel (1–5)", 2),
    "grouped_bars (means)": lambda: charts.grouped_bars(
        _grouped_frame(), "Klassetrin", "Gennemsnit", "Trivsel (1–5)", 2, zero=False
    ),
    "grouped_bars (shares)": lambda: charts.grouped_bars(_grouped_frame(), "Klassetrin", "Gennemsnit", "Andel (%)", 1),
    "scatter": lambda: charts.scatter(
        pl.DataFrame({"a": [5.0, 8.0, 9.0], "b": [3.5, 3.7, 3.9], "k": ["4.", "5.", "6."]}),
        "a",
        "b",
        "k",
        "Fravær (%)",
        "Trivsel",
    ),
}


@pytest.mark.parametrize("name", list(BUILT))
def test_a_value_axis_that_does_not_start_at_zero_says_so_on_the_chart(name):
    spec = BUILT[name]().to_dict()
    assert starts_elsewhere(spec) == says_not_zero(spec), name


def test_the_check_sees_an_axis_that_leaves_out_zero_and_one_that_says_so():
    plain = charts.trend(_trend_frame(False), "Gennemsnit", "Trivsel", 2).to_dict()
    assert starts_elsewhere(plain)
    assert not starts_elsewhere(
        charts.grouped_bars(_grouped_frame(), "Klassetrin", "Gennemsnit", "Andel (%)", 1).to_dict()
    )
    assert not says_not_zero({"title": "Trivsel"}) and says_not_zero({"title": {"text": "Aksen starter ikke ved 0"}})


def test_a_trend_of_means_draws_the_95_percent_interval_where_it_is_given():
    assert interval_marks(charts.trend(_trend_frame(True), "Gennemsnit", "Trivsel (1–5)", 2).to_dict())
    assert not interval_marks(charts.trend(_trend_frame(False), "Gennemsnit", "Trivsel (1–5)", 2).to_dict())


def test_means_by_group_are_drawn_with_their_95_percent_interval():
    spec = charts.grouped_bars(_grouped_frame(), "Klassetrin", "Gennemsnit", "Trivsel (1–5)", 2, zero=False).to_dict()
    assert interval_marks(spec)


def test_the_interval_is_the_mean_plus_minus_z_standard_errors_with_the_design_effect():
    from components.screen import with_interval

    frame = pl.DataFrame({"mean": [3.5, None], "sd": [0.8, 0.8], "n": [64, 3]})
    out = with_interval(frame, deff=1.21)
    half = 1.96 * 0.8 / 8 * 1.1
    assert out["Nedre"][0] == pytest.approx(3.5 - half) and out["Øvre"][0] == pytest.approx(3.5 + half)
    assert out["Nedre"][1] is None and out["Øvre"][1] is None  # a hidden group gets no interval
    shares = with_interval(pl.DataFrame({"share": [20.0], "n": [100]}), value="share", kind="pct")
    assert shares["Øvre"][0] - 20.0 == pytest.approx(1.96 * 4.0)


@pytest.fixture
def drawn(monkeypatch):
    """What the sections hand to the page: each chart's spec and each caption (source line)."""
    seen = {"specs": [], "captions": []}
    monkeypatch.setattr(charts, "draw", lambda chart, width="stretch": seen["specs"].append(charts.spec(chart)))
    monkeypatch.setattr(charts.st, "caption", lambda text, *a, **k: seen["captions"].append(text))
    return seen


def _n_in(caption: str) -> int:
    import re

    return int(re.search(r"n = ([\d.]+) elever", caption).group(1).replace(".", ""))


def test_the_wellbeing_trend_draws_intervals_and_takes_n_from_the_chosen_year(demo_runner, drawn):
    from components import wellbeing_sections
    from queries.runner import Scope

    scope, school = Scope("admin", None), "900001"
    years = demo_runner.run("school_years", scope)["school_year"].to_list()
    chosen = years[-1]  # the oldest, not the newest
    wellbeing_sections.trend(demo_runner, scope, school, years, "generel", (4, 9), "alle", chosen)
    [spec], [caption] = drawn["specs"], drawn["captions"]
    assert interval_marks(spec) and says_not_zero(spec)
    frame = demo_runner.run(
        "wellbeing_indicators_school_and_municipality",
        scope,
        school=school,
        years=[chosen],
        grade_from=4,
        grade_to=9,
        gender="alle",
    )
    pupils = frame.filter((pl.col("level") == "skole") & (pl.col("indicator") == "generel"))["n"][0]
    newest = demo_runner.run(
        "wellbeing_indicators_school_and_municipality",
        scope,
        school=school,
        years=[years[0]],
        grade_from=4,
        grade_to=9,
        gender="alle",
    ).filter((pl.col("level") == "skole") & (pl.col("indicator") == "generel"))["n"][0]
    assert pupils != newest  # the demo school's years differ, so the test can tell them apart
    assert _n_in(caption) == pupils and chosen in caption


def test_the_wellbeing_breakdown_by_grade_draws_each_mean_with_its_interval(demo_runner, drawn):
    from components import wellbeing_sections
    from queries.runner import Scope

    scope = Scope("admin", None)
    year = demo_runner.run("school_years", scope)["school_year"][0]
    wellbeing_sections.breakdown(demo_runner, scope, "900001", year, "generel", "Klassetrin")
    [spec] = drawn["specs"]
    assert interval_marks(spec) and says_not_zero(spec)


@pytest.mark.parametrize("section", ["absence", "test", "exam"])
def test_the_other_trends_take_n_from_the_chosen_year_and_draw_intervals_where_a_mean_is_shown(
    demo_runner, drawn, section
):
    from components import absence_sections, achievement_sections
    from queries.key_figures import exam_figure
    from queries.runner import Scope

    scope, school = Scope("admin", None), "900001"
    years = demo_runner.run("school_years", scope)["school_year"].to_list()
    chosen = years[1]
    if section == "absence":
        absence_sections.trend(demo_runner, scope, school, years, (0, 9), chosen)
        assert all(interval_marks(s) for s in drawn["specs"]) and len(drawn["specs"]) == 2
    elif section == "test":
        achievement_sections.test_trend_and_gender(demo_runner, scope, school, years, "dansk_laesning", chosen)
        # shares of good results over the years and by gender, each with its 95 % interval
        assert interval_marks(drawn["specs"][0]) and interval_marks(drawn["specs"][1])
        assert charts.INTERVAL_NOTE in drawn["captions"][0]
        gender = demo_runner.run("national_test_by_gender", scope, school=school, school_year=chosen).filter(
            (pl.col("subject") == "dansk_laesning") & (pl.col("level") == "skole")
        )
        assert _n_in(drawn["captions"][1]) == gender["n"].sum()  # both genders, not the larger one
    else:
        achievement_sections.exam_overview(
            demo_runner, scope, school, chosen, years, exam_figure(demo_runner, scope, school, chosen)
        )
        assert interval_marks(drawn["specs"][0]) and interval_marks(drawn["specs"][1])
        gender = demo_runner.run("exam_by_gender", scope, school=school, school_year=chosen).filter(
            pl.col("level") == "skole"
        )
        assert _n_in(drawn["captions"][-1]) == gender["n"].sum()
    assert any(f"(skoleåret {chosen})" in c for c in drawn["captions"])  # the trend's n is the chosen year's


def test_the_kommune_small_multiples_say_their_axes_do_not_start_at_zero(demo_runner, drawn, monkeypatch):
    from components import municipality_sections
    from queries.runner import Scope

    scope = Scope("admin", None)
    municipality = demo_runner.run("municipalities", scope)["code"][0]
    years = demo_runner.run("school_years", scope)["school_year"].to_list()
    frame = municipality_sections.load(demo_runner, scope, municipality, years)
    monkeypatch.setattr(municipality_sections.st, "caption", lambda *a, **k: None)
    municipality_sections.across_years(frame, "wellbeing_generel")
    [spec] = drawn["specs"]
    assert starts_elsewhere(spec) and says_not_zero(spec)


def test_the_kommune_small_multiples_draw_every_text_at_18_px_in_near_black():
    """The 18 px browser test does not visit the Kommune screen's chart per school; its spec must keep the theme."""
    data = pl.DataFrame(
        {
            "Skole": ["A", "A", "B", "B"],
            "Skoleår": ["2024/25", "2025/26"] * 2,
            "Værdi": [3.6, 3.7, 3.5, 3.4],
            "Kommunen": [3.6, 3.6, 3.6, 3.6],
        }
    )
    spec = charts.school_facets(data, "Generel trivsel", 2).to_dict(validate=True)
    sizes, colours = [], []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("labelFontSize", "titleFontSize", "fontSize"):
                    sizes.append((key, value))
                elif key in ("labelColor", "titleColor"):
                    colours.append((key, value))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    assert sizes and all(size >= 18 for _, size in sizes), sizes
    assert {"labelColor", "titleColor"} <= {key for key, _ in colours}
    assert all(colour == charts.TEXT_COLOUR for _, colour in colours), colours


def _n_or_none(caption: str) -> int | None:
    import re

    found = re.search(r"n = ([\d.]+) elever", caption)
    return int(found.group(1).replace(".", "")) if found else None


def test_the_participation_charts_draw_the_95_percent_interval_and_the_pupils_behind_them(demo_runner, drawn):
    from components import participation_sections as participation
    from queries.runner import Scope
    from queries.statistics import design_effects

    scope, school = Scope("admin", None), "900001"
    years = demo_runner.run("school_years", scope)["school_year"].to_list()
    chosen = years[1]
    frame = participation.load(demo_runner, scope, school, years)
    effects = design_effects(demo_runner, scope, chosen)
    participation.by_unit(frame, chosen, "absence_over10", "klassetrin", effects)
    participation.trend(frame, "absence_over10", None, chosen, effects)
    participation.gaps(demo_runner, scope, school, chosen, effects)
    assert len(drawn["specs"]) == 4  # by grade, over the years, and the two comparisons of pupil groups
    assert all(interval_marks(spec) for spec in drawn["specs"])
    rows = frame.filter((pl.col("indicator") == "absence_over10") & (pl.col("school_year") == chosen))
    grades = rows.filter(pl.col("unit_kind") == "klassetrin")
    whole = rows.filter(pl.col("unit_kind") == "skole")["n"][0]
    assert grades["n"].drop_nulls().len() > 1 and grades["n"].max() < whole  # the largest grade is not the chart
    by_grade, over_years, *comparisons = drawn["captions"]
    assert _n_or_none(by_grade) == grades["n"].drop_nulls().sum()  # the grades' pupils add up
    assert _n_or_none(over_years) == whole and f"(skoleåret {chosen})" in over_years
    newest = frame.filter(
        (pl.col("indicator") == "absence_over10")
        & (pl.col("school_year") == years[0])
        & (pl.col("unit_kind") == "skole")
    )["n"][0]
    assert newest != whole  # the chosen year's n, which the newest year's would not equal
    gaps = demo_runner.run(
        "participation_gaps", scope, school=school, school_year=chosen, low_social=settings_low_social()
    )
    for caption, (comparison, part) in zip(comparisons, gaps.group_by("comparison", maintain_order=True), strict=True):
        per_indicator = part.group_by("indicator").agg(pl.col("n").sum())["n"]
        assert _n_or_none(caption) == per_indicator.max(), comparison


def settings_low_social() -> float:
    from data.reference import settings

    return settings()["participation"]["low_social_wellbeing_at_or_below"]


def test_the_exam_by_subject_chart_counts_each_pupil_once_not_its_largest_subject(store_copy, drawn):
    """Pupils sit several exams: with subjects of different sizes (pupils missing one subject or
    another), the n under the chart is the distinct pupils with a grade, from the query."""
    import duckdb

    from components import achievement_sections
    from data import store, summaries
    from queries.runner import Runner, Scope

    school, year = "900001", "2025/26"
    con = duckdb.connect(str(store_copy))
    keys = [
        k
        for (k,) in con.execute(
            "SELECT DISTINCT e.student_key FROM exam_grade e JOIN student s USING (school_year, student_key) "
            "WHERE s.institution_no = ? AND s.school_year = ? AND NOT s.special_class ORDER BY 1",
            [school, year],
        ).fetchall()
    ]
    assert len(keys) > 20
    # a different tenth of the pupils misses each subject: every subject now has fewer pupils than the chart
    subjects = [s for (s,) in con.execute("SELECT DISTINCT subject FROM exam_grade ORDER BY 1").fetchall()]
    assert 1 < len(subjects) < 10
    con.execute("BEGIN TRANSACTION")
    for i, subject in enumerate(subjects):
        con.execute(
            "DELETE FROM exam_grade WHERE school_year = ? AND subject = ? AND list_contains(?, student_key)",
            [year, subject, keys[i::10]],
        )
    summaries.refresh(con, f"SELECT '{school}' AS institution_no, '{year}' AS school_year")
    con.execute("COMMIT")
    distinct = con.execute(
        "SELECT count(DISTINCT e.student_key) FROM exam_grade e JOIN student s USING (school_year, student_key) "
        "WHERE s.institution_no = ? AND s.school_year = ? AND NOT s.special_class",
        [school, year],
    ).fetchone()[0]
    con.close()
    runner = Runner(store.connect(store_copy))
    subjects = runner.run("exam_by_subject", Scope("admin", None), school=school, school_year=year)
    largest = subjects.filter(pl.col("level") == "skole")["n"].max()
    assert largest < distinct == len(keys)
    achievement_sections.exam_subjects_and_marks(runner, Scope("admin", None), school, year)
    assert _n_or_none(drawn["captions"][0]) == distinct


# Each chart whose rows share pupils (every pupil answers many questions, has absence in many months),
# and the distinct pupils behind it counted from the pupil rows, independently of the queries.
DISTINCT = {
    "drilldown": """SELECT count(DISTINCT st.student_key) FROM student st
        JOIN wellbeing_answer a USING (school_year, student_key, institution_no)
        JOIN wellbeing_question q USING (question_id)
        WHERE st.institution_no = $1 AND st.school_year = $2 AND q.grade_band = '4-9' AND q.indicator IS NOT NULL""",
    "questionnaire_0_3": """SELECT count(DISTINCT st.student_key) FROM student st
        JOIN wellbeing_answer a USING (school_year, student_key, institution_no)
        JOIN wellbeing_question q USING (question_id)
        WHERE st.institution_no = $1 AND st.school_year = $2 AND q.grade_band = '0-3' AND st.grade BETWEEN 0 AND 3""",
    "by_month": """SELECT count(DISTINCT st.student_key) FROM student st
        JOIN absence a USING (school_year, student_key, institution_no)
        WHERE st.institution_no = $1 AND st.school_year = $2 AND a.school_days > 0""",
}


@pytest.mark.parametrize("section", list(DISTINCT))
def test_a_chart_whose_rows_share_pupils_names_each_pupil_once(demo_runner, drawn, section):
    from components import absence_sections, wellbeing_sections
    from queries.runner import Scope

    scope, school = Scope("admin", None), "900001"
    year = demo_runner.run("school_years", scope)["school_year"][0]
    if section == "drilldown":
        wellbeing_sections.drilldown(demo_runner, scope, school, year, "generel")
    elif section == "questionnaire_0_3":
        wellbeing_sections.questionnaire_0_3(demo_runner, scope, school, year, -1)
    else:
        absence_sections.by_month(demo_runner, scope, school, year, (0, 9))
    cur = demo_runner.import_cursor()
    try:
        pupils = cur.execute(DISTINCT[section], [school, year]).fetchone()[0]
    finally:
        cur.close()
    assert _n_or_none(drawn["captions"][0]) == pupils


def test_the_presentation_and_the_documents_draw_each_trend_with_its_95_percent_interval(demo_runner):
    """The trends of the presentation, the data package and the minutes (data_package.trend_frames)
    show means: each with its interval, from the cards' statistics."""
    from components import data_package
    from queries.runner import Scope

    scope = Scope("admin", None)
    years = demo_runner.run("school_years", scope)["school_year"].to_list()
    frames = data_package.trend_frames(demo_runner, scope, "900001", years)
    for key, frame in frames.items():
        value, axis, decimals = data_package.CHART_SPECS[key]
        assert interval_marks(charts.trend(frame, value, axis, decimals).to_dict()), key
        school = frame.filter(pl.col("Serie") == "Skolen")
        assert (school["Nedre"] < school[value]).all() and (school[value] < school["Øvre"]).all(), key
