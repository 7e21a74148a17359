"""Security headers on every HTTP response of the server (used by serve.py through st.App, the
ASGI entry point Streamlit supports for custom middleware).

The Content-Security-Policy allows nothing but the app's own host: scripts only from the server
(plus the inline scripts of the server's own HTML pages, by hash), no eval, images, fonts,
frames, forms and connections only to the app itself. It is the second line behind escaping
(components/plain.py): were user text ever to become HTML again, an injected script, an
external image or a form posting elsewhere would still be blocked.

The HTML the server sends is Streamlit's and its components' own static pages; user text only
ever travels over the websocket, so hashing the inline scripts of these responses admits the
frameworks' bootstrap code and nothing a user typed. Styles must allow 'unsafe-inline':
Streamlit's CSS-in-JS and st.markdown's <style> blocks insert style elements at run time.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)

BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]


def policy(host: str, script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *(f"'sha256-{h}'" for h in script_hashes)])
    sockets = f" ws://{host} wss://{host}" if host else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "frame-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def inline_script_hashes(html: bytes) -> list[str]:
    return [
        base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        for body in INLINE_SCRIPT.findall(html)
        if body.strip()
    ]


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers above to every HTTP response (HTML responses are
    buffered to hash their inline scripts; they are small static pages)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = re.sub(r"[^A-Za-z0-9.:\[\]-]", "", headers.get(b"host", b"").decode("latin-1"))
        start: dict | None = None
        body: list[bytes] = []

        async def send_with_headers(message):
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers") or []).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    start = message  # wait for the body to hash its inline scripts
                    return
                await send(_with_headers(message, policy(host, [])))
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                payload = b"".join(body)
                encoding = dict(start.get("headers") or []).get(b"content-encoding", b"")
                html = gzip.decompress(payload) if encoding == b"gzip" else payload
                await send(_with_headers(start, policy(host, inline_script_hashes(html)), len(payload)))
                await send({"type": "http.response.body", "body": payload})
            else:
                await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_headers(message: dict, csp: str, length: int | None = None) -> dict:
    names = {name for name, _ in BASE_HEADERS} | {b"content-security-policy"}
    kept = [
        (k, v)
        for k, v in message.get("headers") or []
        if k.lower() not in names and not (length is not None and k.lower() == b"content-length")
    ]
    extra = [(b"content-length", str(length).encode())] if length is not None else []
    return {**message, "headers": kept + BASE_HEADERS + [(b"content-security-policy", csp.encode())] + extra}
