"""Day one of a real municipality: a fresh store that holds only the institution register, the
ministry's "Skoletal" export and its well-being indicators (real-layout files: title and notes rows,
Windows-1252, Danish numbers, '..' for blanked cells). Every screen that can shows the published
figures — school, municipality and country as published, with the attribution and retrieval date —
and never judges them against noise, except the socio-economic reference the ministry assesses."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import __main__ as cli
from data import store, users
from tests.conftest import ROOT
from tests.operational import copy_store
from tests.test_app_pages import _card_values, page_html

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
SCHOOL, SMALL, YEAR = "183901", "183903", "2024/25"
SOURCE = "Uddannelsesstatistik.dk, hentet 24. november 2026"


@pytest.fixture(scope="module")
def day_one_built(tmp_path_factory) -> Path:
    """The day-one store and its users, imported once for the module; each test gets a copy."""
    folder = tmp_path_factory.mktemp("day-one")
    path = folder / "kommune.duckdb"
    store.connect(path).close()  # an empty, migrated store: no demo, no reference tables loaded
    for source, name in (
        ("institutions", "institutionsregister.csv"),
        ("school-figures", "skoletal-cp1252.csv"),
        ("school-figures", "trivselsindikatorer-cp1252.csv"),
    ):
        args = ["--hentet", "2026-11-24"] if source == "school-figures" else []
        assert cli.main(["--path", str(path), "import", source, str(REAL / name), *args]) == 0
    people = folder / "users.yaml"
    users.add_user(people, "leder", "Skoleleder, Engskolen", "ledelse", "leder-kode-1234", school=SCHOOL)
    users.add_user(people, "ishoej", "Konsulent, Ishøj", "kommune", "kommune-kode-1234", municipality="183")
    return folder


@pytest.fixture
def day_one(day_one_built, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "kommune.duckdb"
    copy_store(day_one_built / "kommune.duckdb", path)
    shutil.copy(day_one_built / "users.yaml", tmp_path / "users.yaml")
    monkeypatch.setenv("DATABLIK_DB", str(path))
    monkeypatch.setenv("DATABLIK_USERS", str(tmp_path / "users.yaml"))
    return path


def figures(path: Path, school: str, capsys) -> dict[str, dict]:
    capsys.readouterr()
    assert cli.main(["--path", str(path), "figures", "--school", school, "--year", YEAR, "--json"]) == 0
    return {f["key"]: f for f in json.loads(capsys.readouterr().out)}


def login(username: str, password: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {"cookie_key": secrets.token_urlsafe(48)}  # not a demo store: the app needs its secret
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()
    at.run()
    assert not at.exception
    return at


def test_the_command_line_gives_a_published_only_school_its_published_figures(day_one, capsys):
    got = figures(day_one, SCHOOL, capsys)
    expected = {  # key: (school, municipality, country) as in skoletal / trivselsindikatorer
        "absence_total_pct": (8.3, 7.9, 7.5),
        "exam_bound_average": (6.8, 6.9, 7.4),
        "wellbeing_high_share": (85.2, 86.0, 87.1),
        "wellbeing_generel": (3.6, 3.7, 3.7),
        "wellbeing_social": (3.9, 4.0, 4.0),
        "wellbeing_faglig": (3.5, 3.6, 3.6),
        "wellbeing_stoette": (3.1, 3.2, 3.2),
        "wellbeing_ro": (3.6, 3.7, 3.8),
    }
    for key, (school, municipality, country) in expected.items():
        fig = got[key]
        assert (fig["value"], fig["municipality"]["value"], fig["country"]["value"]) == pytest.approx(
            (school, municipality, country)
        ), key
        assert (fig["basis"], fig["source"]) == ("offentliggjort", SOURCE), key
        # no published uncertainty: nothing is judged against noise
        assert not fig["municipality"]["judged"] and not fig["country"]["judged"], key
        assert not fig["municipality"]["significant"] and not fig["change_significant"], key
    assert got["absence_total_pct"]["change"] == pytest.approx(8.3 - 8.9)
    assert got["wellbeing_generel"]["n"] == 596 and got["wellbeing_generel"]["n_unit"] == "svar"
    socio = got["socio_difference"]
    assert (socio["value"], socio["significance"], socio["source"]) == (pytest.approx(0.3), "Over niveau", SOURCE)
    assert "Ministeriets vurdering: Over niveau (forventet gennemsnit 6,5)" == socio["detail"]
    assert got["absence_over10_share"]["value"] is None  # not published: stays empty, never estimated


def test_a_figure_the_ministry_blanked_stays_blank_beside_the_published_municipality(day_one, capsys):
    exam = figures(day_one, SMALL, capsys)["exam_bound_average"]
    assert exam["value"] is None and exam["reason"] == "udeladt af ministeriet (færre end 5 elever)"
    assert (exam["municipality"]["value"], exam["country"]["value"]) == (pytest.approx(6.9), pytest.approx(7.4))


def test_overblik_shows_the_published_figures_with_source_and_without_noise_judgement(day_one, capsys):
    from components.formatting import format_value

    got = figures(day_one, SCHOOL, capsys)
    at = login("leder", "leder-kode-1234")
    at.selectbox(key="filter_year").select(YEAR).run()
    html = page_html(at)
    shown = _card_values(html)
    for fig in got.values():
        expected = format_value(fig["value"], fig["unit"]) if fig["value"] is not None else fig["reason"]
        assert shown[fig["label"]] == expected, fig["label"]
    assert html.count(f"Kilde: {SOURCE}") == 9  # 5 indicators, high well-being, absence, exam, socio
    assert "Ministeriets offentliggjorte tal – uden oplyst usikkerhed" in html
    assert "ikke sikker" not in html and "▲" not in html and "▼" not in html  # nothing judged by our noise rule
    assert "Ministeriets vurdering: Over niveau" in html
    from queries.key_figures import EXAM_RULE

    assert f"Karaktergennemsnittet: {EXAM_RULE}." in [c.value for c in at.caption]  # the rule, on screen


def test_the_kommune_screen_shows_the_same_published_numbers(day_one, capsys):
    from components.formatting import format_value

    got = figures(day_one, SCHOOL, capsys)
    at = login("ishoej", "kommune-kode-1234")
    at.switch_page("views/kommune.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="mun_year").value == YEAR
    table = at.dataframe[0].value.set_index("Skole")
    for label, key in (
        ("Fravær", "absence_total_pct"),
        ("Karaktergennemsnit", "exam_bound_average"),
        ("Generel trivsel", "wellbeing_generel"),
    ):
        fig = got[key]
        assert table.loc["Engskolen", label] == format_value(fig["value"], fig["unit"]), label
        assert table.loc["Kommunen", label] == format_value(fig["municipality"]["value"], fig["unit"]), label
        assert table.loc["Landet", label] == format_value(fig["country"]["value"], fig["unit"]), label
    assert table.loc["Engskolen", "Forskel til socioøk. reference"] == "0,3 ▲ (Over niveau)"
    assert table.loc["Mosegårdsskolen", "Forskel til socioøk. reference"] == "−0,3 ▼ (Under niveau)"
    assert f"Kilde: {SOURCE}" in " ".join(c.value for c in at.caption)


def _presentation_script():
    import os

    from components.presentation import figures_for
    from queries.runner import Scope, runner_for

    runner = runner_for(os.environ["DATABLIK_DB"])
    for screen in ("overblik", "trivsel", "fravaer", "faglighed"):
        figures_for(runner, Scope("ledelse", frozenset(["183901"])), "183901", "2024/25", screen)


def test_presentation_mode_and_the_minutes_carry_the_published_figures(day_one, capsys):
    from components.formatting import format_value
    from components.minutes import key_figure_table
    from queries.key_figures import key_figures
    from queries.runner import Scope, runner_for

    got = figures(day_one, SCHOOL, capsys)
    at = AppTest.from_function(_presentation_script, default_timeout=60).run()
    assert not at.exception
    shown = _card_values(page_html(at))
    for key in ("wellbeing_generel", "absence_total_pct", "exam_bound_average", "socio_difference"):
        assert shown[got[key]["label"]] == format_value(got[key]["value"], got[key]["unit"]), key
    table = key_figure_table(key_figures(runner_for(day_one), Scope("ledelse", frozenset([SCHOOL])), SCHOOL, YEAR))
    assert "| Samlet fravær | 8,3 % | 7,9 % | 7,5 % |" in table
    assert "| Karaktergennemsnit, bundne prøver | 6,8 | 6,9 | 7,4 |" in table


@pytest.mark.parametrize(
    "page, keys, trend_years",
    [
        (
            "views/trivsel.py",
            [
                "wellbeing_generel",
                "wellbeing_social",
                "wellbeing_faglig",
                "wellbeing_stoette",
                "wellbeing_ro",
                "wellbeing_high_share",
            ],
            "2023/24, 2024/25",
        ),
        ("views/fravaer.py", ["absence_total_pct"], "2023/24, 2024/25"),
        ("views/faglighed.py", ["exam_bound_average", "socio_difference"], "2023/24, 2024/25"),
    ],
)
def test_trivsel_fravaer_and_faglighed_show_the_published_figures_and_trends(day_one, capsys, page, keys, trend_years):
    from components.formatting import format_value

    got = figures(day_one, SCHOOL, capsys)
    at = login("leder", "leder-kode-1234")
    at.switch_page(page)
    at.run()
    at.selectbox(key="filter_year").select(YEAR).run()
    assert not at.exception
    shown = _card_values(page_html(at))
    for key in keys:
        assert shown[got[key]["label"]] == format_value(got[key]["value"], got[key]["unit"]), key
    captions = " ".join(c.value for c in at.caption)
    assert f"offentliggjorte tal for {trend_years}: Kilde: {SOURCE}" in captions  # the trend chart's source line
