"""Login with streamlit-authenticator, and the server-side user the rest of the app trusts.

Known hazards of streamlit-authenticator 0.4.2 handled here: its cookie is a token signed with
the cookie key, so the key must be secret (32+ bytes of real randomness, never the library
default); given a YAML path it rewrites the file on every login, so it gets a dict copy; it is
created once per run. Its own cookie check lets jwt errors other than a bad signature escape
(`alg: none`, another algorithm, `e30.e30.e30`) and raises for a signed cookie of an unknown user,
so the cookie is read here instead. The role and scope always come from our own users file on the
server, never from the cookie, and the server-side session is checked on every run.

Login bookkeeping (failures, sessions) is read fresh, not through the runner's cache: it changes
without a new data version, and whether a session has expired depends on the clock.
"""

from __future__ import annotations

import copy
import logging
import math
import secrets
import threading
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import bcrypt
import jwt
import streamlit as st
import streamlit_authenticator as stauth

from components import login_cookie, run_slots
from data.logging_setup import user_label
from data.users import DEMO_USERS, MAX_PASSWORD_BYTES, MAX_USERNAME_LENGTH, load_users, users_path
from queries.runner import QueryError, Runner, Scope
from queries.scopes import scope_for_user

_log = logging.getLogger(__name__)

COOKIE_NAME = "datablik_login"
COOKIE_EXPIRY_DAYS = 0.5  # a working day; then log in again
MAX_FAILURES = 5  # failed logins for one username within LOCKOUT_MINUTES lock it
LOCKOUT_MINUTES = 15
SYSTEM = Scope("admin", None)  # login bookkeeping is the app's own, not a user's
SESSION_KEY = "datablik_session_expires"
NOTICE_KEY = "login_notice"
# A real bcrypt hash of a random string: unknown usernames are checked against it, so a wrong
# username takes as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt()).decode()
MIN_KEY_BYTES = 32
MIN_KEY_BITS = 128  # estimated from the key's own characters (Shannon entropy)
MIN_KEY_DISTINCT = 10
LIBRARY_DEFAULT_KEYS = {"some_key", "some_signature_key", "abcdef", "random_signature_key"}
MAX_COOKIE_LENGTH = 4096  # our tokens are ~150 characters
# Demo stores without a configured key get a random one per server process. A module global, not
# st.cache_resource: any client, logged in or not, can send `clear_cache`, which empties that cache
# and would log everyone out.
_DEMO_COOKIE_KEY = secrets.token_urlsafe(48)
# Check-and-record of a login attempt is one critical section per username (striped, so a flood of
# made-up usernames cannot grow a table of locks): the app is one process with one connection per
# store, and DuckDB's snapshot isolation would let parallel attempts all see the same count.
_LOGIN_LOCKS = tuple(threading.Lock() for _ in range(64))
ROLE_LABELS = {"ledelse": "Skoleledelse", "kommune": "Kommune", "team": "Årgangsteam", "admin": "Dataansvarlig"}
WRONG = "Brugernavn eller adgangskode er forkert."
LOCKED = "For mange forkerte forsøg. Vent et kvarter, og prøv igen."
BUSY = "Login kunne ikke gennemføres lige nu, fordi databasen havde travlt. Prøv igen om lidt."
LOGOUT_BUSY = "Du kunne ikke logges ud lige nu, fordi databasen havde travlt. Prøv igen om lidt."
SESSION_ENDED = "Du er logget ud, fordi din session er afsluttet eller udløbet. Log ind igen."
COOKIE_INVALID = "Din login-cookie kunne ikke bruges og er slettet. Log ind igen."
PASSWORD_TOO_LONG = f"Adgangskoden er for lang: højst {MAX_PASSWORD_BYTES} byte (æ, ø og å tæller som 2)."
USERNAME_TOO_LONG = f"Brugernavnet er for langt: højst {MAX_USERNAME_LENGTH} tegn."
UNUSABLE_INPUT = "Brugernavn eller adgangskode indeholder tegn, der ikke kan bruges."
LOGIN_FIELDS = {
    "Form name": "Log ind",
    "Username": "Brugernavn",
    "Password": "Adgangskode",
    "Login": "Log ind",
    "Captcha": "Captcha",
}


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    scope: Scope


def _secret(section: str, key: str) -> str | None:
    try:
        return st.secrets[section][key]
    except (KeyError, FileNotFoundError, AttributeError):
        return None
    except Exception:  # no secrets.toml at all
        return None


