"""Targets where they are set: the participation cards and success criteria say nået / ikke nået /
kan ikke afgøres endnu with the target, the interval and why; the trend shows the target as a line."""

from __future__ import annotations

from datetime import date

import polars as pl

from components import charts
from components.participation_sections import traffic_light
from components.success_criteria_sections import criteria_rows


def test_a_participation_card_reached_by_the_point_but_within_the_noise_cannot_be_decided_yet():
    # 8 % with over 10 % absence against a target of at most 10 %: 2 points better, SE 1,36 (n = 400).
    row = {"value": 8.0, "sd": 27.2, "n": 400}
    colour, status, why = traffic_light("absence_over10", row, 10.0)
    assert status == "◐ Kan ikke afgøres endnu"
    assert "rigtige side af målet 10,0 %" in why and "interval 5,3 % til 10,7 %" in why
    colour, status, why = traffic_light("absence_over10", {"value": 4.0, "sd": 19.6, "n": 400}, 10.0)
    assert status == "● Nået" and "målet 10,0 %" in why
    colour, status, why = traffic_light("absence_over10", {"value": 16.0, "sd": 36.7, "n": 400}, 10.0)
    assert status == "▼ Ikke nået"
    assert traffic_light("absence_over10", row, None)[1] == "○ Intet mål sat"


def _criteria(*rows) -> pl.DataFrame:
    columns = [
        "criterion_id",
        "text",
        "respondent_group",
        "target_change",
        "baseline",
        "baseline_n",
        "baseline_on",
        "endline",
        "endline_n",
        "endline_on",
        "suppressed",
    ]
    return pl.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], infer_schema_length=None)


def test_a_success_criterion_shows_the_target_the_interval_and_why():
    day = date(2025, 3, 1)
    frame = _criteria(
        ("k1", "Trives", "elever", 0.05, 50.0, 400, day, 70.0, 400, day, False),
        ("k2", "Ro", "elever", 0.05, 50.0, 60, day, 58.0, 60, day, False),
        ("k3", "Lyst", "elever", 0.30, 50.0, 400, day, 52.0, 400, day, False),
        ("k4", "Uden mål", "elever", None, 50.0, 400, day, 52.0, 400, day, False),
    )
    rows = {r["Kriterium"]: r for r in criteria_rows(frame)}
    assert rows["Trives"]["Målet nået"] == "nået"
    assert rows["Trives"]["Mål"] == "+5 pct.-point" and "over målet +5 pct.-point" in rows["Trives"]["Hvorfor"]
    assert rows["Ro"]["Målet nået"] == "kan ikke afgøres endnu"
    assert "rummer målet +5 pct.-point" in rows["Ro"]["Hvorfor"] and rows["Ro"]["Interval"].startswith("−")
    assert rows["Lyst"]["Målet nået"] == "ikke nået" and "under målet +30" in rows["Lyst"]["Hvorfor"]
    assert rows["Uden mål"]["Målet nået"] == "intet mål"


def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def _rules(spec: dict) -> list[dict]:
    return [layer for layer in _layers(spec) if (layer.get("mark") or {}).get("type") == "rule"]


def test_the_trend_of_an_indicator_with_a_target_draws_the_target_line():
    frame = pl.DataFrame(
        {"Serie": ["Skolen"] * 3, "Skoleår": ["2022/23", "2023/24", "2024/25"], "Værdi": [12.0, 11.0, 9.5]}
    )
    spec = charts.trend(frame, "Værdi", "Over 10 % fravær", 1, target=10.0).to_dict()
    rules = _rules(spec)
    assert rules and rules[0]["mark"]["strokeDash"]
    data = [d for d in spec["datasets"].values() if d and "Mål" in d[0]]
    assert data and data[0][0]["Mål"] == 10.0 and data[0][0]["Tekst"] == "Mål 10,0"
    assert not _rules(charts.trend(frame, "Værdi", "x", 1).to_dict())


def test_the_success_criteria_screen_gives_each_verdict_with_its_target_and_reason(demo_store):
    from tests.test_app_pages import login, page_html

    at = login("leder", "demo-leder")
    at.switch_page("views/succeskriterier.py").run()
    assert not at.exception and not at.error
    html = page_html(at)
    assert "Målet nået – hvorfor:" in html
    assert "kan ikke afgøres endnu" in html and "rummer målet +10 pct.-point" in html
    table = next(d.value for d in at.dataframe if "Målet nået" in d.value.columns)
    assert set(table["Målet nået"]) <= {"nået", "ikke nået", "kan ikke afgøres endnu", "intet mål", "færre end 5 svar"}
    assert (table["Mål"] != "færre end 5 elever").all()


def test_the_participation_screen_says_why_and_draws_the_target(demo_store):
    from tests.test_app_pages import login, page_html

    at = login("leder", "demo-leder")
    at.switch_page("views/deltagelse.py").run()
    assert not at.exception and not at.error
    html = page_html(at)
    assert "med mere end usikkerheden" in html or "mindre end usikkerheden" in html
    assert any("Stiplet linje: skolens mål" in c.value for c in at.caption)
