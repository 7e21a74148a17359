"""Login with streamlit-authenticator, and the server-side user the rest of the app trusts.

Known hazards of streamlit-authenticator 0.4.2 handled here: its cookie is a token signed with
the cookie key, so the key must be secret (32+ bytes, never the library default); given a YAML
path it rewrites the file on every login, so it gets a dict copy; it is created once per run.
The role and scope always come from our own users file on the server, never from the cookie.
"""
from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass

import bcrypt
import streamlit as st
import streamlit_authenticator as stauth

from data.users import DEMO_USERS, load_users, users_path
from queries.runner import Runner, Scope
from queries.scopes import scope_for_user

COOKIE_NAME = "datablik_login"
COOKIE_EXPIRY_DAYS = 0.5           # a working day; then log in again
MAX_FAILURES = 5                   # failed logins for one username within LOCKOUT_MINUTES lock it
LOCKOUT_MINUTES = 15
SYSTEM = Scope("admin", None)      # login bookkeeping is the app's own, not a user's
SESSION_KEY = "datablik_session_expires"
# A real bcrypt hash of a random string: unknown usernames are checked against it, so a wrong
# username takes as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt()).decode()
MIN_KEY_BYTES = 32
LIBRARY_DEFAULT_KEYS = {"some_key", "some_signature_key", "abcdef", "random_signature_key"}
ROLE_LABELS = {"ledelse": "Skoleledelse", "kommune": "Kommune", "team": "Årgangsteam",
               "admin": "Dataansvarlig"}
WRONG = "Brugernavn eller adgangskode er forkert."
LOCKED = "For mange forkerte forsøg. Vent et kvarter, og prøv igen."
LOGIN_FIELDS = {"Form name": "Log ind", "Username": "Brugernavn", "Password": "Adgangskode",
                "Login": "Log ind", "Captcha": "Captcha"}


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


@st.cache_resource
def _demo_cookie_key() -> str:
    """Demo stores without a configured key get a random one per server process."""
    return secrets.token_urlsafe(48)


def cookie_key(demo: bool) -> str | None:
    """The key from secrets.toml, or None when it is missing or unsafe (outside demo mode)."""
    key = _secret("auth", "cookie_key")
    if key and len(key.encode()) >= MIN_KEY_BYTES and key not in LIBRARY_DEFAULT_KEYS:
        return key
    return _demo_cookie_key() if demo else None


def refuse_without_cookie_key() -> None:
    st.error(
        "Datablik starter ikke uden en hemmelig nøgle til login-cookien. "
        "Opret filen `.streamlit/secrets.toml` med\n\n"
        "```toml\n[auth]\ncookie_key = \"<mindst 32 tilfældige tegn>\"\n```\n\n"
        "(fx lavet med `python -c \"import secrets; print(secrets.token_urlsafe(48))\"`)."
    )
    st.stop()


def _credentials(records: dict[str, dict]) -> dict:
    return {"usernames": {
        name: {"name": r.get("name", name), "password": r["password"], "roles": [r["role"]],
               "email": f"{name}@datablik.invalid"}
        for name, r in records.items() if r.get("password") and not r.get("disabled")
    }}


def authenticate(runner: Runner, demo: bool) -> tuple[User | None, stauth.Authenticate | None]:
    """Show the login form if needed; return the logged-in user, checked on the server."""
    key = cookie_key(demo)
    if key is None:
        refuse_without_cookie_key()
    records = load_users(users_path(_secret("auth", "users_file")))
    authenticator = stauth.Authenticate(
        copy.deepcopy(_credentials(records)), COOKIE_NAME, key, COOKIE_EXPIRY_DAYS,
        auto_hash=False, login_sleep_time=0,
    )
    if not st.session_state.get("authentication_status"):
        # A returning browser's cookie logs in before navigation is built, so a deep link works,
        # but only while the server still holds the session open (not after logout or expiry).
        authenticator.login(location="unrendered")
        if st.session_state.get("authentication_status"):
            token = authenticator.cookie_controller.cookie_model.token or {}
            if not _session_open(runner, token.get("username"), token.get("exp_date")):
                authenticator.logout(location="unrendered")
                st.session_state["authentication_status"] = None
            else:
                st.session_state[SESSION_KEY] = token["exp_date"]
    if not st.session_state.get("authentication_status"):
        return None, authenticator
    username = st.session_state.get("username")
    record = records.get(username)
    if not record or record.get("disabled"):
        authenticator.logout(location="unrendered")
        return None, authenticator
    return User(username, record.get("name", username), record["role"],
                scope_for_user(record, runner)), authenticator