def key_is_strong(key: str) -> bool:
    """Whether a cookie key looks random enough to sign logins: 32+ bytes, not a library default,
    at least MIN_KEY_BITS estimated from its characters, and not mostly one repeated step
    (`aaaa…`, `abab…`, `abcd…`, `0123…`)."""
    if (
        not isinstance(key, str)
        or len(key.encode("utf-8", "surrogatepass")) < MIN_KEY_BYTES
        or key in LIBRARY_DEFAULT_KEYS
    ):
        return False
    counts = Counter(key)
    bits = -sum(c * math.log2(c / len(key)) for c in counts.values())
    if len(counts) < MIN_KEY_DISTINCT or bits < MIN_KEY_BITS:
        return False
    steps = Counter(ord(b) - ord(a) for a, b in pairwise(key))
    return steps.most_common(1)[0][1] * 2 <= len(key) - 1


def cookie_key(demo: bool) -> str | None:
    """The key from secrets.toml, or None when it is missing or unsafe (outside demo mode)."""
    key = _secret("auth", "cookie_key")
    if key and key_is_strong(key):
        return key
    return _DEMO_COOKIE_KEY if demo else None


def refuse_without_cookie_key() -> None:
    st.error(
        "Datablik starter ikke uden en hemmelig, tilfældig nøgle til login-cookien (mindst 32 tegn, "
        "ikke gentagne tegn, mellemrum eller en række som abcd…). "
        "Opret filen `.streamlit/secrets.toml` med\n\n"
        '```toml\n[auth]\ncookie_key = "<mindst 32 tilfældige tegn>"\n```\n\n'
        '(fx lavet med `python -c "import secrets; print(secrets.token_urlsafe(48))"`).'
    )
    st.stop()


def _credentials(records: dict[str, dict]) -> dict:
    return {
        "usernames": {
            name: {
                "name": r.get("name", name),
                "password": r["password"],
                "roles": [r["role"]],
                "email": f"{name}@datablik.invalid",
            }
            for name, r in records.items()
            if r.get("password") and not r.get("disabled")
        }
    }


def _active(records: dict[str, dict], username: object) -> dict | None:
    record = records.get(username) if isinstance(username, str) else None
    return record if record and record.get("password") and not record.get("disabled") else None


class _MalformedCookie(Exception):
    pass


def _raw_cookie() -> str | None:
    cookies = st.context.cookies
    return cookies[COOKIE_NAME] if COOKIE_NAME in cookies else None


def read_cookie(key: str) -> tuple[str, float] | None:
    """(username, expiry) from the browser's login cookie; None without one. Raises _MalformedCookie
    for anything that is not a token we signed with a username and an expiry."""
    raw = _raw_cookie()
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw or len(raw) > MAX_COOKIE_LENGTH:
        raise _MalformedCookie
    try:
        payload = jwt.decode(raw, key, algorithms=["HS256"])
    except Exception as exc:  # hostile bytes: any failure to decode is a malformed cookie
        raise _MalformedCookie from exc
    username, expires = payload.get("username"), payload.get("exp_date")
    if not isinstance(username, str) or not 0 < len(username) <= MAX_USERNAME_LENGTH:
        raise _MalformedCookie
    if isinstance(expires, bool) or not isinstance(expires, (int, float)) or not math.isfinite(expires):
        raise _MalformedCookie
    return username, float(expires)


def authenticate(runner: Runner, demo: bool) -> tuple[User | None, stauth.Authenticate | None]:
    """Show the login form if needed; return the logged-in user, checked on the server every run."""
    key = cookie_key(demo)
    if key is None:
        refuse_without_cookie_key()
    records = load_users(users_path(_secret("auth", "users_file")))
    authenticator = stauth.Authenticate(
        copy.deepcopy(_credentials(records)),
        COOKIE_NAME,
        key,
        COOKIE_EXPIRY_DAYS,
        auto_hash=False,
        login_sleep_time=0,
    )
    try:
        if not st.session_state.get("authentication_status"):
            if not st.session_state.get("logout"):  # right after a logout the old cookie may still arrive
                _login_from_cookie(authenticator, runner, records, key)
        elif not _session_still_open(runner, records):
            _end_session(authenticator, SESSION_ENDED)
    except QueryError:
        st.error(BUSY)
        st.stop()
    if not st.session_state.get("authentication_status"):
        return None, authenticator
    username = st.session_state["username"]
    record = records[username]
    return User(username, record.get("name", username), record["role"], scope_for_user(record, runner)), authenticator


def _login_from_cookie(authenticator: stauth.Authenticate, runner: Runner, records: dict[str, dict], key: str) -> None:
    """A returning browser's cookie logs in before navigation is built, so a deep link works, but
    only while the server still holds its session open (not after logout or expiry)."""
    try:
        token = read_cookie(key)
    except _MalformedCookie:
        _clear_cookie()
        st.session_state[NOTICE_KEY] = COOKIE_INVALID
        return
    if token is None:
        return
    username, expires = token
    record = _active(records, username)
    if record is None or not session_is_live(runner, username, expires):
        return
    st.session_state.update(
        authentication_status=True,
        username=username,
        name=record.get("name", username),
        roles=[record["role"]],
        logout=None,
    )
    st.session_state[SESSION_KEY] = expires
    st.session_state.pop(NOTICE_KEY, None)


