"""Files in the layouts the ministry really exports (tests/fixtures/import/real/, written by
tests/import_examples.py from shared/DATA-SOURCES.md): the suppression marks mean missing in every
column type, text and enumerations included; a required column that is missing is still an error."""

from __future__ import annotations

import pytest

from data.importers import engine
from tests import import_examples as examples
from tests.test_import import query, run_cli

REAL = examples.FOLDER / "real"
MARKS = ["..", "-", "*", "<5", ""]


def test_the_institution_register_skoletal_and_well_being_files_import_as_exported(store_copy, capsys):
    assert run_cli(store_copy, "import", "institutions", str(REAL / "institutionsregister.csv")) == 0
    assert run_cli(store_copy, "import", "school-figures", "--hentet", "2026-11-24", str(REAL / "skoletal.csv")) == 0
    assert (
        run_cli(store_copy, "import", "school-figures", "--hentet", "2026-11-24", str(REAL / "trivselsindikatorer.csv"))
        == 0
    )
    assert "Traceback" not in capsys.readouterr().err
    schools = query(
        store_copy,
        "SELECT institution_no, name, municipality_code FROM school WHERE institution_no LIKE '7519%' ORDER BY 1",
    )
    assert schools == [(no, name, "751") for no, name in examples.REAL_SCHOOLS]  # the gymnasium is left out

    def figure(school, measure, breakdown="alle"):
        rows = query(
            store_copy,
            "SELECT school_value, municipality_value, country_value, n, note, department_name"
            " FROM published_school_figure WHERE institution_no = ? AND school_year = '2024/25'"
            " AND measure = ? AND breakdown = ?",
            [school, measure, breakdown],
        )
        return rows[0] if rows else None

    assert figure("751901", "absence_total_pct")[:3] == (6.9, 7.6, 7.5)
    assert figure("751901", "pupils")[:3] == (1204, 24512, 514000)
    assert figure("751901", "socio_difference")[0] == 0.4 and figure("751901", "socio_difference")[4] == "Over niveau"
    # '..' as the published significance of a published difference: the difference, no significance.
    assert figure("751903", "socio_difference")[:1] == (-0.3,) and figure("751903", "socio_difference")[4] is None
    # '..' in the significance, the department name and the municipality is missing, not an error.
    assert figure("751902", "socio_difference") is None  # every value suppressed: no row at all
    assert figure("751902", "exam_bound_average")[:3] == (None, 7.3, 7.3)
    assert figure("751902", "wellbeing_high_share")[:3] == (None, 87.0, 87.1)
    assert figure("751902", "absence_total_pct")[5] is None
    assert figure("751903", "transition_share")[:3] == (None, 90.1, 89.6)
    assert figure("751901", "wellbeing_generel")[:4] == (3.6, 3.9, 3.9, 300)
    assert figure("751902", "wellbeing_ro")[:4] == (None, 3.9, 3.9, None)
    assert figure("751901", "wellbeing_social", "4. klasse · Piger")[:3] == (None, 4.0, 4.0)


@pytest.fixture(scope="module")
def cur(demo_store):
    """A cursor on the demo store through the process's own connection (the app's tests share it)."""
    from queries.runner import runner_for

    cursor = runner_for(demo_store).import_cursor()
    yield cursor
    cursor.close()


def _pupils(edits: dict[str, str]) -> bytes:
    head, body = examples.table("pupils", 1, danish=True)
    head = [*head, "Navn"]
    body = [[*r, "Ada"] for r in body]
    for column, value in edits.items():
        body[3][head.index(column)] = value
    return examples.csv_bytes(head, body, ";", "cp1252")


@pytest.mark.parametrize("mark", MARKS)
def test_a_suppression_mark_in_an_optional_column_of_any_type_is_missing(cur, mark):
    # yes/no, a whole number, free text and an enumeration (published significance)
    prepared = engine.prepare(
        cur,
        "pupils",
        "elever.csv",
        _pupils({"Tosprogethed": mark, "Antal måneder": mark, "Navn": mark}),
        replacement=True,
    )
    assert prepared.ok, prepared.problems
    row = prepared.frame.filter(prepared.frame["_line"] == 5).row(0, named=True)
    assert (row["bilingual"], row["months_enrolled"], row["display_name"]) == (None, None, None)
    figures = examples.real_layouts()["skoletal.csv"].replace("Over niveau".encode("cp1252"), mark.encode("cp1252"))
    prepared = engine.prepare(cur, "school-figures", "skoletal.csv", figures)
    assert not [m for m in prepared.problems["message"].to_list() if "en af" in m], prepared.problems


@pytest.mark.parametrize("mark", MARKS)
def test_a_suppression_mark_in_a_required_column_is_an_error_naming_the_line(cur, mark):
    prepared = engine.prepare(cur, "pupils", "elever.csv", _pupils({"Klassebetegnelse": mark}), replacement=True)
    assert prepared.problems.select("line", "column", "message").rows() == [
        (5, "Klassebetegnelse", "skal udfyldes (cellen er tom eller skjult)")
    ]