def _session_state(runner: Runner, username: str, expires: float) -> dict:
    return runner.run("login_session_state", SYSTEM, username=username, expires=float(expires),
                      lockout_minutes=LOCKOUT_MINUTES).row(0, named=True)


def _session_open(runner: Runner, username: str | None, expires: float | None) -> bool:
    if not username or expires is None or runner.read_only:  # read-only: no sessions, log in each time
        return False
    return _session_state(runner, username, expires)["open_sessions"] == 1


@dataclass(frozen=True)
class LoginAttempt:
    """The answer to one submitted login: the user's record when it succeeded, else a Danish message."""
    record: dict | None = None
    message: str | None = None


def attempt_login(runner: Runner, records: dict[str, dict], username: str, password: str) -> LoginAttempt:
    """Check one username and password against the users file and the lockout; record a failure.
    The login form calls this; it touches no Streamlit state."""
    record = records.get(username)
    stored = record.get("password") if record and not record.get("disabled") else None
    valid = bcrypt.checkpw(password.encode(), (stored or _DUMMY_HASH).encode()) and stored is not None
    locked = _session_state(runner, username, 0)["recent_failures"] >= MAX_FAILURES
    if locked or not valid:
        if not runner.read_only:
            runner.write("record_login_failure", SYSTEM, username or "(tom)", [{"username": username}])
        return LoginAttempt(message=LOCKED if locked else WRONG)
    return LoginAttempt(record=record)


def login_form(authenticator: stauth.Authenticate, runner: Runner) -> None:
    """Our own form: bcrypt against the server-side users file, a lockout after repeated failures,
    one message for every failure (no user enumeration), and a server-side session per login."""
    with st.form("login"):
        st.subheader("Log ind")
        username = st.text_input("Brugernavn", autocomplete="username").strip()
        password = st.text_input("Adgangskode", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log ind")
    if not submitted:
        if st.session_state.get("login_error"):  # the last attempt's answer survives reruns
            st.error(st.session_state["login_error"])
        return
    attempt = attempt_login(runner, load_users(users_path(_secret("auth", "users_file"))), username, password)
    if attempt.record is None:
        st.session_state["login_error"] = attempt.message
        st.error(st.session_state["login_error"])
        return
    record = attempt.record
    st.session_state.pop("login_error", None)
    st.session_state.update(authentication_status=True, username=username, name=record.get("name", username),
                            roles=[record["role"]], logout=None)
    if runner.read_only:  # no server-side session can be stored, so no cookie is handed out
        return
    authenticator.cookie_controller.set_cookie()
    expires = authenticator.cookie_controller.cookie_model.exp_date
    runner.write("record_login_session", SYSTEM, username, [{"username": username, "expires": float(expires)}])
    st.session_state[SESSION_KEY] = expires


def logout(authenticator: stauth.Authenticate, runner: Runner, user: User) -> None:
    """Close the session on the server too, so the cookie is refused if it is ever replayed."""
    expires = st.session_state.get(SESSION_KEY)
    if expires is not None and not runner.read_only:
        runner.write("revoke_login_session", SYSTEM, user.username,
                     [{"username": user.username, "expires": float(expires)}])
    authenticator.logout(location="unrendered")
    st.session_state.pop(SESSION_KEY, None)


def demo_logins_table() -> list[dict]:
    return [{"Rolle": ROLE_LABELS[u.role], "Brugernavn": u.username, "Adgangskode": u.password,
             "Ser": u.name} for u in DEMO_USERS]


def require_role(user: User | None, *roles: str) -> User:
    """Second guard in every screen: stop unless the user has one of the roles."""
    if user is None or user.role not in roles:
        st.error("Du har ikke adgang til denne side.")
        st.stop()
    return user