def _session_still_open(runner: Runner, records: dict[str, dict]) -> bool:
    """Every run of a logged-in session: the user still active, the session neither revoked (a
    logout in any browser holding the same cookie) nor expired."""
    username = st.session_state.get("username")
    if _active(records, username) is None:
        return False
    return session_is_live(runner, username, st.session_state.get(SESSION_KEY))


def _end_session(authenticator: stauth.Authenticate, notice: str | None) -> None:
    authenticator.logout(location="unrendered")
    _clear_cookie()
    st.session_state.pop(SESSION_KEY, None)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _fresh_row(runner: Runner, name: str, **params) -> dict:
    """One row of a login-bookkeeping query, read now rather than from the runner's cache."""
    try:
        return runner.fresh(name, SYSTEM, **params).row(0, named=True)
    except QueryError as exc:
        raise QueryError(BUSY) from exc


def session_is_live(runner: Runner, username: str | None, expires: float | None) -> bool:
    """Whether the server holds this session open: not revoked, not expired. One primary-key lookup."""
    if not username or expires is None:
        return False
    return _fresh_row(runner, "login_session_open", username=username, expires=float(expires))["open_sessions"] == 1


def recent_failures(runner: Runner, username: str) -> int:
    return _fresh_row(runner, "login_session_state", username=username, expires=0.0, lockout_minutes=LOCKOUT_MINUTES)[
        "recent_failures"
    ]


@dataclass(frozen=True)
class LoginAttempt:
    """The answer to one submitted login: the user's record when it succeeded, else a Danish message."""

    record: dict | None = None
    message: str | None = None


def _input_problem(username: str, password: str) -> str | None:
    """Bounds checked before anything is evaluated or written."""
    if len(username) > MAX_USERNAME_LENGTH:
        return USERNAME_TOO_LONG
    if len(password) > MAX_PASSWORD_BYTES:  # cheap first test; the byte count follows
        return PASSWORD_TOO_LONG
    try:
        size = len(password.encode("utf-8"))
        username.encode("utf-8")
    except UnicodeEncodeError:
        return UNUSABLE_INPUT
    if size > MAX_PASSWORD_BYTES:
        return PASSWORD_TOO_LONG
    if "\x00" in password or any(ord(c) < 32 or ord(c) == 127 for c in username):
        return UNUSABLE_INPUT
    return None


def attempt_login(runner: Runner, records: dict[str, dict], username: str, password: str) -> LoginAttempt:
    """Check one username and password against the users file and the lockout, and record a failure.
    Counting, evaluating and recording are one critical section per username, so parallel attempts
    evaluate at most MAX_FAILURES passwords before the lock. The login form calls this; it touches
    no Streamlit state."""
    problem = _input_problem(username, password)
    if problem or not username:
        _log.warning(
            "login failed: user %s: %s", user_label(username, False), "input refused" if problem else "no username"
        )
        return LoginAttempt(message=problem or WRONG)
    who = user_label(username, username in records)  # the log never holds a password, nor what may be one
    with _LOGIN_LOCKS[zlib.crc32(username.encode("utf-8")) % len(_LOGIN_LOCKS)]:
        try:
            if recent_failures(runner, username) >= MAX_FAILURES:  # read-only: the failures recorded before
                _log.warning("login failed: user %s: locked after %d failures", who, MAX_FAILURES)
                return LoginAttempt(message=LOCKED)
        except QueryError as problem:
            _log.error("login failed: user %s: the lockout could not be read: %s", who, problem)
            return LoginAttempt(message=BUSY)
        record = _active(records, username)
        stored = record["password"] if record else None
        with run_slots.password_check_slot():  # bcrypt is CPU-bound by design: one per core at a time
            valid = bcrypt.checkpw(password.encode(), (stored or _DUMMY_HASH).encode()) and stored is not None
        if valid:
            _log.info("login ok: user %s (%s)", who, record.get("role"))
            return LoginAttempt(record=record)
        _log.warning("login failed: user %s: %s", who, "wrong password" if record else "no such active user")
        try:  # the operational store takes it even when the DuckDB file is open read-only
            runner.write("record_login_failure", SYSTEM, username, [{"username": username}])
        except QueryError as problem:  # a write conflict: the attempt is answered, never a traceback
            _log.error("login failure of user %s could not be recorded: %s", who, problem)
            return LoginAttempt(message=BUSY)
        return LoginAttempt(message=WRONG)


