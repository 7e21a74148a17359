"""Audit: logins, exports and edits are logged with who, when and what; the admin can browse the
log; nothing in the app can change it."""
from __future__ import annotations

from queries.runner import load_query, query_names
from tests.test_app_pages import login


def _log(path) -> list[tuple]:
    from queries.runner import runner_for
    return runner_for(path)._con.execute("SELECT username, action, target FROM audit_log ORDER BY entry_id").fetchall()


def test_logins_exports_and_edits_are_in_the_log_and_the_admin_can_browse_it(store_copy):
    login("kommune", "demo-kommune")
    entries = _log(store_copy)
    assert ("kommune", "record_login_session", "") in entries
    admin = login("admin", "demo-admin")
    admin.switch_page("views/revision.py").run()
    assert not admin.exception
    shown = admin.dataframe[0].value
    assert "record_login_session" in set(shown["Handling"]) and "kommune" in set(shown["Bruger"])


def test_an_export_click_is_logged(store_copy, monkeypatch):
    from components import session
    from components.auth import User
    from queries.runner import Scope, runner_for
    user = User("kommune", "Konsulent", "kommune", Scope("kommune", frozenset(["900001"]), municipality_code="999"))
    monkeypatch.setattr(session, "current_user", lambda: user)
    monkeypatch.setattr(session, "runner", lambda: runner_for(store_copy))
    session.audit_export("datablik_skoler_2025/26.xlsx")
    assert ("kommune", "eksport", "datablik_skoler_2025/26.xlsx") in _log(store_copy)


def test_nothing_in_the_app_can_change_the_audit_log():
    for name in query_names():
        spec = load_query(name)
        if spec.level == "write":
            assert "audit_log" not in spec.sql, name
    from components.navigation import SCREENS
    assert next(s for s in SCREENS if s.title == "Revisionsspor").roles == frozenset({"admin"})
