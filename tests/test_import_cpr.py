"""CPR numbers in any spelling are refused in every column, and never echoed; legitimate values
(P-numbers, institution numbers, dates, points) still import. The CPR-shaped values are built
here from their parts: no committed file holds one."""

from __future__ import annotations

import io

import pytest

from data.importers import engine, report
from tests import import_examples as examples

# Day, month, year, serial: a valid birth date and four digits.
D, M, Y, S = "01", "01", "90", "1234"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CPR_SPELLINGS = {
    "mellemrum": f"{D}{M}{Y} {S}",
    "punktummer og bindestreg": f"{D}.{M}.{Y}-{S}",
    "skråstreg": f"{D}{M}{Y}/{S}",
    "understreg": f"{D}{M}{Y}_{S}",
    "fuld bredde": f"{D}{M}{Y}{S}".translate(FULL_WIDTH),
    "fuld bredde med bindestreg": f"{D}{M}{Y}-{S}".translate(FULL_WIDTH),
    "i en tekst": f"elev {D}-{M}-{Y} {S} flyttet",
    "fuld bredde bindestreg": f"{D}{M}{Y}\uff0d{S}",
    "fuld bredde mellemrum": f"{D}.{M}.{Y}\u3000{S}",
    "tal uden foranstillet nul": f"{D}{M}{Y}{S}".lstrip("0"),  # what Excel makes of a CPR typed as a number
    "bindestreg": f"{D}{M}{Y}-{S}",
    "ti cifre": f"{D}{M}{Y}{S}",
}


@pytest.fixture(scope="module")
def cur(demo_store):
    """A cursor on the demo store through the process's own connection (the app's tests share it)."""
    from queries.runner import runner_for

    cursor = runner_for(demo_store).import_cursor()
    yield cursor
    cursor.close()


def _pupils(column: int, value) -> tuple[list[str], list[list]]:
    head, body = examples.table("pupils", 1, danish=True)
    head = [*head, "Navn"]
    body = [[*r, "Ada"] for r in body]
    body[5][column] = value
    return head, body


def _assert_refused_without_echo(prepared: engine.Prepared, *hidden: str) -> None:
    assert not prepared.ok
    assert any("CPR-nummer" in m for m in prepared.problems["message"].to_list()), prepared.problems
    text = "\n".join(report.problem_line(r) for r in prepared.problems.iter_rows(named=True))
    text += report.summary(prepared) + repr(prepared.frame.to_dicts())
    for value in hidden:
        assert value not in text, text


PUPIL_COLUMNS = range(len(examples.table("pupils", 1, danish=True)[0]) + 1)


@pytest.mark.parametrize("spelling", sorted(CPR_SPELLINGS))
@pytest.mark.parametrize("column", PUPIL_COLUMNS)
def test_a_cpr_number_in_any_spelling_in_any_column_is_refused_and_never_echoed(cur, spelling, column):
    value = CPR_SPELLINGS[spelling]
    head, body = _pupils(column, value)
    prepared = engine.prepare(cur, "pupils", "elever.csv", examples.csv_bytes(head, body, ";", "utf-8"))
    _assert_refused_without_echo(prepared, value, f"{D}{M}{Y}")
    assert prepared.problems["line"].to_list() == [7]


@pytest.mark.parametrize("column", [2, 4, 11])
def test_an_excel_number_cell_that_lost_the_cpr_numbers_leading_zero_is_refused(cur, column):
    number = int(f"{D}{M}{Y}{S}")  # 9 digits: the leading zero is gone
    head, body = _pupils(column, number)
    prepared = engine.prepare(cur, "pupils", "elever.xlsx", examples.xlsx_bytes(head, body, "Elever"))
    _assert_refused_without_echo(prepared, str(number))


def test_a_cpr_number_as_a_column_header_is_refused_and_never_echoed(cur):
    head, body = examples.table("pupils", 1, danish=True)
    value = CPR_SPELLINGS["bindestreg"]
    prepared = engine.prepare(
        cur, "pupils", "elever.csv", examples.csv_bytes([*head, value], [[*r, ""] for r in body], ";", "cp1252")
    )
    _assert_refused_without_echo(prepared, value)


def test_a_cpr_number_spelled_with_separators_is_refused_in_the_p_number_column_too(cur):
    register = examples.national_register(3).decode("utf-8-sig").split("\r\n")
    cells = register[2].split(";")
    cells[21] = CPR_SPELLINGS["mellemrum"]
    register[2] = ";".join(cells)
    prepared = engine.prepare(cur, "institutions", "reg.csv", ("\ufeff" + "\r\n".join(register)).encode("utf-8"))
    _assert_refused_without_echo(prepared, CPR_SPELLINGS["mellemrum"])


def test_p_numbers_institution_numbers_dates_phone_numbers_and_points_are_not_taken_for_cpr_numbers(cur):
    # A P-number is 10 digits, and may look like a birth date followed by 4 digits.
    register = examples.national_register(3).decode("utf-8-sig").split("\r\n")
    cells = register[1].split(";")
    cells[21] = f"1{D}{M}{Y}{S[:3]}"
    cells[13] = "+45 12 34 56 78"
    register[1] = ";".join(cells)
    prepared = engine.prepare(cur, "institutions", "reg.csv", ("\ufeff" + "\r\n".join(register)).encode("utf-8"))
    assert prepared.ok, prepared.problems
    for source in ("tests", "absence", "exams", "leaps", "surveys", "school-figures", "pupils"):
        for name, data in examples.variants(source).items():
            prepared = engine.prepare(cur, source, name, data)
            assert not any("CPR" in m for m in prepared.problems["message"].to_list()), (name, prepared.problems)


def test_the_cpr_rule_reads_an_excel_sheet_of_dates_and_numbers_without_refusing_it(cur):
    from openpyxl import Workbook

    head, body = examples.table("tests", 0, danish=True)
    book = Workbook()
    sheet = book.active
    sheet.append(head)
    for row in body:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    book.save(out)
    prepared = engine.prepare(cur, "tests", "test.xlsx", out.getvalue())
    assert not any("CPR" in m for m in prepared.problems["message"].to_list()), prepared.problems
