"""The browser fetches and compiles the code of Streamlit's charts, tables and form fields while the
login page waits for the user, not after the first screen has arrived.

Streamlit loads each element's JavaScript the first time a page shows one: after a login the
browser asked for the table and form code (about 20 files) only once Overblik was drawn, and for
Vega's (0,8 MB) on the first chart, each file then asking for the ones it imports. On the 2-core
machine that was 0,3-0,6 s of the first visits (benchmarks.browser). The app's page therefore
carries a `<link rel="modulepreload">` for each of those files and every file they import (83 files,
2,7 MB, from the server's own folder): the browser has them compiled by the time they are needed.
They are found in Streamlit's own build by the element's name (the names carry a hash that changes
with each Streamlit version). In the page, not in a `Link` header: 83 links are more than a proxy's
header buffer takes (nginx: 4-8 kB)."""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

# The elements the screens show (charts, tables, form fields, downloads), by the names of their files.
ELEMENTS = (
    "ArrowVegaLiteChart",
    "embed",
    "vega-interpreter",
    "DataFrame",
    "Multiselect",
    "TextArea",
    "Selectbox",
    "Button",
    "Radio",
    "Slider",
    "Checkbox",
    "DownloadButton",
)
_CHUNK = re.compile(r"^(?P<name>[A-Za-z][\w-]*)\.[\w-]{6,}\.js$")
_IMPORT = re.compile(r"""(?:from|import)\s*["']\./([\w.-]+\.js)["']""")


def _static_js() -> Path:
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static" / "js"


def _imports(folder: Path, name: str) -> set[str]:
    path = folder / name
    return set(_IMPORT.findall(path.read_text(encoding="utf-8", errors="replace"))) if path.exists() else set()


def _closure(folder: Path, names) -> list[str]:
    seen: dict[str, None] = {}
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name not in seen and (folder / name).exists():
            seen[name] = None
            todo += sorted(_imports(folder, name))
    return list(seen)


@functools.cache
def chunk_files() -> tuple[str, ...]:
    """The build's file for each element above and every file it imports, less what the page's own
    script loads anyway (an element Streamlit no longer has is left out)."""
    folder = _static_js()
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.js")):
        match = _CHUNK.match(path.name)
        if match and match["name"] in ELEMENTS:
            found.setdefault(match["name"], path.name)
    loaded = set(_closure(folder, (p.name for p in sorted(folder.glob("index.*.js")))))
    wanted = _closure(folder, [found[name] for name in ELEMENTS if name in found])
    return tuple(name for name in wanted if name not in loaded)


@functools.cache
def tags(base: str = "") -> bytes:
    prefix = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    return "".join(f'<link rel="modulepreload" href="{prefix}static/js/{name}">' for name in chunk_files()).encode()


def with_preloads(html: bytes, base: str = "") -> bytes:
    """The page with the links before its `</head>` (unchanged when it has none)."""
    head = html.find(b"</head>")
    return html if head < 0 or not chunk_files() else html[:head] + tags(base) + html[head:]


class Preload:
    """Pure ASGI middleware: the links above in the app's HTML page (not in a component's page).
    The page is small (about 2 kB); it is sent uncompressed with its new length."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or "/component/" in path or path.startswith("/_"):
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        body: list[bytes] = []

        async def send_with_preloads(message):
            nonlocal start
            if message["type"] == "http.response.start":
                if dict(message.get("headers") or []).get(b"content-type", b"").startswith(b"text/html"):
                    start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                headers = dict(start.get("headers") or [])
                payload = b"".join(body)
                html = gzip.decompress(payload) if headers.get(b"content-encoding") == b"gzip" else payload
                page = with_preloads(html, _base_path())
                kept = [
                    (k, v)
                    for k, v in start.get("headers") or []
                    if k.lower() not in (b"content-length", b"content-encoding")
                ]
                await send({**start, "headers": [*kept, (b"content-length", str(len(page)).encode())]})
                await send({"type": "http.response.body", "body": page})
            else:
                await send(message)

        await self.app(scope, receive, send_with_preloads)


def _base_path() -> str:
    from streamlit import config

    return config.get_option("server.baseUrlPath") or ""
