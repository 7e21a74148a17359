"""Login under attack: parallel guesses against the lockout, sessions that end on the next rerun,
weak cookie keys, malformed cookies and over-long input, clear_cache from a logged-out client,
and the users file's mode."""

from __future__ import annotations

import shutil
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import bcrypt
import jwt
import pytest
import streamlit as st
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest

from components import auth
from data import users
from queries.runner import QueryError, runner_for
from tests.operational import ops_rows
from tests.test_app_pages import APP, login, start

OVERBLIK = "Overblik"


def _on_overblik(at: AppTest) -> bool:
    return any(t.value.startswith(OVERBLIK) for t in at.title)


def _shows_login_form(at: AppTest) -> bool:
    return [t.label for t in at.text_input] == ["Brugernavn", "Adgangskode"]


def _messages(at: AppTest) -> list[str]:
    return [m.value for m in (*at.error, *at.warning, *at.info)]


@pytest.fixture
def own_users(demo_store, tmp_path, monkeypatch):
    """A private copy of the demo users file, for tests that change it."""
    import os

    path = tmp_path / "users.yaml"
    shutil.copy(os.environ["DATABLIK_USERS"], path)
    monkeypatch.setenv("DATABLIK_USERS", str(path))
    return path


def _browser_cookie(monkeypatch, value: str | None) -> None:
    """Every run from now on sees this login cookie, as a browser that holds it would send it."""
    cookies = {} if value is None else {auth.COOKIE_NAME: value}
    monkeypatch.setattr(ContextProxy, "cookies", property(lambda self: cookies))


def _cookies_handed_out(monkeypatch) -> list[str]:
    """The login cookies the app hands to the server to set (components/login_cookie), as if
    serve.py had mounted its route."""
    from components import login_cookie

    sent: list[str] = []

    def recording(name, value, max_age, secure):
        if name == auth.COOKIE_NAME and value is not None:
            sent.append(value)
        return True

    monkeypatch.setattr(login_cookie, "hand_over", recording)
    return sent


def _count(runner, table: str) -> int:
    return ops_rows(runner, f"SELECT count(*) FROM {table}")[0][0]


def _store_bytes(runner) -> int:
    return (
        ops_rows(runner, "SELECT coalesce(sum(length(username)), 0) FROM login_failure")[0][0]
        + ops_rows(runner, "SELECT coalesce(sum(length(username) + length(coalesce(detail, ''))), 0) FROM audit_log")[
            0
        ][0]
    )


# -- 1. lockout under concurrency ------------------------------------------------------------


def _parallel_attempts(runner, records, username: str, passwords: list[str], monkeypatch):
    """All passwords sent at once from their own threads through the form's code path; returns the
    answers and how many passwords bcrypt actually evaluated."""
    evaluated: list[bytes] = []
    real = bcrypt.checkpw

    def counting(password, hashed):
        evaluated.append(password)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    start_together = threading.Barrier(len(passwords))

    def one(password):
        start_together.wait()
        return auth.attempt_login(runner, records, username, password)

    with ThreadPoolExecutor(len(passwords)) as pool:
        answers = list(pool.map(one, passwords))
    monkeypatch.setattr(bcrypt, "checkpw", real)
    return answers, evaluated


@pytest.mark.both_ops_backends
def test_sixteen_parallel_guesses_evaluate_at_most_five_and_then_the_right_password_is_refused(store_copy, monkeypatch):
    runner = runner_for(store_copy)
    records = users.load_users(users.users_path())
    answers, evaluated = _parallel_attempts(runner, records, "leder2", [f"forkert-{i}" for i in range(16)], monkeypatch)
    assert len(evaluated) <= auth.MAX_FAILURES
    assert all(a.record is None for a in answers)
    assert {a.message for a in answers} <= {auth.WRONG, auth.LOCKED}
    assert [a.message for a in answers].count(auth.WRONG) == auth.MAX_FAILURES
    assert _count(runner, "login_failure") >= auth.MAX_FAILURES  # no failure record was lost
    right = auth.attempt_login(runner, records, "leder2", "demo-leder2")
    assert right.record is None and right.message == auth.LOCKED


