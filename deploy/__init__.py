"""Running Datablik as several processes behind nginx (issue 18, point 2).

`python -m deploy --processes 2 --port 8080` starts N Streamlit processes of serve.py on
127.0.0.1 (ports 8501, 8502, …) and nginx in front of them on `--port`, with sticky sessions (a
routing cookie hashed to one process) and the websocket upgrade, and stops them all on Ctrl-C.
With more than one process each opens the store read-only (DATABLIK_READ_ONLY=1); logins, failed
logins and the audit log go to the shared operational store (data/operational_store.py) and the
command line imports while they serve (data/store.py: a new version of the store). For a server,
deploy/nginx-site.conf and deploy/datablik@.service are the same set-up as nginx and systemd files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PORT = 8501
COOKIE = "datablik_server"
SERVER_HEADER = "X-Datablik-Server"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def nginx_config(
    ports: list[int], listen: int, run_dir: Path, show_server: bool = False, max_body_mb: int = 200
) -> str:
    """A whole nginx.conf that runs as an ordinary user (its pid, logs and temp files in `run_dir`):
    the same proxying as deploy/nginx-site.conf, on plain HTTP on 127.0.0.1. `show_server` adds a
    response header naming the process that answered (for tests)."""
    upstreams = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
    temp = "\n".join(
        f"    {kind}_temp_path {run_dir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    shown = f"            add_header {SERVER_HEADER} $upstream_addr always;\n" if show_server else ""
    return f"""worker_processes 1;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    map $cookie_{COOKIE} $datablik_server_key {{ "" $request_id; default $cookie_{COOKIE}; }}
    map $cookie_{COOKIE} $datablik_server_cookie {{
        "" "{COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Strict"; default ""; }}
    upstream datablik {{
        hash $datablik_server_key consistent;
{upstreams}
    }}
    server {{
        listen 127.0.0.1:{listen};
        client_max_body_size {max_body_mb}m;
        # Uploads go on to the app's upload gate whatever their size, streamed: the gate refuses a file
        # over the limit in Danish (components/upload_gate.py); nginx would answer in English (413).
        location /_stcore/upload_file/ {{
            client_max_body_size 0;
            proxy_request_buffering off;
            proxy_pass http://datablik;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header Set-Cookie $datablik_server_cookie always;
{shown}        }}
        location / {{
            proxy_pass http://datablik;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie $datablik_server_cookie always;
{shown}        }}
    }}
}}
"""


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        try:  # wait a moment, or notice that the process has stopped
            code = proc.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not start (exit {code}): " + log.read_text(errors="replace")[-2000:])


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def serving(
    n: int,
    listen: int,
    first_port: int = FIRST_PORT,
    env: dict | None = None,
    show_server: bool = False,
    run_dir: Path | None = None,
    ports: list[int] | None = None,
):
    """Start n processes of serve.py (on `ports`, else first_port, first_port + 1, …) and nginx in front
    of them; yields (proxy URL, [app URLs]). Everything started is stopped when the block ends."""
    if n < 1:
        raise ValueError("at least one process")
    nginx = nginx_binary() if n > 1 else None
    if n > 1 and nginx is None:
        raise RuntimeError("nginx findes ikke; installér det: apt-get install nginx")
    env = {**os.environ, **(env or {})}
    if n > 1:
        env["DATABLIK_READ_ONLY"] = "1"  # DuckDB: many readers or one writer
    ports = list(ports or [first_port + i for i in range(n)])
    with ExitStack() as stack:
        run_dir = Path(run_dir or stack.enter_context(tempfile.TemporaryDirectory(prefix="datablik-proxy-")))
        run_dir.mkdir(parents=True, exist_ok=True)
        started = []
        for port in ports:
            log = run_dir / f"app-{port}.log"
            with open(log, "wb") as out:  # a file, never a pipe nobody reads
                proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "streamlit",
                        "run",
                        str(ROOT / "serve.py"),
                        "--server.port",
                        str(port),
                        "--server.address",
                        "127.0.0.1",
                        "--server.headless",
                        "true",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            stack.callback(_stop, proc)
            started.append((f"http://127.0.0.1:{port}", proc, log))
        for url, proc, log in started:
            _wait_healthy(url, proc, log)
        urls = [u for u, _, _ in started]
        if n == 1:
            yield urls[0], urls
            return
        config = run_dir / "nginx.conf"
        config.write_text(nginx_config(ports, listen, run_dir, show_server), encoding="utf-8")
        log = run_dir / "nginx.out"
        with open(log, "wb") as out:
            proxy = subprocess.Popen(
                [nginx, "-c", str(config), "-p", str(run_dir), "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        stack.callback(_stop, proxy)
        proxy_url = f"http://127.0.0.1:{listen}"
        _wait_healthy(proxy_url, proxy, log)
        yield proxy_url, urls
