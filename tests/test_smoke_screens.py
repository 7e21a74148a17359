"""Smoke test without a browser: every demo role opens every screen it may see through the real app
script (AppTest), and each renders with its title, no exception and no error message. One login per
role for the whole module (the demo store is shared by the session)."""

from __future__ import annotations

import ast

import pytest
from streamlit.testing.v1 import AppTest

from components import navigation
from data.users import DEMO_USERS
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
ROLES = {u.role: u for u in DEMO_USERS if u.username in ("leder", "kommune", "team", "admin")}
CASES = [(role, screen.url_path) for role in ROLES for screen in navigation.screens_for(role)]


def _login(role: str) -> AppTest:
    user = ROLES[role]
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input[0].input(user.username)
    at.text_input[1].input(user.password)
    at.button[0].click()
    at.run()
    at.run()  # in a browser the cookie component triggers this rerun
    assert not at.exception and not at.error, f"{user.username} could not log in"
    return at


@pytest.fixture(scope="module")
def logged_in(demo_store):
    """One logged-in AppTest per role, made on first use and kept for the module."""
    sessions: dict[str, AppTest] = {}

    def session(role: str) -> AppTest:
        if role not in sessions:
            sessions[role] = _login(role)
        return sessions[role]

    return session


def open_screen(at: AppTest, url_path: str) -> AppTest:
    at.switch_page(f"views/{navigation.screen(url_path).file}")
    at.run()
    return at


@pytest.mark.parametrize(("role", "url_path"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_every_role_opens_every_screen_it_may_see_without_an_error(logged_in, role, url_path):
    at = open_screen(logged_in(role), url_path)
    title = navigation.screen(url_path).title
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == []
    assert any(t.value.startswith(title) for t in at.title), [t.value for t in at.title]


def test_every_table_on_every_screen_shows_a_missing_value_as_an_empty_cell(logged_in):
    """Streamlit draws a missing value as "None" (English, on the wall at the SUS meeting) unless the table
    is given a placeholder; tables.dataframe and editing.data_editor give every table an empty one. The
    Revisionsspor, the LEAPS courses and the assessment grid hold missing values in the demo."""
    tables_seen, offenders = 0, []
    for role, url_path in CASES:
        at = open_screen(logged_in(role), url_path)
        for table in at.dataframe:
            tables_seen += 1
            if not table.proto.HasField("placeholder") or table.proto.placeholder != "":
                offenders.append((role, url_path, list(table.value.columns)[:3]))
    assert tables_seen > 20 and offenders == []


def test_renaming_every_screen_title_breaks_no_screen(demo_store, monkeypatch):
    """Screens are found by url_path, so a new Danish title is only a new label."""
    renamed = [
        navigation.Screen(s.file, f"Nyt navn {s.title}", s.url_path, s.icon, s.roles) for s in navigation.SCREENS
    ]
    monkeypatch.setattr(navigation, "SCREENS", renamed)
    at = _login("admin")
    for screen in renamed:
        open_screen(at, screen.url_path)
        assert not at.exception, (screen.url_path, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [], screen.url_path
        assert any(t.value.startswith(screen.title) for t in at.title), (screen.url_path, [t.value for t in at.title])


def test_code_finds_screens_by_url_path_never_by_title():
    """No comparison with a screen's title, and screens are switched to only through
    navigation.switch_to (by url_path); every screen key in the code is a registered url_path."""
    paths = {s.url_path for s in navigation.SCREENS}
    offenders = []
    for file in [ROOT / "app.py", *sorted((ROOT / "components").rglob("*.py")), *sorted((ROOT / "views").glob("*.py"))]:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        where = file.relative_to(ROOT)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.ops[0], (ast.Eq, ast.NotEq))
                and any(
                    isinstance(side, ast.Attribute) and side.attr == "title" for side in (node.left, *node.comparators)
                )
            ):
                offenders.append(f"{where}:{node.lineno} compares a title")
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in ("switch_page", "page_link") and str(where) != "components/navigation.py":
                    offenders.append(f"{where}:{node.lineno} {name} outside navigation.switch_to")
                if name in ("school_screen", "screen_user", "screen", "switch_to") and node.args:
                    key = node.args[0]
                    passed_on = isinstance(key, ast.Name) and key.id == "url_path"  # a helper's own parameter
                    if not passed_on and not (isinstance(key, ast.Constant) and key.value in paths):
                        offenders.append(f"{where}:{node.lineno} {name}({ast.unparse(key)}) is not a url_path")
    assert offenders == []