@pytest.mark.both_ops_backends
def test_fifteen_wrong_and_the_right_password_at_once_never_let_the_right_one_in_after_five_failures(
    store_copy, monkeypatch
):
    runner = runner_for(store_copy)
    records = users.load_users(users.users_path())
    passwords = [f"forkert-{i}" for i in range(15)] + ["demo-leder2"]
    answers, evaluated = _parallel_attempts(runner, records, "leder2", passwords, monkeypatch)
    assert len([p for p in evaluated if p != b"demo-leder2"]) <= auth.MAX_FAILURES
    right = answers[-1]
    wrong_before_lock = [a.message for a in answers[:-1]].count(auth.WRONG)
    if right.record is not None:  # it won the race: fewer than five failures had been counted
        assert evaluated.index(b"demo-leder2") < auth.MAX_FAILURES
    else:
        assert right.message == auth.LOCKED and wrong_before_lock == auth.MAX_FAILURES
        assert auth.attempt_login(runner, records, "leder2", "demo-leder2").message == auth.LOCKED


def test_a_write_conflict_while_recording_a_failure_is_a_danish_message_not_a_traceback(store_copy, monkeypatch):
    runner = runner_for(store_copy)
    records = users.load_users(users.users_path())

    def conflict(*args, **kwargs):
        raise QueryError("Ændringen kunne ikke gemmes; intet er ændret.")

    monkeypatch.setattr(runner, "write", conflict)
    answer = auth.attempt_login(runner, records, "leder", "forkert")
    assert answer.record is None and answer.message == auth.BUSY


def test_a_write_conflict_while_opening_the_session_is_a_danish_message_and_no_login(store_copy, monkeypatch):
    from queries.runner import Runner

    real = Runner.write

    def conflicting(self, name, *args, **kwargs):
        if name == "record_login_session":
            raise QueryError("Ændringen kunne ikke gemmes; intet er ændret.")
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(Runner, "write", conflicting)
    at = login("leder", "demo-leder")
    assert not at.exception
    assert auth.BUSY in _messages(at)
    assert not _on_overblik(at) and _shows_login_form(at)


def test_a_write_conflict_at_logout_is_a_danish_message_and_the_session_stays_open_to_retry(store_copy, monkeypatch):
    from queries.runner import Runner

    at = login("leder", "demo-leder")
    real = Runner.write

    def conflicting(self, name, *args, **kwargs):
        if name == "revoke_login_session":
            raise QueryError("Ændringen kunne ikke gemmes; intet er ændret.")
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(Runner, "write", conflicting)
    next(b for b in at.button if b.label == "Log ud").click().run()
    assert not at.exception
    assert auth.LOGOUT_BUSY in _messages(at)
    assert _on_overblik(at)  # not logged out here while the cookie would still open the session elsewhere
    monkeypatch.setattr(Runner, "write", real)
    next(b for b in at.button if b.label == "Log ud").click().run()
    assert _shows_login_form(at)


# -- 2. a live session ends on its next rerun ------------------------------------------------


@pytest.mark.both_ops_backends
def test_a_second_browser_with_the_same_cookie_is_logged_out_on_its_next_rerun_after_logout(store_copy, monkeypatch):
    handed_out = _cookies_handed_out(monkeypatch)
    first = login("leder", "demo-leder")
    assert _on_overblik(first) and handed_out
    _browser_cookie(monkeypatch, handed_out[-1])
    second = start()  # another browser holding the same cookie
    assert _on_overblik(second)
    next(b for b in first.button if b.label == "Log ud").click().run()
    assert _shows_login_form(first)
    second.run()
    assert not second.exception
    assert not _on_overblik(second) and _shows_login_form(second)
    assert auth.SESSION_ENDED in _messages(second)


def test_a_live_session_ends_on_its_next_rerun_when_it_expires(store_copy, monkeypatch):
    monkeypatch.setattr(auth, "COOKIE_EXPIRY_DAYS", -1 / 86400)  # every session has already expired
    at = start()
    at.text_input[0].input("leder")
    at.text_input[1].input("demo-leder")
    at.button[0].click().run()
    at.run()
    assert not at.exception
    assert not _on_overblik(at) and _shows_login_form(at)
    assert auth.SESSION_ENDED in _messages(at)


def test_a_live_session_ends_on_its_next_rerun_when_the_user_is_disabled(store_copy, own_users):
    at = login("leder", "demo-leder")
    assert _on_overblik(at)
    users.disable_user(own_users, "leder")
    at.run()
    assert not at.exception
    assert not _on_overblik(at) and _shows_login_form(at)


