"""Two app processes behind nginx (issue 18, point 2, acceptance): a browser's requests stay on one
process (the routing cookie), users log in through the proxy on each process, what one session
writes to the shared operational store (its login, the audit log, a note typed on the presentation's
agenda item) is read in a session on the other process, and the command line imports a file while
both serve, which both then show without a restart.
Needs Debian's nginx: .ci/run installs it; outside CI the test is skipped without it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
import uuid

import pytest

from tests.conftest import ROOT
from tests.operational import copy_store
from tests.test_cli_beside_app import AppUser

PUPILS = ROOT / "tests" / "fixtures" / "import" / "pupils.xlsx"


def _nginx():
    from deploy import nginx_binary

    found = nginx_binary()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: .ci/run installs it (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return found


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _answering_process(proxy: str, cookie: str) -> str:
    from deploy import COOKIE, SERVER_HEADER

    request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"{COOKIE}={cookie}"})
    with urllib.request.urlopen(request, timeout=60) as response:  # nginx and a busy app process
        return response.headers[SERVER_HEADER]


def _cookies_per_process(proxy: str, apps: list[str]) -> dict[str, str]:
    """A routing cookie for each process (random values, as nginx hands out, until every process has one)."""
    found: dict[str, str] = {}
    for _ in range(64):
        cookie = uuid.uuid4().hex
        found.setdefault(_answering_process(proxy, cookie), cookie)
        if len(found) == len(apps):
            return found
    raise AssertionError(f"the proxy sent 64 browsers to {sorted(found)} only, not to each of {apps}")


def _upload_answer(proxy: str, cookie: str, claimed: int) -> tuple[int, bytes]:
    """Start a PUT to Streamlit's upload path that claims a body of `claimed` bytes, for a session that
    does not exist, through the proxy; send its first megabyte and read the answer (status, body). A
    proxy that judges the size itself answers on the headers; the app's upload gate answers a session
    it does not know before it reads a byte, so the rest of the body is never needed."""
    from deploy import COOKIE

    host, port = proxy.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as conn:
        conn.sendall(
            f"PUT /_stcore/upload_file/{uuid.uuid4()}/{uuid.uuid4()} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Cookie: {COOKIE}={cookie}\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {claimed}\r\nConnection: close\r\n\r\n".encode()
        )
        try:
            conn.sendall(b"\0" * 1_000_000)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed on the headers
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < _length(answer):
            more = conn.recv(65536)
            if not more:
                break
            answer += more
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body[: _length(answer)]


def _length(answer: bytes) -> int:
    """The Content-Length of an answer's head (0 while the head is incomplete or has none)."""
    head = answer.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            return int(line.split(":", 1)[1])
    return 0


class ProxyUser(AppUser):
    """A browser session through the proxy, holding its routing cookie."""

    def __init__(self, url: str, cookie: str):
        import asyncio
        import threading

        from websockets.asyncio.client import connect

        from benchmarks.protocol import Session
        from deploy import COOKIE

        class Routed(Session):
            async def connect(self):
                self.ws = await connect(
                    self.url,
                    subprotocols=["streamlit"],
                    max_size=256 * 2**20,
                    origin=self.url.replace("ws://", "http://").split("/_stcore")[0],
                    additional_headers={"Cookie": f"{COOKIE}={cookie}"},
                )

            def _element(self, element, run):
                super()._element(element, run)
                if element.WhichOneof("type") == "dataframe":
                    run.tables = [*getattr(run, "tables", []), element.SerializeToString()]

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.session = Routed(url)
        self._wait(self.session.connect())

    def tables(self, *states, page: str) -> bytes:
        run = self.run(*states, page=page)
        assert not run.errors, run.errors
        return b"".join(getattr(run, "tables", []))


@pytest.mark.both_ops_backends
def test_two_processes_behind_nginx_share_logins_and_the_audit_log_and_both_show_an_import_made_meanwhile(
    demo_store, tmp_path, ops_backend
):
    _nginx()
    from benchmarks.protocol import text_state
    from deploy import serving

    store = tmp_path / "datablik.duckdb"
    copy_store(demo_store, store)
    users_file = tmp_path / "users.yaml"
    shutil.copy(os.environ["DATABLIK_USERS"], users_file)
    env = {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file)}
    listen, *ports = _free_ports(3)
    sessions = []
    with serving(2, listen, ports=ports, env=env, show_server=True, run_dir=tmp_path / "proxy") as (proxy, apps):
        cookies = _cookies_per_process(proxy, apps)
        (one, cookie_one), (other, cookie_other) = sorted(cookies.items())
        assert _answering_process(proxy, cookie_one) == one  # sticky: the same cookie, the same process
        # A file over the import limit (200 MB) goes on to the app's upload gate, which answers in Danish
        # (here: the session is not allowed to upload); nginx must not answer first with its English 413.
        from components.upload_gate import REFUSAL

        assert _upload_answer(proxy, cookie_one, 250_000_000) == (403, REFUSAL)
        try:
            kommune = ProxyUser(proxy, cookie_one)
            sessions.append(kommune)
            kommune.log_in("kommune", "demo-kommune")  # written by the first process
            admin = ProxyUser(proxy, cookie_other)
            sessions.append(admin)
            admin.log_in("admin", "demo-admin")
            page = admin.run(page="revision")
            ids = {label: widget_id for label, (_, widget_id) in page.widgets.items()}
            seen = admin.tables(text_state(ids["Bruger"], "kommune"), page="revision")
            assert b"logget ind" in seen  # ... read in a session on the other process
            # A leader types a note on the presentation's agenda item in a session on the first process;
            # a leader's session on the other process opens the same item and has the note in its field.
            writer = ProxyUser(proxy, cookie_one)
            sessions.append(writer)
            writer.log_in("leder", "demo-leder")
            field = "Noter til punktet (gemmes mens der skrives)"
            note = f"Aftalt gennem proxyen {uuid.uuid4().hex[:8]}: læsebånd i 4. årgang."
            item = "skole=900001&skoleaar=2024%2F25&punkt=2"  # Bakkeskolen's last talk, its second agenda item
            shown = writer.run(page="praesentation", query=item)
            assert not shown.errors and field in shown.widgets, (shown.errors, list(shown.widgets))
            saved = writer.run(text_state(shown.widgets[field][1], note), page="praesentation", query=item)
            assert not saved.errors, saved.errors
            reader = ProxyUser(proxy, cookie_other)
            sessions.append(reader)
            reader.log_in("leder", "demo-leder")
            assert reader.run(page="praesentation", query=item).values[field] == note
            admin_on_one = ProxyUser(proxy, cookie_one)
            sessions.append(admin_on_one)
            admin_on_one.log_in("admin", "demo-admin")
            named = tmp_path / "elevregister-under-drift.xlsx"
            shutil.copy(PUPILS, named)
            assert b"elevregister-under-drift" not in admin.tables(page="data")
            result = subprocess.run(
                [sys.executable, "-m", "data", "--path", str(store), "import", "--erstat", "pupils", str(named)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, **env},
            )
            assert result.returncode == 0, result.stderr
            for session in (admin, admin_on_one):  # both processes show it, without a restart
                assert b"elevregister-under-drift" in session.tables(page="data")
        finally:
            for session in sessions:
                session.close()
