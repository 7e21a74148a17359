"""python -m benchmarks.load [--store PATH] [--users 20] [--seconds 90] [--processes 1 2] [--import-during S]

Starts the app on a local port (loopback only) and lets `--users` simulated users click through
their role's screens for a bounded time: 14 school leaders at different schools, 4 municipal
consultants in different municipalities and 2 admins (scaled to --users). Each user speaks the
app's own websocket protocol, as the browser does (benchmarks/protocol.py): it logs in through the
form and opens screens one after the other with a pause to read. Reports latency percentiles per
click (request to the server's finished run, which includes every figure and chart the screen
sends), errors (exceptions, error boxes, wrong screen, timeouts, tracebacks in the server's log),
the server process's memory, and whether the server kept answering: `/_stcore/health` is asked
every second throughout, and an answer slower than 5 s or none at all counts as a hang.
`--repeat N` runs the whole test N times, each on a fresh server. `--processes 1 2` runs it on one
process and then on two behind nginx (deploy.serving, the set-up of `python -m deploy`), side by side.
`--import-during S` imports a national-size well-being file with the command line S seconds into each
run (the servers then open the store read-only, as several processes do) and reports the clicks that
ended while it ran: a run holds only if the import succeeded and no user waited over 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb

from benchmarks.screens import percentile
from benchmarks.subjects import PASSWORD


def _users(store: Path, folder: Path, count: int) -> tuple[Path, list[tuple[str, str]]]:
    """A users file with `count` users spread over schools and municipalities: (username, role)."""
    from data import users

    con = duckdb.connect(str(store), read_only=True)
    try:
        schools = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT institution_no FROM student JOIN school USING (institution_no)"
                " WHERE school_type = 'folkeskole' ORDER BY 1"
            ).fetchall()
        ]
        municipalities = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT municipality_code FROM school"
                " WHERE institution_no IN (SELECT institution_no FROM student) ORDER BY 1"
            ).fetchall()
        ]
    finally:
        con.close()
    rng = random.Random(20)
    path = users.write_demo_users(store, folder / "users.yaml")
    n_admin, n_kommune = max(1, count // 10), max(1, count // 5)
    made = []
    for i in range(count):
        name = f"last{i:02d}"
        if i < n_admin:
            users.add_user(path, name, name, "admin", PASSWORD)
            made.append((name, "admin"))
        elif i < n_admin + n_kommune:
            users.add_user(path, name, name, "kommune", PASSWORD, municipality=rng.choice(municipalities))
            made.append((name, "kommune"))
        else:
            users.add_user(path, name, name, "ledelse", PASSWORD, school=rng.choice(schools))
            made.append((name, "ledelse"))
    return path, made


async def _user(
    url: str, username: str, role: str, until: float, results: list, errors: list, seed: int, think: tuple[float, float]
) -> None:
    """One simulated user: opens the app, logs in through the form, then clicks through the role's
    screens with a pause to look at each."""
    from benchmarks.protocol import Session, text_state, trigger_state
    from components.navigation import screens_for

    rng = random.Random(seed)
    await asyncio.sleep(seed * 0.25)  # people do not all arrive in the same second
    screens = screens_for(role)
    session = Session(url)
    try:
        await session.connect()
        first = await session.run()
        ids = {label: widget_id for label, (_, widget_id) in first.widgets.items()}
        login = await session.run(
            [
                text_state(ids["Brugernavn"], username),
                text_state(ids["Adgangskode"], PASSWORD),
                trigger_state(ids["Log ind"]),
            ]
        )
        if not any(h.startswith("Overblik") for h in login.headings):
            login = await session.run()  # in a browser, the login cookie's component asks for this rerun
        if not any(h.startswith("Overblik") for h in login.headings):
            errors.append(f"{username}: efter login ses {login.headings[:2]}")
            return
        while time.monotonic() < until:
            screen = rng.choice(screens)
            try:
                run = await session.run(page_hash=session.pages[screen.url_path if screen != screens[0] else ""])
            except Exception as problem:  # a timeout or a dropped connection is an error of the load test
                errors.append(f"{username} {screen.title}: {type(problem).__name__}")
                continue
            results.append((role, screen.title, run.seconds * 1000, time.monotonic()))
            if run.errors or not any(h.startswith(screen.title.split(" ")[0]) for h in run.headings):
                errors.append(f"{username} {screen.title}: {run.errors or run.headings[:2]}")
            await asyncio.sleep(rng.uniform(*think))  # a person reads the screen before the next click
    except Exception as problem:
        errors.append(f"{username}: {type(problem).__name__}: {problem}")
    finally:
        await session.close()


def _memory_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _run(url: str, users: list[tuple[str, str]], seconds: float, think: tuple[float, float]) -> tuple[list, list]:
    results, errors = [], []
    until = time.monotonic() + seconds
    await asyncio.gather(
        *[_user(url, name, role, until, results, errors, i, think) for i, (name, role) in enumerate(users)]
    )
    return results, errors


class HealthWatch(threading.Thread):
    """Asks the server's health endpoint every second; records the slowest answer and the failures."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.slowest, self.failures, self.asked = url, threading.Event(), 0.0, 0, 0
        self.times: list[float] = []

    def run(self) -> None:
        while not self.stop.wait(1.0):
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as answer:
                    ok = answer.status == 200
            except OSError:
                ok = False
            self.asked += 1
            self.times.append((time.monotonic() - started) * 1000)
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.failures += not ok


