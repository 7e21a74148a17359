"""The effort register (indsatser): saved through the runner with the owner check and the audit
log, refused in Danish when something is wrong (and then nothing changes), and drawn as a labelled
vertical rule on the trend charts of the indicators it aims at, and only those."""

from __future__ import annotations

import json
from datetime import date

import altair as alt
import duckdb
import polars as pl
import pytest

from queries import efforts
from queries.runner import QueryError, Runner, Scope
from tests.operational import ops_rows

BAKKE, OTHER = "900001", "900002"
LEADER = Scope("ledelse", frozenset([BAKKE]))
ADMIN = Scope("admin", None)
TEAM = Scope("team", frozenset([BAKKE]), grades=frozenset([4, 5, 6]))


def effort(**changes) -> dict:
    return {
        "name": "Læseindsats i indskolingen",
        "starts_on": date(2023, 9, 1),
        "ends_on": None,
        "indicators": ["wellbeing_generel", "test_good_share_dansk_laesning"],
        "description": "Læsebånd hver morgen.",
    } | changes


def rows(runner: Runner) -> list[tuple]:
    """The register as the operational store keeps it (the indicators as their JSON text)."""
    return ops_rows(runner, "SELECT institution_no, name, starts_on, indicators FROM effort ORDER BY 1, 2, 3, 4")


def without_demo_efforts(runner: Runner) -> Runner:
    """The demo build registers a few efforts per school (data/demo_programmes.efforts); start empty."""
    with runner.ops.transaction() as cur:
        cur.execute("DELETE FROM effort")
    return runner


def test_an_effort_is_saved_read_back_and_audited_under_its_school(store_copy):
    runner = without_demo_efforts(Runner(duckdb.connect(str(store_copy))))
    assert efforts.save(runner, LEADER, "leder", BAKKE, [effort()]) == []
    saved = efforts.load(runner, LEADER, BAKKE)
    assert saved["name"].to_list() == ["Læseindsats i indskolingen"]
    assert saved["indicators"].to_list() == [["wellbeing_generel", "test_good_share_dansk_laesning"]]
    ((action, school),) = ops_rows(runner, "SELECT action, school FROM audit_log ORDER BY entry_id DESC LIMIT 1")
    assert (action, school) == ("indsats tilføjet", BAKKE)
    changed = effort(name="Læsebånd", effort_id=saved["effort_id"][0])
    assert efforts.save(runner, LEADER, "leder", BAKKE, [changed]) == []
    assert efforts.load(runner, LEADER, BAKKE)["name"].to_list() == ["Læsebånd"]
    assert efforts.save(runner, LEADER, "leder", BAKKE, [], [saved["effort_id"][0]]) == []
    assert efforts.load(runner, LEADER, BAKKE).is_empty()


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"name": "  "}, "skal have et navn"),
        ({"name": "x" * 81}, "højst være 80 tegn"),
        ({"starts_on": None}, "hvornår indsatsen startede"),
        ({"ends_on": date(2022, 1, 1)}, "slutter (01.01.2022) før den starter (01.09.2023)"),
        ({"indicators": []}, "mindst én indikator"),
        ({"indicators": ["wellbeing_generel", "pupil_names"]}, "ukendt indikator: pupil_names"),
        ({"description": "x" * 5001}, "Teksten er for lang"),  # the runner's own limit (_check_lengths)
    ],
)
def test_a_refused_effort_says_why_in_danish_and_changes_nothing(store_copy, changes, words):
    runner = Runner(duckdb.connect(str(store_copy)))
    before = rows(runner)
    errors = efforts.save(runner, LEADER, "leder", BAKKE, [effort(), effort(**changes)])
    assert errors and words in " ".join(errors)
    assert rows(runner) == before  # the valid row beside it is not saved either


def test_a_leader_cannot_change_or_remove_another_schools_effort_by_naming_its_key(store_copy):
    runner = Runner(duckdb.connect(str(store_copy)))
    assert efforts.save(runner, ADMIN, "admin", OTHER, [effort(name="Ny samtalemodel")]) == []
    other_id = efforts.load(runner, ADMIN, OTHER)["effort_id"][0]
    before = rows(runner)
    assert efforts.save(runner, LEADER, "leder", BAKKE, [effort(effort_id=other_id, name="Overskrevet")])
    assert efforts.save(runner, LEADER, "leder", BAKKE, [], [other_id])
    assert efforts.save(runner, LEADER, "leder", OTHER, [effort()])  # another school as $school
    assert rows(runner) == before