def login_form(authenticator: stauth.Authenticate, runner: Runner) -> None:
    """Our own form: bcrypt against the server-side users file, a lockout after repeated failures,
    one message for every failure (no user enumeration), and a server-side session per login."""
    if st.session_state.get(NOTICE_KEY):
        st.warning(st.session_state[NOTICE_KEY])
    with st.form("login"):
        st.subheader("Log ind")
        # The server cuts a widget's value at max_chars as it arrives; one character more than allowed
        # keeps a 2 MB value from ever reaching the check while still telling the user it was too long.
        username = st.text_input("Brugernavn", autocomplete="username", max_chars=MAX_USERNAME_LENGTH + 1).strip()
        password = st.text_input(
            "Adgangskode", type="password", autocomplete="current-password", max_chars=MAX_PASSWORD_BYTES + 1
        )
        submitted = st.form_submit_button("Log ind")
    if not submitted:
        if st.session_state.get("login_error"):  # the last attempt's answer survives reruns
            st.error(st.session_state["login_error"])
        return
    attempt = attempt_login(runner, load_users(users_path(_secret("auth", "users_file"))), username, password)
    if attempt.record is None or not _open_session(authenticator, runner, username):
        if attempt.record is not None:
            _log.error("login of user %r: the session could not be stored", username)
        st.session_state["login_error"] = attempt.message or BUSY
        st.error(st.session_state["login_error"])
        return
    record = attempt.record
    st.session_state.pop("login_error", None)
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state.update(
        authentication_status=True,
        username=username,
        name=record.get("name", username),
        roles=[record["role"]],
        logout=None,
    )


def served_over_https() -> bool:
    """Whether the browser reached the app over HTTPS (directly, or through a proxy that says so)."""
    try:
        proto = (st.context.headers.get("X-Forwarded-Proto") or "").split(",")[0].strip().lower()
        return proto == "https" or str(st.context.url or "").startswith("https://")
    except Exception:  # no request context (a test or bare run)
        return False


def _set_cookie(authenticator: stauth.Authenticate) -> float:
    """The library's signed token, handed to the browser by the server as an HttpOnly, SameSite=Strict
    cookie, Secure over HTTPS (components/login_cookie.py). Returns its expiry, which identifies the
    server-side session."""
    model = authenticator.cookie_controller.cookie_model
    model.exp_date = model._set_exp_date()
    login_cookie.hand_over(COOKIE_NAME, model._token_encode(), int(COOKIE_EXPIRY_DAYS * 86400), served_over_https())
    return float(model.exp_date)


def _clear_cookie() -> None:
    """Remove the login cookie from this browser (the server-side session is what refuses it)."""
    login_cookie.hand_over(COOKIE_NAME, None, 0, served_over_https())


def _open_session(authenticator: stauth.Authenticate, runner: Runner, username: str) -> bool:
    """Hand out the cookie and open its session on the server; False when the session could not be stored."""
    st.session_state["username"] = username  # the library signs the cookie for this name
    expires = _set_cookie(authenticator)
    try:
        runner.write("record_login_session", SYSTEM, username, [{"username": username, "expires": expires}])
    except QueryError:  # the cookie just set opens nothing: no session row holds it
        st.session_state["username"] = None
        return False
    st.session_state[SESSION_KEY] = expires
    return True


def logout(authenticator: stauth.Authenticate, runner: Runner, user: User) -> bool:
    """Close the session on the server too, so the cookie is refused if it is ever replayed, and in
    every other browser that holds it on its next run. False (with a Danish message) when the store
    could not record it; the user stays logged in and can try again."""
    expires = st.session_state.get(SESSION_KEY)
    if expires is not None:
        try:
            runner.write(
                "revoke_login_session", SYSTEM, user.username, [{"username": user.username, "expires": float(expires)}]
            )
        except QueryError:
            try:
                still_open = session_is_live(runner, user.username, expires)
            except QueryError:
                still_open = True
            if still_open:
                st.error(LOGOUT_BUSY)
                return False
    _end_session(authenticator, None)
    _log.info("logout: user %r", user.username)
    return True


def demo_logins_table() -> list[dict]:
    return [
        {"Rolle": ROLE_LABELS[u.role], "Brugernavn": u.username, "Adgangskode": u.password, "Ser": u.name}
        for u in DEMO_USERS
    ]


def require_role(user: User | None, *roles: str) -> User:
    """Second guard in every screen: stop unless the user has one of the roles."""
    if user is None or user.role not in roles:
        st.error("Du har ikke adgang til denne side.")
        st.stop()
    return user