@pytest.mark.both_ops_backends
def test_the_session_check_sees_a_logout_and_failures_that_did_not_bump_the_data_version(store_copy):
    """Login bookkeeping need not make a new data version, so it must not be read from the cache."""
    runner = runner_for(store_copy)
    expires = time.time() + 600
    runner.write("record_login_session", auth.SYSTEM, "leder", [{"username": "leder", "expires": expires}])
    version = runner.data_version()
    assert auth.session_is_live(runner, "leder", expires) and auth.recent_failures(runner, "leder") == 0
    with runner.ops.transaction() as cur:  # as another server process would, without this runner
        cur.execute("UPDATE login_session SET revoked_at = ? WHERE username = 'leder'", [time.time()])
        cur.execute("INSERT INTO login_failure VALUES ('leder', ?)", [time.time()])
    assert runner.data_version() == version
    assert not auth.session_is_live(runner, "leder", expires)
    assert auth.recent_failures(runner, "leder") == 1


# -- 3. cookie keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["x" * 32, " " * 32, "k" * 40, "ab" * 20, "0123456789" * 4, "abcdefghijklmnopqrstuvwxyzABCDEF"]
)
def test_a_guessable_cookie_key_is_refused(key):
    assert not auth.key_is_strong(key)


def test_a_random_cookie_key_is_accepted():
    import secrets

    for _ in range(50):
        assert auth.key_is_strong(secrets.token_urlsafe(32))
        assert auth.key_is_strong(secrets.token_hex(32))


def test_outside_demo_mode_a_key_of_repeated_characters_or_spaces_stops_the_app(tmp_path, monkeypatch, demo_store):
    from data import store

    con = store.connect(tmp_path / "real.duckdb")
    store.bump_data_version(con)
    con.close()
    monkeypatch.setenv("DATABLIK_DB", str(tmp_path / "real.duckdb"))
    for key in ("x" * 32, " " * 32):
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["auth"] = {"cookie_key": key}
        at.run()
        assert not at.exception
        assert at.error and "tilfældig" in at.error[0].value
        assert not at.text_input


# -- 4. malformed cookies and over-long input ------------------------------------------------


def _signed(payload: dict) -> str:
    return jwt.encode(payload, auth.cookie_key(True), algorithm="HS256")


MALFORMED_COOKIES = {
    "garbage": "ikke-en-token",
    "three_empty_objects": "e30.e30.e30",
    "alg_none": jwt.encode({"username": "leder", "exp_date": 4e9}, None, algorithm="none"),
    "wrong_algorithm": jwt.encode({"username": "leder", "exp_date": 4e9}, "k" * 64, algorithm="HS512"),
    "huge": "a" * 100_000,
}


@pytest.mark.parametrize("name", MALFORMED_COOKIES)
def test_a_malformed_cookie_gives_a_danish_message_and_the_login(demo_store, monkeypatch, name):
    _browser_cookie(monkeypatch, MALFORMED_COOKIES[name])
    at = start()
    assert not at.exception
    assert _shows_login_form(at) and not _on_overblik(at)
    assert auth.COOKIE_INVALID in _messages(at)


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "leder"},
        {"username": "leder", "exp_date": "i morgen"},
        {"username": ["leder"], "exp_date": 4e9},
        {"username": "ingen-saadan-bruger", "exp_date": 4e9},
        {"username": "x" * 5000, "exp_date": 4e9},
    ],
    ids=["no_expiry", "text_expiry", "list_username", "unknown_user", "long_username"],
)
def test_a_signed_cookie_with_a_wrong_payload_gives_the_login_without_an_error_page(demo_store, monkeypatch, payload):
    _browser_cookie(monkeypatch, _signed(payload))
    at = start()
    assert not at.exception
    assert _shows_login_form(at) and not _on_overblik(at)


def test_a_password_over_72_bytes_gets_a_danish_message(demo_store):
    at = login("leder", "æ" * 40)  # 80 bytes in UTF-8
    assert not at.exception
    assert [e.value for e in at.error] == [auth.PASSWORD_TOO_LONG]


