"""The login cookie, set HttpOnly by the server: no script in the page can read it.

A Streamlit script cannot send HTTP headers, so the handover takes two steps. After a login the
script stores the signed token under a one-time ticket (random, 60 s, one use, kept in this
server process) and renders a small component of our own (login_cookie_frontend/) that POSTs
the ticket to `/_datablik/login-cookie`, a route serve.py mounts in st.App. That route answers
with `Set-Cookie: datablik_login=<token>; HttpOnly; SameSite=Strict; Path=/` (Secure over HTTPS).
Logout and a malformed cookie hand over a ticket that clears the cookie the same way.

The browser sends the cookie with the websocket handshake, so `st.context.cookies` still reads it
on the next visit. Without serve.py (`streamlit run app.py`, AppTest) the route does not exist:
no cookie is handed out, and a reload asks for the password again rather than fall back to a
cookie a script could steal.
"""

from __future__ import annotations

import functools
import json
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

PATH = "/_datablik/login-cookie"
TICKET_SECONDS = 60
MAX_TICKETS = 10_000  # logins waiting for their handover; more are refused rather than kept
MAX_BODY_BYTES = 1024
PENDING_KEY = "_login_cookie_ticket"
WIDGET_KEY = "datablik_login_cookie"


@functools.cache
def _frontend():
    """Declared on first use in a script run: declared when serve.py imports this module, before the
    runtime exists, the component would be registered nowhere the server looks (its page a 404)."""
    return components.declare_component(
        "datablik_login_cookie", path=str(Path(__file__).parent / "login_cookie_frontend")
    )


@dataclass(frozen=True)
class _Ticket:
    name: str
    value: str | None  # None clears the cookie
    max_age: int
    secure: bool
    valid_until: float


_tickets: dict[str, _Ticket] = {}
_lock = threading.Lock()
_mounted = False


def mount() -> list:
    """The route for st.App(routes=...); from then on logins hand out the HttpOnly cookie."""
    from starlette.routing import Route

    global _mounted
    _mounted = True
    return [Route(PATH, _endpoint, methods=["POST"])]


def is_mounted() -> bool:
    return _mounted


def _issue(name: str, value: str | None, max_age: int, secure: bool) -> str | None:
    now = time.monotonic()
    ticket = secrets.token_urlsafe(32)
    with _lock:
        for key in [k for k, t in _tickets.items() if t.valid_until < now]:
            del _tickets[key]
        if len(_tickets) >= MAX_TICKETS:
            return None
        _tickets[ticket] = _Ticket(name, value, max_age, secure, now + TICKET_SECONDS)
    return ticket


def _take(ticket: object) -> _Ticket | None:
    """The ticket's cookie, once: a second use, an expired or unknown ticket gets nothing."""
    if not isinstance(ticket, str) or len(ticket) > 100:
        return None
    with _lock:
        found = _tickets.pop(ticket, None)
    return found if found and found.valid_until >= time.monotonic() else None


def hand_over(name: str, value: str | None, max_age: int, secure: bool) -> bool:
    """Queue the cookie (or its removal, value None) for this browser; render_pending() sends it.
    False when the server cannot set cookies (no serve.py) or holds too many tickets."""
    if not _mounted:
        return False
    ticket = _issue(name, value, max_age, secure)
    if ticket is None:
        return False
    st.session_state[PENDING_KEY] = ticket
    return True


def render_pending() -> bool:
    """While a handover waits, the component posts its ticket and answers with it once the server has
    answered; that answer reruns the script and ends the handover (a refused ticket is not retried:
    the login then lasts for this tab). True while the handover is under way."""
    ticket = st.session_state.get(PENDING_KEY)
    if not ticket:
        return False
    answer = st.session_state.get(WIDGET_KEY)
    if isinstance(answer, dict) and answer.get("ticket") == ticket:
        st.session_state.pop(PENDING_KEY, None)
        return False
    _frontend()(ticket=ticket, path=PATH, key=WIDGET_KEY, default=None)
    return True


async def _endpoint(request):
    from starlette.responses import Response

    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return Response(status_code=413)
    try:
        ticket = json.loads(body or b"{}").get("ticket")
    except (ValueError, AttributeError):
        return Response(status_code=400)
    found = _take(ticket)
    if found is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"cache-control": "no-store"})
    if found.value is None:
        response.delete_cookie(found.name, path="/", secure=found.secure, httponly=True, samesite="strict")
    else:
        response.set_cookie(
            found.name,
            found.value,
            max_age=found.max_age,
            path="/",
            secure=found.secure,
            httponly=True,
            samesite="strict",
        )
    return response
