"""Audit: logins, exports and edits are logged with who, when and what; the admin can browse the
log; nothing in the app can change it."""

from __future__ import annotations

from queries.runner import load_query, query_names
from tests.operational import ops_dicts, ops_rows
from tests.test_app_pages import login


def _log(path) -> list[tuple]:
    from queries.runner import runner_for

    return ops_rows(runner_for(path), "SELECT username, action, coalesce(target, '') FROM audit_log ORDER BY entry_id")


def _entries(path) -> list[dict]:
    from queries.runner import runner_for

    return ops_dicts(runner_for(path), "SELECT * FROM audit_log ORDER BY entry_id")


def test_logins_exports_and_edits_are_in_the_log_and_the_admin_can_browse_it(store_copy):
    login("kommune", "demo-kommune")
    entries = _log(store_copy)
    assert ("kommune", "logget ind", "") in entries
    admin = login("admin", "demo-admin")
    admin.switch_page("views/revision.py").run()
    assert not admin.exception
    shown = admin.dataframe[0].value
    assert "logget ind" in set(shown["Handling"]) and "kommune" in set(shown["Bruger"])
    assert not any("_" in action for action in shown["Handling"]), "every action in Danish words, no code names"


def test_a_teams_view_of_its_year_groups_pupils_is_logged_with_who_when_and_what(store_copy):
    from datetime import datetime, timedelta

    team = login("team", "demo-team")
    team.switch_page("views/aargang.py").run()
    assert not team.exception
    views = [e for e in _entries(store_copy) if e["action"] == "visning" and e["target"] == "Årgang (elevniveau)"]
    assert len(views) == 1
    view = views[0]
    assert view["username"] == "team" and view["school"] == "900001"
    assert view["target"] == "Årgang (elevniveau)" and "årgang" in view["detail"]
    assert abs(datetime.now() - datetime.fromisoformat(view["logged_at"])) < timedelta(minutes=5)
    # The one pupil whose development and learning triangle the screen shows is a view of its own.
    pupil_views = {e["target"] for e in _entries(store_copy) if e["action"] == "visning"} - {view["target"]}
    assert pupil_views == {"Årgang: elevens udvikling i teamets prøver", "Årgang: læringstrekant"}
    count = len([e for e in _entries(store_copy) if e["action"] == "visning"])
    team.run()  # a rerun of the same page is not a new view
    assert len([e for e in _entries(store_copy) if e["action"] == "visning"]) == count


def test_the_municipality_viewing_a_schools_figures_is_logged_under_that_school(store_copy):
    kommune = login("kommune", "demo-kommune")
    kommune.switch_page("views/overblik.py").run()
    assert not kommune.exception
    assert any(e["action"] == "visning" and e["target"] == "Overblik" and e["school"] for e in _entries(store_copy))


def test_the_audit_log_is_found_by_part_of_a_word_user_school_and_date(store_copy):
    from datetime import date

    from queries.runner import Scope, runner_for

    runner = runner_for(store_copy)
    runner.audit("kommune", "eksport", "referat_offentligt.docx", school="900002")
    runner.audit("leder", "eksport", "noegletal.xlsx", school="900001")
    admin = Scope("admin", None)

    def find(**filters):
        from components.audit_details import search_terms
        from queries import audit_log

        filters["texts"] = search_terms(filters.pop("text", ""))
        params = {"username": "", "school": "", "date_from": None, "date_to": None} | filters
        return audit_log.search(runner, admin, **params)["target"].to_list()

    assert find(text="offentlig") == ["referat_offentligt.docx"]
    assert find(username="komm", text="eksport") == ["referat_offentligt.docx"]
    assert "noegletal.xlsx" in find(school="900001") and "referat_offentligt.docx" not in find(school="900001")
    assert "noegletal.xlsx" in find(date_from=date.today(), date_to=date.today())
    assert find(date_to=date(2000, 1, 1)) == []


def test_the_audit_log_is_found_by_the_danish_words_and_dates_it_shows(store_copy):
    """The details are stored as JSON with the code's names ("expires", ISO dates) and shown in Danish
    ("udløber: 01.08.2025"): a search for what the screen shows finds the entry."""
    import json

    from components.audit_details import readable, search_terms
    from queries.runner import Scope, runner_for

    runner = runner_for(store_copy)
    detail = json.dumps({"talk_date": "2025-08-14", "place": "Aulaen", "indicator": "wellbeing_social"})
    runner.audit("leder", "ret samtale", "samtale 7", detail, school="900001")
    runner.audit("leder", "ret samtale", "samtale 8", json.dumps({"place": "Biblioteket"}), school="900001")
    admin = Scope("admin", None)

    def find(text: str) -> list[str]:
        from queries import audit_log

        params = {"username": "", "school": "", "date_from": None, "date_to": None, "texts": search_terms(text)}
        return audit_log.search(runner, admin, **params)["target"].to_list()

    shown = readable(detail)
    assert "dato: 14.08.2025" in shown and "sted: Aulaen" in shown
    assert find("14.08.2025") == ["samtale 7"]  # the date as shown
    assert find("dato") == ["samtale 7"]  # a field's Danish name
    assert find("social trivsel") == ["samtale 7"]  # an indicator's name
    assert find("aulaen") == ["samtale 7"]  # a value, any case
    assert find("sted") == ["samtale 8", "samtale 7"]
    assert find("ingen steder") == []
    assert len(find("")) >= 2  # no text: everything


def test_an_export_click_is_logged(store_copy, monkeypatch):
    from components import session
    from components.auth import User
    from queries.runner import Scope, runner_for

    user = User("kommune", "Konsulent", "kommune", Scope("kommune", frozenset(["900001"]), municipality_code="999"))
    monkeypatch.setattr(session, "current_user", lambda: user)
    monkeypatch.setattr(session, "runner", lambda: runner_for(store_copy))
    session.audit_export("datablik_skoler_2025/26.xlsx")
    assert ("kommune", "eksport", "datablik_skoler_2025/26.xlsx") in _log(store_copy)


def test_every_write_query_has_danish_words_in_the_audit_log():
    from data.audit import action_words

    for name in query_names():
        if load_query(name).level == "write":
            assert name in action_words(), f"{name}: add its Danish words to data/reference/audit_actions.csv"


def test_nothing_in_the_app_can_change_the_audit_log():
    for name in query_names():
        spec = load_query(name)
        if spec.level == "write":
            assert "audit_log" not in spec.sql, name
    from components.navigation import screen

    assert screen("revision").roles == frozenset({"admin"})