class ImportDuring(threading.Thread):
    """A data owner's import through the command line while the users click: `at` seconds into the run,
    `python -m data --path STORE import wellbeing FILE` (a new version of the store, which the serving
    processes pick up). What the users met while it ran is what counts: no error, no click over 5 s."""

    LONGEST_WAIT_MS = 5000

    def __init__(self, store: Path, folder: Path, at: float, seed: int):
        from benchmarks.imports import store_wellbeing_file

        super().__init__(daemon=True)
        self.store, self.at, self.result, self.window = store, at, None, (0.0, 0.0)
        # A file of its own for each run (other answers), so a second run's import is not "already imported".
        self.path = store_wellbeing_file(store, folder, seed=seed, name=f"trivsel-rettet-{seed}.csv")

    def run(self) -> None:
        from benchmarks.imports import run_import

        time.sleep(self.at)  # a benchmark's schedule, not a wait on state
        begun = time.monotonic()
        self.result = run_import(self.store, "wellbeing", self.path, check=False)
        self.window = (begun, time.monotonic())

    def report(self, results: list) -> dict:
        """Print and return what happened while the import ran (clicks that ended inside its window)."""
        begun, ended = self.window
        inside = [ms for _, _, ms, at in results if begun <= at <= ended + self.LONGEST_WAIT_MS / 1000]
        result = self.result or {"ok": False, "seconds": 0.0, "peak_mb": 0.0, "said": "importen startede ikke"}
        longest = max(inside, default=0.0)
        print(
            f"Import during the run ({self.path.name}, from {self.at:.0f} s): {'ok' if result['ok'] else 'FAILED'} "
            f"in {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB; {result['said']}"
        )
        print(
            f"Clicks that ended while it ran (or up to 5 s after): {len(inside)}, "
            f"p95 {percentile(inside or [0], 0.95):.0f} ms, longest {longest:.0f} ms"
        )
        return {
            "import_seconds": result["seconds"],
            "import_clicks": len(inside),
            "import_longest": longest,
            "held": result["ok"] and bool(inside) and longest <= self.LONGEST_WAIT_MS,
        }


