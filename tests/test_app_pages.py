"""Every role through the real app script (AppTest): login, navigation, Overblik."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from streamlit.testing.v1 import AppTest

from data.users import DEMO_USERS
from tests.conftest import ROOT
from tests.operational import copy_store

APP = str(ROOT / "app.py")


def start(**env) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def login(username: str, password: str) -> AppTest:
    at = start()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()
    at.run()  # in a browser the cookie component triggers this rerun
    return at


def page_html(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_logged_out_visitor_sees_only_the_login(demo_store):
    at = start()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Brugernavn", "Adgangskode"]
    assert not any("Overblik" in t.value for t in at.title)
    assert "Demodata — fiktive tal" in page_html(at)


def test_a_wrong_password_gets_one_danish_message_that_names_no_user(demo_store):
    for username in ("leder", "ingen-saadan-bruger"):
        at = login(username, "forkert")
        assert [e.value for e in at.error] == ["Brugernavn eller adgangskode er forkert."]


@pytest.mark.parametrize("user", DEMO_USERS, ids=lambda u: u.username)
def test_every_demo_role_sees_overblik_without_errors(demo_store, user):
    at = login(user.username, user.password)
    assert not at.exception
    assert not at.error
    assert any(t.value.startswith("Overblik") for t in at.title)
    peers = [] if user.role == "team" else ["Sammenlignelige skoler i hele landet"]
    assert [h.value for h in at.header] == ["Trivsel", "Fravær", "Faglighed", "LEAPS", *peers, "Skolens indsatser"]
    assert "Demodata — fiktive tal" in page_html(at)
    assert "Kilde: Trivselsmålingen" in page_html(at)


def test_a_leader_cannot_switch_to_another_school_by_widget_or_url(demo_store):
    at = login("leder", "demo-leder")
    assert at.selectbox(key="filter_year").value is not None
    assert len(at.selectbox) == 1  # only the school year: the school is fixed by the login
    at.query_params["school"] = "900010"
    at.session_state["filter_school"] = {"institution_no": "900010", "name": "Ådalens Skole"}
    at.run()
    assert not at.exception
    title = at.title[0].value
    assert "Bakkeskolen" in title and "Ådalens" not in title


def test_a_kommune_user_picks_among_all_schools_of_the_municipality(demo_store):
    at = login("kommune", "demo-kommune")
    options = at.selectbox(key="filter_school").options
    assert len(options) == 12
    at.selectbox(key="filter_school").select_index(options.index("Ådalens Skole")).run()
    assert "Ådalens Skole" in at.title[0].value
    assert "færre end 5 elever" in page_html(at)  # the small school shows suppression


def _card_values(html: str) -> dict[str, str]:
    cards = re.findall(
        r'aria-label="([^"]+)"><div class="kf-label">[^<]+</div>'
        r'<div class="kf-value[^"]*">([^<]+)</div>',
        html,
    )
    return dict(cards)


def test_the_command_line_and_overblik_show_the_same_numbers(demo_store, capsys):
    from components.formatting import format_value
    from data.__main__ import main

    main(["figures", "--school", "900001", "--year", "2024/25", "--json"])
    figures = json.loads(capsys.readouterr().out)
    at = login("leder", "demo-leder")
    at.selectbox(key="filter_year").select("2024/25").run()
    shown = _card_values(page_html(at))
    assert len(shown) == len(figures)
    for fig in figures:
        expected = format_value(fig["value"], fig["unit"]) if fig["value"] is not None else fig["reason"]
        assert shown[fig["label"]] == expected, fig["label"]


def test_outside_demo_mode_the_app_refuses_a_missing_or_default_cookie_key(tmp_path, monkeypatch, demo_store):
    from data import store

    con = store.connect(tmp_path / "real.duckdb")  # an empty, non-demo store
    store.bump_data_version(con)
    con.close()
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "real.duckdb"))
    for key in (None, "some_key", "kort", "x" * 31):
        at = AppTest.from_file(APP, default_timeout=60)
        if key:
            at.secrets["auth"] = {"cookie_key": key}
        at.run()
        assert at.error and "cookie" in at.error[0].value.lower()
        assert not at.text_input  # no login form
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"cookie_key": secrets.token_urlsafe(48)}
    at.run()
    assert [t.label for t in at.text_input] == ["Brugernavn", "Adgangskode"]


def test_repeated_failed_logins_lock_the_username_even_for_the_right_password(demo_store, tmp_path, monkeypatch):
    copy = tmp_path / "lock.duckdb"
    copy_store(demo_store, copy)
    monkeypatch.setenv("DATABLIK_DB", str(copy))
    for _ in range(5):
        assert login("leder2", "forkert").error[0].value == "Brugernavn eller adgangskode er forkert."
    at = login("leder2", "demo-leder2")
    assert at.error[0].value == "For mange forkerte forsøg. Vent et kvarter, og prøv igen."
    assert not any(t.value.startswith("Overblik") for t in at.title)
    assert login("leder", "demo-leder").title[0].value.startswith("Overblik")  # other users are not locked
