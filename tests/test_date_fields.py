"""Dates the user types: every date field is a Danish text field "dd.mm.åååå" read by one helper
(components/formatting.parse_date), never Streamlit's date field, whose parts a screen reader reads as
"day, month, year" and "Choose date"; a date that cannot be read gets a Danish message and saves nothing."""

from __future__ import annotations

import ast
from datetime import date

import pytest

from components.formatting import date_text, parse_date
from tests.conftest import ROOT
from tests.test_app_pages import login


@pytest.mark.parametrize(
    "typed, value",
    [
        ("24.11.2026", date(2026, 11, 24)),
        (" 1.8.2025 ", date(2025, 8, 1)),
        ("01-08-2025", date(2025, 8, 1)),
        ("29/02/2028", date(2028, 2, 29)),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_a_typed_date_is_read_day_month_year(typed, value):
    assert parse_date(typed) == value


@pytest.mark.parametrize(
    "typed, says",
    [
        ("2026-11-24", "kan ikke læses som en dato"),  # an ISO date: year first is not how a Dane writes it
        ("24.11.26", "kan ikke læses som en dato"),
        ("24. november 2026", "kan ikke læses som en dato"),
        ("i morgen", "kan ikke læses som en dato"),
        ("31.02.2026", "er ikke en dato, der findes"),
        ("00.01.2026", "er ikke en dato, der findes"),
        ("12.13.2026", "er ikke en dato, der findes"),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_in_danish(typed, says):
    with pytest.raises(ValueError, match=says) as refusal:
        parse_date(typed)
    assert "dd.mm.åååå" in str(refusal.value)


def test_a_date_in_a_field_reads_day_month_year():
    assert date_text(date(2025, 8, 1)) == "01.08.2025" and date_text(None) == ""
    assert parse_date(date_text(date(2026, 12, 2))) == date(2026, 12, 2)


def test_no_screen_uses_streamlits_date_field():
    offenders = []
    for folder in ("components", "views"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("date_input", "time_input"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    offenders += [str(p.relative_to(ROOT)) for p in [ROOT / "app.py"] if "date_input" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _effort_form(at, start: str):
    at.text_input(key="effort_new_name").set_value("Læseindsats")
    at.text_input(key="effort_new_start").set_value(start)
    at.multiselect(key="effort_new_indicators").set_value(["absence_total_pct"])
    at.button(key="FormSubmitter:effort_new-Gem indsatsen").click().run(timeout=60)


def test_an_effort_with_a_date_that_cannot_be_read_is_refused_in_danish_and_nothing_is_saved(store_copy):
    from queries import efforts
    from queries.runner import Scope, runner_for

    runner = runner_for(store_copy)
    scope = Scope("admin", None)
    before = efforts.load(runner, scope, "900001")
    at = login("leder", "demo-leder")
    assert not at.exception
    _effort_form(at, "2025-09-01")
    errors = " ".join(e.value for e in at.error)
    assert "Ikke gemt" in errors and "Start: »2025-09-01« kan ikke læses som en dato" in errors, errors
    assert efforts.load(runner, scope, "900001").equals(before)
    _effort_form(at, "01.09.2025")
    assert not at.error, [e.value for e in at.error]
    saved = efforts.load(runner, scope, "900001")
    assert date(2025, 9, 1) in saved.filter(saved["name"] == "Læseindsats")["starts_on"].to_list()


def test_a_talk_with_a_date_that_cannot_be_read_is_not_prepared(store_copy):
    from queries.runner import Scope, runner_for

    at = login("leder", "demo-leder")
    at.switch_page("views/samtale.py").run(timeout=60)
    field = next(t for t in at.text_input if t.label == "Dato (dd.mm.åååå)")
    assert field.value == date_text(date.today())
    field.set_value("31.04.2026")
    next(b for b in at.button if b.label == "Forbered samtalen").click().run(timeout=60)
    assert any("Samtalen er ikke oprettet. Dato: »31.04.2026« er ikke en dato" in e.value for e in at.error)
    talks = runner_for(store_copy).run("talks_for_school", Scope("admin", None), school="900001")
    assert talks.filter(talks["talk_date"] == date(2026, 5, 1)).is_empty() and not any(
        b.label == "Start præsentation" for b in at.button
    )
