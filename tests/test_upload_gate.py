"""Uploads: Streamlit stores a file for any live session before app code runs, so the production
entry point refuses an upload for a session that is not a logged-in admin's, before reading it."""

from __future__ import annotations

import asyncio

from components import upload_gate
from tests.test_app_pages import login


def _put(session: str) -> tuple[int, bool]:
    """(status, whether the app behind the gate was reached) for an upload PUT of `session`."""
    reached, sent = [], []

    async def app(scope, receive, send):
        reached.append(True)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive():
        raise AssertionError("the gate read the body of a refused upload")

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "PUT", "path": f"/_stcore/upload_file/{session}/file-1", "headers": []}
    asyncio.run(upload_gate.UploadGate(app)(scope, receive, send))
    return sent[0]["status"], bool(reached)


def test_an_upload_for_a_session_that_may_not_upload_is_refused_unread():
    assert _put("en-session-der-ikke-er-logget-ind") == (403, False)


def test_only_a_logged_in_admins_session_on_the_data_screen_may_upload(store_copy):
    admin = login("admin", "demo-admin")
    admin.switch_page("views/data.py").run()
    assert not admin.exception
    (session,) = upload_gate._allowed  # AppTest runs every app under one fixed session id
    assert _put(session) == (204, True)
    leader = login("leder", "demo-leder")  # the same session, now a school leader's: no more uploads
    assert not leader.exception
    assert _put(session) == (403, False)
