"""Numbers the user types and reads in a field: integers as integers, decimals with a decimal comma
(never Streamlit's "20.0"), and a number that cannot be read gets a Danish message and saves nothing."""

from __future__ import annotations

import pytest

from components.formatting import field_text, parse_number
from tests.test_app_pages import login


@pytest.mark.parametrize(
    "value, decimals, shown",
    [
        (20.0, 1, "20"),
        (3.5, 2, "3,5"),
        (3.45, 2, "3,45"),
        (1234.5, 1, "1.234,5"),
        (None, 1, ""),
        (-2.0, 1, "−2"),
    ],
)
def test_a_number_in_a_field_reads_as_an_integer_or_with_a_decimal_comma(value, decimals, shown):
    assert field_text(value, decimals) == shown


@pytest.mark.parametrize(
    "typed, value",
    [
        ("20", 20.0),
        (" 3,5 ", 3.5),
        ("3,45", 3.45),
        ("1.234,5", 1234.5),
        ("−2", -2.0),
        ("-2,5", -2.5),
        ("20 %", 20.0),
        ("", None),
        ("   ", None),
    ],
)
def test_a_typed_number_is_read_the_danish_way(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["3.5", "tyve", "3,4,5", "1.23,4", "2e3", "nan", "inf", "1_000"])
def test_a_number_that_cannot_be_read_the_danish_way_is_refused_in_danish(typed):
    with pytest.raises(ValueError, match="komma"):
        parse_number(typed)


def test_the_target_field_shows_no_decimal_point_and_refuses_a_point_in_danish(store_copy):
    at = login("leder", "demo-leder")
    at.switch_page("views/deltagelse.py").run()
    fields = [t for t in at.text_input if t.key and t.key.startswith("target_")]
    assert fields and at.number_input.len == 0  # Streamlit's number field shows "20.0"
    assert all("." not in (f.value or "") for f in fields)
    from queries.runner import Scope, runner_for

    runner = runner_for(store_copy)
    before = runner.run("participation_targets", Scope("admin", None), school="900001")
    fields[0].set_value("12.5")
    at.button(key="FormSubmitter:participation_targets-Gem mål").click().run()
    assert any("komma" in e.value for e in at.error), [e.value for e in at.error]
    assert runner.run("participation_targets", Scope("admin", None), school="900001").equals(before)
    fields = [t for t in at.text_input if t.key and t.key.startswith("target_")]
    fields[0].set_value("12,5")
    at.button(key="FormSubmitter:participation_targets-Gem mål").click().run()
    assert not at.error, [e.value for e in at.error]
    assert 12.5 in runner.run("participation_targets", Scope("admin", None), school="900001")["target"].to_list()
