"""The HttpOnly login cookie's handover route (components/login_cookie.py), called as ASGI: a ticket
sets its cookie once, HttpOnly and SameSite=Strict; an unknown, reused, expired or oversized
request sets nothing."""

from __future__ import annotations

import asyncio
import json

import pytest
from starlette.applications import Starlette

from components import login_cookie


def _post(app, body: bytes) -> tuple[int, list[tuple[bytes, bytes]]]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": login_cookie.PATH,
        "raw_path": login_cookie.PATH.encode(),
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], start["headers"]


@pytest.fixture
def app():
    return Starlette(routes=login_cookie.mount())


def _set_cookies(headers) -> list[str]:
    return [v.decode() for k, v in headers if k == b"set-cookie"]


def test_a_ticket_sets_an_httponly_strict_cookie_once(app):
    ticket = login_cookie._issue("datablik_login", "signed.token.value", 3600, secure=True)
    status, headers = _post(app, json.dumps({"ticket": ticket}).encode())
    assert status == 204
    [cookie] = _set_cookies(headers)
    assert cookie.startswith("datablik_login=signed.token.value;")
    parts = {p.strip().lower() for p in cookie.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/", "max-age=3600"} <= parts
    status, headers = _post(app, json.dumps({"ticket": ticket}).encode())  # replayed: nothing
    assert status == 403 and not _set_cookies(headers)


def test_a_clearing_ticket_expires_the_cookie(app):
    ticket = login_cookie._issue("datablik_login", None, 0, secure=False)
    status, headers = _post(app, json.dumps({"ticket": ticket}).encode())
    [cookie] = _set_cookies(headers)
    assert status == 204 and "max-age=0" in cookie.lower() and "httponly" in cookie.lower()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        b"not json",
        b"[1]",
        json.dumps({"ticket": "guess"}).encode(),
        json.dumps({"ticket": 12}).encode(),
        json.dumps({"ticket": "x" * 5000}).encode(),
    ],
)
def test_an_unknown_or_malformed_ticket_sets_no_cookie(app, body):
    status, headers = _post(app, body)
    assert status in (400, 403, 413) and not _set_cookies(headers)


def test_an_expired_ticket_sets_no_cookie(app, monkeypatch):
    ticket = login_cookie._issue("datablik_login", "token", 3600, secure=False)
    now = login_cookie.time.monotonic()
    monkeypatch.setattr(login_cookie.time, "monotonic", lambda: now + login_cookie.TICKET_SECONDS + 1)
    status, headers = _post(app, json.dumps({"ticket": ticket}).encode())
    assert status == 403 and not _set_cookies(headers)
