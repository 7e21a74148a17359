"""The item matrix on the Årgang screen: the year group's profile per signal word and area and one
pupil's development equal an independent polars computation from the imported rows; the kommune role
never reaches any of it; a team only its own year groups; imported text stays text; the colours stay
apart in greyscale."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from components import item_matrix_sections as matrix
from data import __main__ as cli
from data import store
from queries.runner import Runner, Scope, ScopeError
from tests.operational import copy_store
from tests.test_app_pages import login
from tests.test_team_tests import TASKS, pupils, sheet_rows, workbook

BAKKE, YEAR = "900001", "2025/26"
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))
LEADER = Scope("ledelse", frozenset([BAKKE]))
KOMMUNE = Scope("kommune", frozenset([BAKKE, "900002"]), municipality_code="999")
QUERIES = {
    "team_test_list": {},
    "team_test_profile": {},
    "team_test_matrix": {"test_name": "Matematik, januar", "taken_on": date(2026, 1, 20)},
    "team_test_development": {"student_key": "x"},
}


@pytest.fixture
def imported(demo_store, tmp_path):
    """A copy of the demo store with two sheets of the team's tests imported for 5th grade, pupils whose
    points are drawn at random (numbers the demo builder did not make)."""
    import random

    path = tmp_path / "copy.duckdb"
    copy_store(demo_store, path)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM team_test_result WHERE institution_no = ? AND grade = 5", [BAKKE])
    con.close()
    keys = pupils(path, n=30)
    rng = random.Random(7)
    sheets = []
    for title, taken in (("Matematik, september", "15.09.2025"), ("Matematik, januar", "20.01.2026")):
        rows = {
            k: [rng.choice([0, 0.5, 1, 2, 3][: m + 2]) if rng.random() > 0.1 else 0 for *_, m in TASKS]
            for k in keys
            if rng.random() > 0.1
        }
        rows = {k: [min(v, m) for v, (*_, m) in zip(vals, TASKS, strict=True)] for k, vals in rows.items()}
        sheets.append((title[-7:], sheet_rows(title, taken, rows)))
    file = tmp_path / "prøver.xlsx"
    file.write_bytes(workbook(sheets))
    assert cli.main(["--path", str(path), "import", "team-tests", str(file)]) == 0
    return path, Runner(store.connect(path))


def _imported_rows(runner: Runner) -> pl.DataFrame:
    return runner._con.sql("SELECT * FROM team_test_result WHERE institution_no = '900001' AND grade = 5").pl()


def test_the_profile_per_signal_word_and_area_equals_an_independent_polars_computation(imported):
    _, runner = imported
    rows = _imported_rows(runner)
    got = runner.run("team_test_profile", TEAM, school=BAKKE, school_year=YEAR, grade=5)
    for dimension, column in (("signal_word", "signal_word"), ("area", "area")):
        expected = (
            rows.group_by("test_name", "taken_on", column)
            .agg(
                (pl.col("points").sum() / pl.col("max_points").sum()).alias("share"),
                pl.col("student_key").n_unique().alias("n"),
            )
            .rename({column: "label"})
            .sort("test_name", "label")
        )
        shown = (
            got.filter(pl.col("dimension") == dimension)
            .select("test_name", "taken_on", "label", "share", "n")
            .sort("test_name", "label")
        )
        assert shown.height == expected.height > 0
        assert shown.select("test_name", "label", "n").equals(expected.select("test_name", "label", "n"))
        assert (shown["share"] - expected["share"]).abs().max() < 1e-12
    # The group struggles with Undersøg? The figure is whatever the rows say, not a guess.
    assert set(got.filter(pl.col("dimension") == "signal_word")["label"]) == {s for _, s, _, _ in TASKS}


def test_one_pupils_development_across_tests_equals_an_independent_polars_computation(imported):
    _, runner = imported
    rows = _imported_rows(runner)
    pupil = (
        rows.group_by("student_key")
        .agg(pl.col("test_name").n_unique().alias("tests"))
        .filter(pl.col("tests") == 2)["student_key"]
        .sort()[0]
    )
    got = runner.run("team_test_development", TEAM, school=BAKKE, school_year=YEAR, grade=5, student_key=pupil)
    # Every test of the pupil at the school in the team's grades: this year's import and last year's (demo) rows.
    mine = runner._con.sql(
        "SELECT * FROM team_test_result WHERE institution_no = '900001' AND grade IN (4, 5, 6)"
        f" AND student_key = '{pupil}'"
    ).pl()
    expected = (
        pl.concat(
            [
                mine.group_by("taken_on", "test_name").agg(
                    pl.lit("I alt").alias("label"), (pl.col("points").sum() / pl.col("max_points").sum()).alias("share")
                ),
                mine.group_by("taken_on", "test_name", pl.col("area").alias("label")).agg(
                    (pl.col("points").sum() / pl.col("max_points").sum()).alias("share")
                ),
                mine.group_by("taken_on", "test_name", pl.col("signal_word").alias("label")).agg(
                    (pl.col("points").sum() / pl.col("max_points").sum()).alias("share")
                ),
            ],
            how="diagonal_relaxed",
        )
        .select("taken_on", "test_name", "label", "share")
        .sort("taken_on", "test_name", "label")
    )
    shown = got.select("taken_on", "test_name", "label", "share").sort("taken_on", "test_name", "label")
    assert shown.drop("share").equals(expected.drop("share"))
    assert (shown["share"] - expected["share"]).abs().max() < 1e-12
    assert got.filter(pl.col("school_year") == YEAR)["test_name"].n_unique() == 2


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_the_kommune_role_never_reaches_the_team_tests(demo_runner, query):
    with pytest.raises(ScopeError):
        demo_runner.run(query, KOMMUNE, school=BAKKE, school_year=YEAR, grade=5, **QUERIES[query])


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_a_team_reaches_only_its_own_year_groups_and_school(demo_runner, query):
    assert demo_runner.run(query, TEAM, school=BAKKE, school_year=YEAR, grade=5, **QUERIES[query]) is not None
    with pytest.raises(ScopeError):
        demo_runner.run(query, TEAM, school=BAKKE, school_year=YEAR, grade=8, **QUERIES[query])
    with pytest.raises(ScopeError):
        demo_runner.run(query, TEAM, school="900002", school_year=YEAR, grade=5, **QUERIES[query])


def test_a_pupils_earlier_tests_in_another_teams_grades_are_not_shown_to_the_team(demo_runner):
    # A 4th grader this year was in 3rd grade last year: those tests belong to another team.
    pupil = demo_runner.run(
        "team_test_matrix", LEADER, school=BAKKE, school_year=YEAR, grade=4, **QUERIES["team_test_matrix"]
    )["student_key"][0]
    leader = demo_runner.run(
        "team_test_development", LEADER, school=BAKKE, school_year=YEAR, grade=4, student_key=pupil
    )
    team = demo_runner.run("team_test_development", TEAM, school=BAKKE, school_year=YEAR, grade=4, student_key=pupil)
    assert 3 in leader["grade"].to_list() and 3 not in team["grade"].to_list() and team.height > 0


def test_the_development_of_a_pupil_outside_the_year_group_is_empty(demo_runner):
    other = demo_runner.run(
        "team_test_matrix", LEADER, school=BAKKE, school_year=YEAR, grade=8, **QUERIES["team_test_matrix"]
    )["student_key"][0]
    assert demo_runner.run(
        "team_test_development", TEAM, school=BAKKE, school_year=YEAR, grade=5, student_key=other
    ).is_empty()


def test_imported_text_in_the_matrix_is_text_never_html():
    attack = '<img src=x onerror="alert(1)">[x](http://evil.example)'
    frame = pl.DataFrame(
        {
            "class_name": ["5.A"],
            "student_key": ["E1"],
            "pupil": [attack],
            "task_no": [attack],
            "task_order": [1],
            "area": [attack],
            "signal_word": [attack],
            "max_points": [2.0],
            "max_given": [True],
            "points": [1.0],
        }
    )
    html = matrix.matrix_html(frame)
    assert "<img" not in html and "](http" not in html
    assert "&#60;img" in html


# Every way a name, a question text or a value could become markup or leave its attribute: a script,
# an image whose onerror runs, both quotes (out of title="..." and aria-label="..."), a Markdown link.
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '" onmouseover="alert(3)" x="',
    "' onfocus='alert(4)' y='",
    "</td></tr></table><b>ud</b>",
    "[x](http://evil.example)",
]
# The markup the matrix draws itself: nothing else may appear in its HTML.
_TAGS = {"style", "div", "table", "thead", "tbody", "tr", "th", "td", "br"}
_ATTRIBUTES = {"class", "colspan", "rowspan", "style", "title", "aria-label", "tabindex", "role"}


def _parsed(html: str) -> tuple[list[tuple[str, dict]], str]:
    """(every start tag with its attributes, the text a reader sees) of the HTML as a browser reads it."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags, self.text, self.in_style = [], [], False

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))
            self.in_style = tag == "style"

        def handle_endtag(self, tag):
            self.in_style = False

        def handle_data(self, data):
            if not self.in_style:
                self.text.append(data)

    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader.tags, "".join(reader.text)


