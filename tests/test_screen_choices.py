"""What a leader chose stays chosen across screens (the school year), and every data screen offers
its aggregates as Excel and CSV."""

from __future__ import annotations

import pytest

from tests.test_app_pages import login


def test_the_chosen_school_year_is_kept_on_the_next_screen(demo_store):
    at = login("leder", "demo-leder")
    at.selectbox(key="filter_year").select("2022/23").run()
    assert "2022/23" in at.title[0].value
    for screen in ("views/trivsel.py", "views/fravaer.py", "views/overblik.py"):
        at.switch_page(screen).run()
        assert not at.exception
        assert at.title[0].value.endswith("· 2022/23"), (screen, at.title[0].value)


def test_the_chosen_school_is_kept_on_the_next_screen(demo_store):
    at = login("kommune", "demo-kommune")
    second = at.selectbox(key="filter_school").options[1]
    at.selectbox(key="filter_school").select_index(1).run()
    at.switch_page("views/fravaer.py").run()
    assert second in at.title[0].value


@pytest.mark.parametrize(
    "screen", ["views/trivsel.py", "views/fravaer.py", "views/faglighed.py", "views/deltagelse.py"]
)
def test_every_data_screen_offers_its_tables_as_excel_and_csv(demo_store, screen):
    from tests.test_chart_cache import open_tables

    at = login("leder", "demo-leder")
    at.switch_page(screen).run()
    assert open_tables(at)  # the tables under the charts are built when opened, with their downloads
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Hent som Excel" in labels and "Hent som CSV" in labels, labels


def test_a_breakdown_names_all_the_pupils_behind_it_and_a_trend_its_grade_filter(demo_runner):
    from components.formatting import number
    from queries.runner import Scope

    frame = demo_runner.run(
        "absence_by_grade", Scope("ledelse", frozenset(["900001"])), school="900001", school_year="2025/26"
    )
    school = frame.filter(frame["level"] == "skole")
    total, largest = int(school["n"].drop_nulls().sum()), int(school["n"].drop_nulls().max())
    assert total > largest
    at = login("leder", "demo-leder")
    at.switch_page("views/fravaer.py").run()
    captions = [c.value for c in at.caption]
    assert any(f"n = {number(total, 0)} elever" in c and "Elevfravær, skolens registrering ·" in c for c in captions)
    assert not any(
        f"n = {number(largest, 0)} elever" in c and "Elevfravær, skolens registrering ·" in c for c in captions
    )
    at.radio(key="abs_band").set_value("Udskoling (7.–9.)").run()
    assert any("7.–9. klasse, alle skoleår" in c for c in [c.value for c in at.caption])