@pytest.mark.parametrize(
    "scope", [TEAM, Scope("kommune", frozenset([BAKKE]), municipality_code="999")], ids=["team", "kommune"]
)
def test_only_the_leadership_and_admin_keep_the_register(store_copy, scope):
    runner = Runner(duckdb.connect(str(store_copy)))
    before = rows(runner)
    assert not runner.may_write("insert_effort", scope)
    assert efforts.save(runner, scope, "u", BAKKE, [effort()]) == [efforts.NOT_YOURS]
    with pytest.raises(QueryError):  # and the runner refuses it whoever calls it
        runner.write(
            "insert_effort",
            scope,
            "u",
            [
                {
                    "school": BAKKE,
                    "username": "u",
                    "name": "x",
                    "starts_on": date(2024, 1, 1),
                    "ends_on": None,
                    "indicators": ["wellbeing_generel"],
                    "description": None,
                }
            ],
        )
    assert rows(runner) == before


def test_an_effort_starting_in_autumn_or_spring_belongs_to_that_school_year():
    assert efforts.school_year_of(date(2023, 8, 1)) == "2023/24"
    assert efforts.school_year_of(date(2024, 7, 31)) == "2023/24"
    assert efforts.school_year_of(date(2024, 2, 1)) == "2023/24"


def _rule_texts(spec: dict) -> tuple[list[str], list[str]]:
    """(years of the rules, labels) in a chart's Vega-Lite spec."""
    years, labels = [], []
    for layer in spec["layer"]:
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        data = spec["datasets"][layer["data"]["name"]] if "data" in layer else []
        if mark == "rule":
            years += [d["Skoleår"] for d in data]
        if mark == "text":
            labels += [d["Indsats"] for d in data]
    return years, labels


def test_an_effort_is_a_labelled_rule_on_the_trends_of_its_indicators_only():
    from components import charts

    frame = pl.DataFrame(
        {
            "Serie": ["Skolen", "Kommunen"] * 3,
            "Skoleår": ["2022/23"] * 2 + ["2023/24"] * 2 + ["2024/25"] * 2,
            "Gennemsnit": [3.8, 3.7, 3.9, 3.7, 3.95, 3.8],
        }
    )
    register = pl.DataFrame(
        {
            "effort_id": ["a", "b", "c"],
            "name": ["Læseindsats", "<b>Ny samtalemodel</b>", "Gammel"],
            "starts_on": [date(2023, 9, 1), date(2024, 1, 10), date(2019, 9, 1)],
            "indicators": [["wellbeing_generel"], ["wellbeing_generel", "absence_total_pct"], ["wellbeing_generel"]],
        }
    )
    spec = json.loads(
        charts.trend(
            frame,
            "Gennemsnit",
            "Generel trivsel (1–5)",
            2,
            efforts=efforts.for_indicator(register, "wellbeing_generel"),
        ).to_json()
    )
    years, labels = _rule_texts(spec)
    assert years == ["2023/24", "2023/24"]  # both started in 2023/24; the 2019 one is before the chart
    # Vega text: literal; the start on a second line, so a long name fits a narrow chart
    assert labels == ["▸ Læseindsats\nfra 09.2023", "▸ <b>Ny samtalemodel</b>\nfra 01.2024"]
    texts = [
        layer["mark"] for layer in spec["layer"] if isinstance(layer["mark"], dict) and layer["mark"]["type"] == "text"
    ]
    assert [(t["align"], t["lineBreak"]) for t in texts] == [("left", "\n")]  # 2023/24: left half, text to the right
    last = efforts.for_indicator(
        register.with_columns(pl.lit(date(2024, 9, 1)).alias("starts_on")), "wellbeing_generel"
    )
    layers = charts.effort_rules(last, ["2022/23", "2023/24", "2024/25"], alt.X("Skoleår:N"))
    aligns = [layer.mark.align for layer in layers if layer.mark.type == "text"]
    assert aligns == ["right"]  # the last year: the label runs to the left of its rule, inside the chart
    spec = json.loads(
        charts.trend(
            frame, "Gennemsnit", "Fravær", 1, efforts=efforts.for_indicator(register, "exam_bound_average")
        ).to_json()
    )
    assert _rule_texts(spec) == ([], [])


