"""Uploads: Streamlit stores a file for any live session before app code runs, so the production
entry point refuses an upload for a session that is not a logged-in admin's, before reading it."""

from __future__ import annotations

import asyncio

import pytest

from components import upload_gate
from tests.test_app_pages import login


@pytest.fixture(autouse=True)
def short_linger(monkeypatch):
    """A refused upload's body is dropped for LINGER_SECONDS after the refusal; these bodies never end."""
    monkeypatch.setattr(upload_gate, "LINGER_SECONDS", 0.05)


def _put(session: str) -> tuple[int, bool]:
    status, reached, _ = _put_reading(session)
    return status, reached


def _put_reading(session: str, body: list[bytes] | None = None) -> tuple[int, bool, list[int]]:
    """(status, whether the app behind the gate was reached, how many messages the gate had sent at each
    read of the body) for an upload PUT of `session` whose body arrives as `body` (then nothing more)."""
    reached, sent, reads = [], [], []
    chunks = list(body or [b"\0" * 1000])

    async def app(scope, receive, send):
        reached.append(True)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive():
        reads.append(len(sent))
        if not chunks:
            await asyncio.Event().wait()  # the rest of the body never comes
        return {"type": "http.request", "body": chunks.pop(0), "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "PUT", "path": f"/_stcore/upload_file/{session}/file-1", "headers": []}
    asyncio.run(upload_gate.UploadGate(app)(scope, receive, send))
    return sent[0]["status"], bool(reached), reads


def test_an_upload_for_a_session_that_may_not_upload_is_refused_before_a_byte_is_read():
    status, reached, reads = _put_reading("en-session-der-ikke-er-logget-ind")
    assert (status, reached) == (403, False)
    assert reads and all(done == 2 for done in reads)  # the refusal was sent whole before any read


def test_after_a_refusal_the_body_on_its_way_is_dropped_so_a_proxy_gets_the_refusal_not_a_reset(monkeypatch):
    # Closing with unread bytes reset the connection, and nginx answered 502 while it still streamed the body.
    status, _, reads = _put_reading("ikke-logget-ind", [b"\0" * 1000] * 3)
    assert status == 403 and len(reads) == 4  # three chunks read and dropped, then waited for more: stopped
    monkeypatch.setattr(upload_gate, "LINGER_SECONDS", 60)
    monkeypatch.setattr(upload_gate, "LINGER_BYTES", 2500)
    assert len(_put_reading("ikke-logget-ind", [b"\0" * 1000] * 10)[2]) == 3  # no more than LINGER_BYTES are read


def test_only_a_logged_in_admins_session_on_the_data_screen_may_upload(store_copy):
    admin = login("admin", "demo-admin")
    admin.switch_page("views/data.py").run()
    assert not admin.exception
    (session,) = upload_gate._allowed  # AppTest runs every app under one fixed session id
    assert _put(session) == (204, True)
    leader = login("leder", "demo-leder")  # the same session, now a school leader's: no more uploads
    assert not leader.exception
    assert _put(session) == (403, False)


def _multipart(name: str, content: bytes, boundary: str = "----DatablikTest") -> bytes:
    """The body the browser's uploader sends: one part with the file."""
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


def _put_body(session: str, body: bytes, file_id: str = "file-1", chunk: int = 65536):
    """(status, the body the app behind the gate received, how much of the upload the gate read)."""
    received, read = [], [0]

    async def app(scope, receive, send):
        more = True
        while more:
            message = await receive()
            received.append(message.get("body", b""))
            more = message.get("more_body", False)
        length = dict(scope["headers"]).get(b"content-length")
        assert length is None or int(length) == len(b"".join(received))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]

    async def receive():
        part = parts.pop(0)
        read[0] += len(part)
        return {"type": "http.request", "body": part, "more_body": bool(parts)}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "PUT",
        "path": f"/_stcore/upload_file/{session}/{file_id}",
        "headers": [
            (b"content-type", b"multipart/form-data; boundary=----DatablikTest"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    asyncio.run(upload_gate.UploadGate(app)(scope, receive, send))
    return sent[0]["status"], b"".join(received), read[0]


def test_a_file_over_the_sessions_limit_is_not_passed_on_and_its_size_is_kept_for_a_danish_refusal():
    """The gate reads the upload (so the browser sees it arrive, not an English error), passes on the
    same file empty, and keeps its real size: the screen refuses it in Danish, nothing over the limit
    is ever stored."""
    session = "admin-session-over"
    upload_gate._allowed[session] = ("admin", 1_000)
    try:
        content = b"a;b\n" + b"1;2\n" * 1_000
        body = _multipart("elever.csv", content)
        status, passed_on, read = _put_body(session, body, "over-1", chunk=700)
        assert status == 204 and read == len(body)  # read to the end: the browser's upload completes
        assert content[:50] not in passed_on and len(passed_on) < 300
        assert b'filename="elever.csv"' in passed_on and passed_on.endswith(b"--\r\n")
        assert upload_gate.kept_back(session, "over-1") == len(content)
    finally:
        upload_gate._allowed.pop(session, None)
        upload_gate._kept_back.clear()


def test_a_file_within_the_limit_is_passed_on_as_sent():
    session = "admin-session-within"
    upload_gate._allowed[session] = ("admin", 10_000)
    try:
        body = _multipart("elever.csv", b"a;b\n" + b"1;2\n" * 1_000)  # 4.004 bytes of file
        status, passed_on, _ = _put_body(session, body, "within-1", chunk=700)
        assert status == 204 and passed_on == body
        assert upload_gate.kept_back(session, "within-1") is None
    finally:
        upload_gate._allowed.pop(session, None)


def test_a_file_exactly_at_the_limit_is_passed_on_whatever_the_framing_adds():
    session = "admin-session-exact"
    content = b"x" * 5_000
    upload_gate._allowed[session] = ("admin", len(content))
    try:
        body = _multipart("elever.csv", content)
        assert len(body) > len(content)  # the Content-Length is over the limit, the file is not
        status, passed_on, _ = _put_body(session, body, "exact-1")
        assert status == 204 and passed_on == body
    finally:
        upload_gate._allowed.pop(session, None)


def test_with_the_gate_in_front_the_browser_sends_every_file_on_to_it():
    """Streamlit's browser code refuses a file over the uploader's max_upload_size itself, in English
    ("File must be 200.0MB or smaller."): with the gate active that cap is far above any real file."""
    before = upload_gate.ACTIVE
    try:
        upload_gate.ACTIVE = False
        assert upload_gate.browser_limit_mb() is None  # the bare app: Streamlit's own cap
        upload_gate.UploadGate(lambda *a: None)
        assert upload_gate.ACTIVE and upload_gate.browser_limit_mb() >= 1_000_000
    finally:
        upload_gate.ACTIVE = before


def test_a_leader_who_sees_the_template_uploader_may_upload_a_template_and_only_that_size(store_copy):
    """The Samtale screen's Word template is the leader's own upload: the leader's session is let
    through (it was refused, so the browser said "Request failed with status code 403") with the
    template's limit, and a later user of the session is not."""
    from components import word_templates

    upload_gate._allowed.clear()
    leader = login("leder", "demo-leder")
    leader.switch_page("views/samtale.py").run(timeout=60)
    assert not upload_gate._allowed  # no talk yet, so no template uploader: no upload
    next(b for b in leader.button if b.label == "Forbered samtalen").click().run(timeout=60)
    assert not leader.exception
    assert not upload_gate._allowed  # the uploader is on the Referat tab, not built while it is closed
    leader.session_state["samtale_tab"] = "Referat"
    leader.run(timeout=60)
    assert not leader.exception
    (session,) = upload_gate._allowed
    assert upload_gate._allowed[session] == ("leder", word_templates.MAX_BYTES)
    assert _put(session) == (204, True)
    login("team", "demo-team")
    assert _put(session) == (403, False)


def test_the_uploaders_hints_name_the_limits_the_gate_applies():
    from components import theme, word_templates
    from data.importers.reading import limits

    assert theme.TEMPLATE_MB * 1_000_000 == word_templates.MAX_BYTES
    assert theme.IMPORT_MB == limits()["max_file_mb"]
    assert f"højst {theme.IMPORT_MB} MB pr. fil" in theme._CSS and f"højst {theme.TEMPLATE_MB} MB" in theme._CSS