def _assert_only_our_markup(html: str, texts: list[str]) -> None:
    tags, text = _parsed(html)
    assert {t for t, _ in tags} <= _TAGS, {t for t, _ in tags} - _TAGS
    for tag, attrs in tags:
        assert set(attrs) <= _ATTRIBUTES, (tag, attrs)
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
    readable = text + " ".join(v for _, attrs in tags for k, v in attrs.items() if k in ("title", "aria-label"))
    for hostile in texts:
        assert hostile in readable, hostile  # shown as the text it is, not dropped
    assert "](http" not in html


@pytest.mark.parametrize("attack", HOSTILE)
def test_hostile_names_question_texts_and_values_in_the_matrix_stay_text(attack):
    frame = pl.DataFrame(
        {
            "class_name": [attack] * 2,
            "student_key": ["E1"] * 2,
            "pupil": [attack] * 2,
            "task_no": [attack, "2"],
            "task_order": [1, 2],
            "area": [attack] * 2,
            "signal_word": [attack, "Vis"],
            "max_points": [2.0, 3.0],
            "max_given": [True, False],
            "points": [1.0, 3.0],
        }
    )
    _assert_only_our_markup(matrix.matrix_html(frame), [attack, f"Opgave {attack}:"])


@pytest.mark.parametrize("attack", HOSTILE)
def test_hostile_labels_and_test_names_in_the_profile_and_development_stay_text(attack):
    rows = {
        "dimension": ["signal_word", "area", "total"],
        "label": [attack, attack, "I alt"],
        "taken_on": [date(2026, 1, 20)] * 3,
        "test_name": [attack] * 3,
        "share": [0.2, 0.5, 0.9],
        "n": [12, 12, 12],
        "grade": [5] * 3,
    }
    profile = pl.DataFrame(rows)
    for dimension in ("signal_word", "area"):
        _assert_only_our_markup(matrix.profile_html(profile, dimension), [attack])
    _assert_only_our_markup(matrix.development_html(profile), [attack, f"{attack} (20. januar 2026, 5. kl.)"])


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_the_three_levels_stay_apart_in_greyscale_and_their_numbers_read_on_them():
    grey = [_luminance(background) for _, _, background, _ in matrix.LEVELS]
    assert grey == sorted(grey)  # darker for worse: the order survives greyscale printing
    for low, high in zip(grey, grey[1:], strict=False):
        assert _contrast(low, high) >= 1.8, (low, high)
    for _, _, background, text in matrix.LEVELS:
        assert _contrast(_luminance(background), _luminance(text)) >= 4.5