def test_the_data_package_and_the_minutes_draft_list_the_efforts_and_say_what_data_show(store_copy):
    from components import data_package, minutes
    from components.data_summary import HEADING

    runner = without_demo_efforts(Runner(duckdb.connect(str(store_copy))))
    assert (
        efforts.save(
            runner,
            LEADER,
            "leder",
            BAKKE,
            [effort(name="Ny samtalemodel", starts_on=date(2024, 9, 1), indicators=["absence_total_pct"])],
        )
        == []
    )
    school = runner.run("schools", LEADER).row(0, named=True)
    package = data_package.build(runner, LEADER, school, "2025/26", with_charts=False)
    texts = [b.text for b in package.blocks]
    assert HEADING in texts and "Skolens indsatser" in texts
    table = next(b.rows for b in package.blocks if b.kind == "table" and b.rows[0][0] == "Indsats")
    assert table[1][:4] == ["Ny samtalemodel", "1. september 2024", "i gang", "Samlet fravær"]
    assert package.chart_efforts["fravaer"]["name"].to_list() == ["Ny samtalemodel"]
    assert "trivsel" not in package.chart_efforts
    talk = {"talk_id": "none", "school_year": "2025/26", "talk_date": date(2026, 3, 1), "place": "Skolen"}
    sections = {s.key: s for s in minutes.minutes_draft(runner, LEADER, school, talk)}
    assert sections["indsatser"].rows[1][0] == "Ny samtalemodel" and sections["indsatser"].published
    from components.data_summary import summarise
    from queries.key_figures import key_figures

    expected = summarise(key_figures(runner, LEADER, BAKKE, "2025/26"), "2025/26", "2024/25").sentences(public=True)
    assert sections["hvad-viser-data"].published
    assert all(f"- {line}" in sections["hvad-viser-data"].text for line in expected)
    assert "Nationale test" not in sections["hvad-viser-data"].text
    if "hvad-viser-data-test" in sections:
        assert sections["hvad-viser-data-test"].confidential and not sections["hvad-viser-data-test"].published
    assert minutes.public_hits(list(sections.values())) == []


def test_every_demo_school_has_realistic_efforts_and_its_trend_charts_show_them(demo_runner, monkeypatch):
    """The demo build gives each folkeskole a few efforts (a new talk model, the LEAPS start where the
    school is in LEAPS, a reading effort) within the store's years, so the trend charts show them."""
    from components import charts, wellbeing_sections

    schools = (
        demo_runner.run("schools", ADMIN).filter(pl.col("school_type") == "folkeskole")
        if "school_type" in demo_runner.run("schools", ADMIN).columns
        else demo_runner.run("schools", ADMIN)
    )
    years = demo_runner.run("school_years", ADMIN)["school_year"].to_list()
    for school in schools["institution_no"].to_list():
        register = efforts.load(demo_runner, ADMIN, school)
        assert 2 <= len(register) <= 4, school
        assert {efforts.school_year_of(d) for d in register["starts_on"]} <= set(years), school
        assert all(set(i) <= set(efforts.INDICATORS) for i in register["indicators"]), school
        assert any("samtalemodel" in n.lower() for n in register["name"]) and any("Læse" in n for n in register["name"])
    drawn = []
    monkeypatch.setattr(
        charts, "draw", lambda chart, width="stretch": drawn.append(json.dumps(charts.spec(chart), ensure_ascii=False))
    )
    monkeypatch.setattr(charts.st, "caption", lambda *a, **k: None)
    wellbeing_sections.trend(demo_runner, ADMIN, BAKKE, years, "generel", (4, 9), "alle")
    aimed = efforts.for_indicator(efforts.load(demo_runner, ADMIN, BAKKE), "wellbeing_generel")
    assert aimed is not None and len(aimed) >= 1
    wrapped = drawn[0].replace("\\n", " ")  # a long name is wrapped onto lines (charts.EFFORT_LABEL_CHARS)
    assert all(f"▸ {name}" in wrapped for name in aimed["name"])