def test_an_over_long_username_is_refused_before_anything_is_written(store_copy):
    runner = runner_for(store_copy)
    records = users.load_users(users.users_path())
    before = _store_bytes(runner)
    answer = auth.attempt_login(runner, records, "x" * 2_000_000, "forkert")
    assert answer.record is None and answer.message == auth.USERNAME_TOO_LONG
    assert _store_bytes(runner) == before


def test_an_over_long_username_in_the_form_gets_a_danish_message(store_copy):
    runner = runner_for(store_copy)
    before = _store_bytes(runner)
    at = start()
    at.text_input[0].set_value("x" * 2_000_000)  # as a hostile client sends it, past the browser's max_chars
    at.text_input[1].set_value("forkert")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [auth.USERNAME_TOO_LONG]
    assert _store_bytes(runner) == before


def test_a_failed_login_writes_a_bounded_amount(store_copy):
    runner = runner_for(store_copy)
    records = users.load_users(users.users_path())
    before = _store_bytes(runner)
    answer = auth.attempt_login(runner, records, "x" * auth.MAX_USERNAME_LENGTH, "forkert")
    assert answer.message == auth.WRONG
    assert _store_bytes(runner) - before < 1000


@pytest.mark.parametrize("password", ["\ud800", "a\x00b"], ids=["lone_surrogate", "nul"])
def test_a_password_that_is_not_text_gets_a_danish_message(store_copy, password):
    answer = auth.attempt_login(runner_for(store_copy), users.load_users(users.users_path()), "leder", password)
    assert answer.record is None and answer.message in (auth.WRONG, auth.UNUSABLE_INPUT)


def test_users_cannot_be_given_a_password_over_72_bytes_or_an_over_long_name(tmp_path):
    path = tmp_path / "users.yaml"
    with pytest.raises(ValueError, match="72"):
        users.add_user(path, "ny", "Ny", "admin", "ø" * 37)
    with pytest.raises(ValueError, match="Brugernavnet"):
        users.add_user(path, "x" * 65, "Ny", "admin", "en-lang-adgangskode")


# -- 5. the demo key survives clear_cache ----------------------------------------------------


def test_a_clear_cache_message_does_not_make_a_new_demo_cookie_key():
    before = auth.cookie_key(True)
    st.cache_data.clear()  # what a clear_cache message from any client does, logged in or not
    st.cache_resource.clear()
    assert auth.cookie_key(True) == before


# -- 6. file modes ---------------------------------------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_users_file_is_readable_by_its_owner_only(tmp_path):
    folder = tmp_path / "ny" / "mappe"
    path = users.write_demo_users(tmp_path / "demo.duckdb", folder / "users.yaml")
    assert _mode(path) == 0o600
    assert _mode(folder) == 0o700 and _mode(folder.parent) == 0o700
    users.add_user(path, "ny", "Ny bruger", "admin", "en-lang-adgangskode")
    assert _mode(path) == 0o600
    path.chmod(0o644)  # a file written before this protection
    users.set_password(path, "ny", "en-anden-adgangskode")
    assert _mode(path) == 0o600
    path.chmod(0o644)
    users.load_users(path)  # the app reading an old file tightens it
    assert _mode(path) == 0o600


def test_the_login_cookie_is_handed_to_the_server_to_set_httponly_and_secure_over_https(monkeypatch):
    """The token goes to components/login_cookie (the server sets it HttpOnly, SameSite=Strict:
    tests/test_login_cookie.py), never to the library's JavaScript cookie manager."""
    from components import auth, login_cookie

    calls = []

    class Manager:
        def set(self, name, value, **options):
            raise AssertionError("a cookie written from JavaScript can be read by a script")

    class Model:
        cookie_name, cookie_expiry_days, cookie_manager = "datablik_login", 0.5, Manager()

        def _set_exp_date(self):
            return 1_900_000_000.0

        def _token_encode(self):
            return "signed"

    class Authenticator:
        cookie_controller = type("C", (), {"cookie_model": Model()})()

    monkeypatch.setattr(login_cookie, "hand_over", lambda *args: calls.append(args) or True)
    for https in (False, True):
        monkeypatch.setattr(auth, "served_over_https", lambda https=https: https)
        assert auth._set_cookie(Authenticator()) == 1_900_000_000.0
    assert calls == [("datablik_login", "signed", 43200, False), ("datablik_login", "signed", 43200, True)]