def test_every_cell_prints_its_number_beside_the_colour():
    frame = pl.DataFrame(
        {
            "class_name": ["5.A"] * 2,
            "student_key": ["E1"] * 2,
            "pupil": ["Elev E1"] * 2,
            "task_no": ["1.1", "1.2"],
            "task_order": [1, 2],
            "area": ["Funktioner"] * 2,
            "signal_word": ["Vis", "Undersøg"],
            "max_points": [3.0, 2.0],
            "max_given": [True] * 2,
            "points": [0.0, 1.5],
        }
    )
    html = matrix.matrix_html(frame)
    assert 'title="Opgave 1.1: 0 (lav)"' in html and ">1,5</td>" in html and 'colspan="2">Funktioner' in html


def test_the_team_sees_the_matrix_on_the_aargang_screen(demo_store):
    at = login("team", "demo-team")
    at.switch_page("views/aargang.py").run()
    assert not at.exception
    assert any("Teamets egne prøver" in h.value for h in at.header)
    assert any('class="item-matrix"' in m.value for m in at.markdown)


def test_no_export_presentation_or_data_package_reads_the_team_tests():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    public = [
        "components/documents.py",
        "components/data_package.py",
        "components/minutes.py",
        "components/presentation.py",
        "components/agenda_document.py",
        "components/exports.py",
        "components/word_documents.py",
        "views/praesentation.py",
    ]
    for name in public:
        text = (root / name).read_text(encoding="utf-8")
        assert "team_test" not in text and "item_matrix" not in text, name
    readers = [p.stem for p in (root / "queries").glob("*.sql") if "team_test_result" in p.read_text("utf-8")]
    assert readers
    for name in readers:  # every query over the team's tests is closed to kommune, and pupil level
        text = (root / "queries" / f"{name}.sql").read_text("utf-8")
        assert "-- roles:" in text and "kommune" not in text.split("-- roles:")[1].splitlines()[0], name
        # ...except the yearly wheel's, which returns the tests' dates only, never points or pupils
        dates_only = "points" not in text.split("UNION ALL")[-1] and "student_key" not in text.split("UNION ALL")[-1]
        assert "-- level: pupil" in text or (name == "year_wheel_team" and dates_only), name