def _tracebacks(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("Traceback (most recent call last)")


def _app_pids(ports: list[int]) -> list[int]:
    """The app processes listening on these ports (deploy.serving starts them; found by their command line)."""
    wanted, found = {str(p) for p in ports}, []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            words = [a.decode(errors="replace") for a in args]
            if "--server.port" in words and words[words.index("--server.port") + 1] in wanted and "streamlit" in words:
                found.append(int(entry.name))
    return found


def _once(store: Path, users_file: Path, users: list[tuple[str, str]], args, processes: int, folder: Path) -> dict:
    """One run of the load test on fresh servers (`processes` of them, behind nginx when more than one);
    prints its figures and returns them."""
    import deploy
    from tests.browser import free_port

    env = {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file)}
    if processes > 1 or args.import_during is not None:  # the command line writes a new version beside them
        env["DATABLIK_READ_ONLY"] = "1"
    ports = [free_port() for _ in range(processes)]
    run_dir = folder / f"run-{processes}-{time.monotonic_ns()}"
    importing = None
    if args.import_during is not None:
        importing = ImportDuring(store, folder, args.import_during, seed=time.monotonic_ns() % 10_000)
    with deploy.serving(processes, listen=free_port(), env=env, run_dir=run_dir, ports=ports) as (url, _):
        pids = _app_pids(ports)
        watch = HealthWatch(url)
        watch.start()
        started = time.monotonic()
        if importing:
            importing.start()
        results, errors = asyncio.run(_run(url, users, args.seconds, tuple(args.think)))
        elapsed = time.monotonic() - started
        watch.stop.set()
        watch.join()
        if importing:
            importing.join()
        memory = [_memory_mb(pid) for pid in pids]
        tracebacks = sum(_tracebacks(log) for log in run_dir.glob("app-*.log"))
    current, peak = sum(m[0] for m in memory), sum(m[1] for m in memory)
    times = [ms for _, _, ms, _ in results]
    where = "one server on 127.0.0.1" if processes == 1 else f"{processes} processes behind nginx on 127.0.0.1"
    print(
        f"Load test: {len(users)} simulated users for {args.seconds:.0f} s ({elapsed:.0f} s in all) against "
        f"{store.name}, {where}, {os.cpu_count()} cores, {args.think[0]:g}–{args.think[1]:g} s "
        "reading time between clicks"
    )
    if times:
        print(
            f"Clicks: {len(times)}, latency request → screen run finished: median {statistics.median(times):.0f} ms, "
            f"p90 {percentile(times, 0.9):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, max {max(times):.0f} ms"
        )
        for role in dict.fromkeys(r for r, _, _, _ in results):
            role_times = [ms for r, _, ms, _ in results if r == role]
            print(
                f"  {role:8} {len(role_times):4} clicks, median {statistics.median(role_times):.0f} ms, "
                f"p95 {percentile(role_times, 0.95):.0f} ms"
            )
    print(f"Errors: {len(errors)}; tracebacks in the servers' logs: {tracebacks}")
    for problem in errors[:20]:
        print(f"  {problem}")
    print(
        f"Health: asked {watch.asked} times, {watch.failures} without an answer within 5 s, "
        f"answer median {statistics.median(watch.times or [0]):.0f} ms, "
        f"p95 {percentile(watch.times or [0], 0.95):.0f} ms, "
        f"slowest {watch.slowest * 1000:.0f} ms"
    )
    print(f"Server memory, all {len(memory)} processes together: {current:.0f} MB now, peak {peak:.0f} MB")
    held = bool(times) and not errors and not tracebacks and not watch.failures
    during = importing.report(results) if importing else {}
    held = held and during.get("held", True)
    return {
        "processes": processes,
        "users": len(users),
        "clicks": len(times),
        "median": statistics.median(times) if times else None,
        "p95": percentile(times, 0.95) if times else None,
        "max": max(times) if times else None,
        "errors": len(errors),
        "tracebacks": tracebacks,
        "health_failures": watch.failures,
        "memory_peak": peak,
        "held": held,
        **during,
    }


def table(rows: list[dict]) -> list[str]:
    """The runs side by side (1 process and N processes), as a Markdown table."""
    load = os.getloadavg()
    out = [
        f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "",
        "| processes | users | clicks | median ms | p95 ms | max ms | errors | tracebacks | health misses "
        "| memory, all processes (peak MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    imports = any("import_seconds" in r for r in rows)
    if imports:
        out[2] += " import s | clicks during it | longest click during it ms |"
        out[3] += "---:|---:|---:|"
    for r in rows:
        figures = [f"{r[k]:.0f}" if r[k] is not None else "–" for k in ("median", "p95", "max")]
        line = (
            f"| {r['processes']} | {r['users']} | {r['clicks']} | {' | '.join(figures)} | {r['errors']} "
            f"| {r['tracebacks']} | {r['health_failures']} | {r['memory_peak']:.0f} |"
        )
        if imports:
            line += f" {r['import_seconds']:.1f} | {r['import_clicks']} | {r['import_longest']:.0f} |"
        out.append(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--store", help="default: a fresh demo store")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(5.0, 15.0),
        metavar=("MIN", "MAX"),
        help="seconds a user reads a screen before the next click (default 5 15)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="run the whole test this many times")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        help="server processes; several values run one after the other, side by side (e.g. 1 2)",
    )
    parser.add_argument("--markdown", help="also write the side-by-side table to this file")
    parser.add_argument("--json", help="also write the figures to this file (benchmarks.targets reads it)")
    parser.add_argument(
        "--import-during",
        type=float,
        metavar="SECONDS",
        help="this many seconds into each run, import a corrected well-being survey of every 4.–9. grade "
        "pupil of the newest year with the command line (benchmarks.imports.store_wellbeing_file), into a "
        "copy of --store",
    )
    args = parser.parse_args()
    from benchmarks.subjects import store_and_folder

    store, folder = store_and_folder(args.store, "datablik-load-")
    users_file, users = _users(store, folder, args.users)
    if args.import_during is not None and args.store:  # the imports change the store: measure on a copy
        from tests.operational import copy_store

        copy_store(store, folder / store.name)
        store = folder / store.name
    rows = [_once(store, users_file, users, args, n, folder) for n in args.processes for _ in range(args.repeat)]
    held = [r["held"] for r in rows]
    lines = table(rows)
    print("\n".join(lines))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(rows))
    if len(rows) > 1:
        print(
            "Runs that held (no error, no traceback, health always answered; with an import: it succeeded "
            f"and no click during it over 5 s): {sum(held)} of {len(rows)}"
        )
    sys.exit(0 if all(held) else 1)


if __name__ == "__main__":
    main()
