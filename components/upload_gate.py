"""Which browser sessions may upload a file, and how large: only the session of a logged-in user on a
screen with an uploader (the admin's Data screen, the leader's Word template on Samtale), up to that
uploader's limit. Streamlit stores an uploaded file for any live session, logged in or not, before app
code runs; the production entry point (serve.py) puts `UploadGate` in front of it, which refuses an
upload for any other session before reading a byte of it.

Every refusal a user meets is Danish. Streamlit's own refusals are English and drawn by its browser
code: a file over the uploader's `max_upload_size` ("File must be 200.0MB or smaller.", the
`file-too-large` case in streamlit/static/static/js/utils.*.js, 1.67) and any failed upload request
("AxiosError: Request failed with status code 413"). So with the gate in front the uploaders ask the
browser to send every file (`browser_limit_mb`), and the gate itself keeps a file over the session's
limit back: it reads the upload to its end without keeping it, passes the same file on empty, and
remembers its real size, which the screen refuses in Danish (`size_of`). A file over the limit is
never stored, and the browser sees an upload that succeeded."""

from __future__ import annotations

import asyncio
import threading
from contextlib import suppress

from streamlit.runtime.scriptrunner import get_script_run_ctx

UPLOAD_PATH = "/_stcore/upload_file/"
REFUSAL = "Kun en dataansvarlig, der er logget ind, kan uploade filer.".encode("utf-8")  # noqa: UP012
# What the uploaders tell the browser with the gate in front: far above any file a browser could send,
# so Streamlit's English "File must be ... or smaller" never shows (the gate applies the real limit).
BROWSER_CEILING_MB = 1_000_000_000
# The part headers of the one file in an upload's multipart body come first and are short.
_HEAD_LIMIT = 64 * 1024
# After a refusal, the part of the body already on its way is read and dropped for a moment: a server
# that closes with unread bytes resets the connection (TCP RST), and nginx, still streaming the body,
# then answered 502 instead of passing the refusal on ("writev() failed (104: Connection reset by
# peer) while sending request to upstream", one CI run in several).
LINGER_SECONDS = 2.0
LINGER_BYTES = 16 * 1024 * 1024
ACTIVE = False  # set when the gate is put in front of Streamlit (serve.py)
_allowed: dict[str, tuple[str, int]] = {}  # session id -> (user, largest file in bytes)
_kept_back: dict[tuple[str, str], int] = {}  # (session id, file id) -> the size of the file kept back
_lock = threading.Lock()


def _this_session() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def allow_this_session(username: str, limit_bytes: int) -> None:
    """Called where an uploader is shown to a logged-in user, with that uploader's limit."""
    if session := _this_session():
        with _lock:
            entry = _allowed.get(session)
            earlier = entry[1] if entry and entry[0] == username else 0
            _allowed[session] = (username, max(earlier, limit_bytes))


def keep_only(username: str | None) -> None:
    """Called on every run: a session allowed for another user (or logged out) may upload no more."""
    if session := _this_session():
        with _lock:
            if session in _allowed and _allowed[session][0] != username:
                del _allowed[session]
                for key in [k for k in _kept_back if k[0] == session]:
                    del _kept_back[key]


def revoke_this_session() -> None:
    keep_only(None)


def allowed(session_id: str) -> bool:
    with _lock:
        return session_id in _allowed


def _limit(session_id: str) -> int:
    with _lock:
        return _allowed[session_id][1]


def kept_back(session_id: str, file_id: str) -> int | None:
    with _lock:
        return _kept_back.get((session_id, file_id))


def size_of(upload) -> int:
    """The size of the file the user sent: the gate's record for a file it kept back, else the upload's."""
    session = _this_session()
    held = kept_back(session, upload.file_id) if session else None
    return upload.size if held is None else held


def browser_limit_mb() -> int | None:
    """`max_upload_size` for st.file_uploader: with the gate in front, the browser sends every file on
    to it; without (`streamlit run app.py`), Streamlit's own [server] maxUploadSize applies."""
    return BROWSER_CEILING_MB if ACTIVE else None


def _header(scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k.lower() == name), None)


class UploadGate:
    """Pure ASGI middleware: a file upload for a session that may not upload gets 403, unread; a
    file over the session's limit is read to its end and passed on empty, its size kept."""

    def __init__(self, app) -> None:
        global ACTIVE
        self.app = app
        ACTIVE = True

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and scope.get("method") == "PUT" and UPLOAD_PATH in path:
            session, _, rest = path.split(UPLOAD_PATH, 1)[1].partition("/")
            if not allowed(session):
                await self._refuse(send)
                await _linger(receive)
                return
            length = _header(scope, b"content-length")
            if length is not None and length.isdigit() and int(length) > _limit(session):
                await self._within_limit(scope, receive, send, session, rest.split("/", 1)[0], int(length))
                return
        await self.app(scope, receive, send)

    async def _within_limit(self, scope, receive, send, session: str, file_id: str, length: int) -> None:
        """The body's framing counts in its length: the file itself is the body less its part headers
        and the closing boundary. Over the limit, the file is replaced by nothing."""
        content_type = (_header(scope, b"content-type") or b"").decode("latin-1")
        boundary = content_type.partition("boundary=")[2].split(";")[0].strip().strip('"').encode("latin-1")
        head, more = b"", True
        while more and b"\r\n\r\n" not in head and len(head) < _HEAD_LIMIT:
            message = await receive()
            if message["type"] != "http.request":
                return
            head += message.get("body", b"")
            more = message.get("more_body", False)
        end = head.find(b"\r\n\r\n")
        closing = b"\r\n--" + boundary + b"--\r\n"
        size = length - (end + 4) - len(closing)
        if not boundary or end < 0 or size <= _limit(session):
            first = [head, more]

            async def replay():
                if first:
                    body, rest = first.pop(0), first.pop(0)
                    return {"type": "http.request", "body": body, "more_body": rest}
                return await receive()

            await self.app(scope, replay, send)
            return
        while more:  # read to the end, keeping nothing: the browser's upload completes
            message = await receive()
            if message["type"] != "http.request":
                return
            more = message.get("more_body", False)
        with _lock:
            _kept_back[(session, file_id)] = size
        body = head[: end + 4] + closing
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        sent = []

        async def empty():
            if not sent:
                sent.append(True)
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}, empty, send)

    @staticmethod
    async def _refuse(send) -> None:
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


async def _linger(receive) -> None:
    """Read (and drop) what of a refused request's body arrives within LINGER_SECONDS, up to LINGER_BYTES."""
    read = 0

    async def drain() -> None:
        nonlocal read
        while read < LINGER_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return
            read += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    with suppress(asyncio.TimeoutError):
        await asyncio.wait_for(drain(), LINGER_SECONDS)
