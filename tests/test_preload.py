"""The app's page names the code of Streamlit's charts, tables and form fields for the browser to
fetch while the login page waits (components/preload.py)."""

from __future__ import annotations

import asyncio
import gzip
import re
from pathlib import Path

import streamlit

from components import preload

INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def _serve(path: str, body: bytes, content_type: bytes = b"text/html", encoding: bytes | None = None):
    async def app(scope, receive, send):
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body[:100], "more_body": True})
        await send({"type": "http.response.body", "body": body[100:]})

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(preload.Preload(app)({"type": "http", "path": path, "headers": []}, None, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _preloaded(html: bytes) -> list[str]:
    return re.findall(r'<link rel="modulepreload" href="/static/js/([^"]+)">', html.decode())


def test_streamlits_own_page_names_every_element_file_and_what_it_imports_each_one_there():
    headers, page = _serve("/trivsel", gzip.compress(INDEX.read_bytes()), encoding=b"gzip")
    named = _preloaded(page)
    assert b"content-encoding" not in headers and int(headers[b"content-length"]) == len(page)
    elements = {name.split(".")[0] for name in named} & set(preload.ELEMENTS)
    assert elements == set(preload.ELEMENTS)  # every element Streamlit 1.67 has, found by its name
    assert len(named) > 2 * len(preload.ELEMENTS)  # and the files they import
    assert all((preload._static_js() / name).is_file() for name in named)
    assert not any(name.startswith("index.") for name in named)  # the page's own script loads itself
    assert page.index(b"modulepreload") < page.index(b"</head>")
    assert page.replace(preload.tags(), b"") == INDEX.read_bytes()  # nothing else changed


def test_a_components_page_and_other_responses_are_passed_on_unchanged():
    page = INDEX.read_bytes()
    assert _serve("/component/components.login_cookie.datablik_login_cookie/index.html", page)[1] == page
    assert _serve("/_stcore/health", b"ok", b"text/plain")[1] == b"ok"
    assert _serve("/static/js/x.js", b"let a = 1;" * 20, b"text/javascript")[1] == b"let a = 1;" * 20
