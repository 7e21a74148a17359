"""Which browser sessions may upload a file: only a logged-in admin's session that has the Data
screen's uploader. Streamlit stores an uploaded file for any live session, logged in or not, before
app code runs; the production entry point (serve.py) puts `UploadGate` in front of it, which refuses
an upload for any other session before reading a byte of it."""

from __future__ import annotations

import threading

from streamlit.runtime.scriptrunner import get_script_run_ctx

UPLOAD_PATH = "/_stcore/upload_file/"
REFUSAL = "Kun en dataansvarlig, der er logget ind, kan uploade filer.".encode("utf-8")  # noqa: UP012
_allowed: set[str] = set()
_lock = threading.Lock()


def _this_session() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def allow_this_session() -> None:
    """Called where the admin's uploader is shown."""
    if session := _this_session():
        with _lock:
            _allowed.add(session)


def revoke_this_session() -> None:
    """Called on every run of a session that is not a logged-in admin (logged out, another role)."""
    if session := _this_session():
        with _lock:
            _allowed.discard(session)


def allowed(session_id: str) -> bool:
    with _lock:
        return session_id in _allowed


class UploadGate:
    """Pure ASGI middleware: a file upload for a session that may not upload gets 403, unread."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and scope.get("method") == "PUT" and UPLOAD_PATH in path:
            session = path.split(UPLOAD_PATH, 1)[1].split("/", 1)[0]
            if not allowed(session):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(REFUSAL)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": REFUSAL})
                return
        await self.app(scope, receive, send)
