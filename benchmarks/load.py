"""python -m benchmarks.load [--store PATH] [--users 20] [--seconds 90]

Starts the app on a local port (loopback only) and lets `--users` simulated users, each in its own
headless Chromium page, click through their role's screens for a bounded time: 14 school leaders
at different schools, 4 municipal consultants in different municipalities and 2 admins (scaled to
--users). Reports latency percentiles per click (click to the screen's title shown and the app
idle), errors (exceptions, error boxes, timeouts) and the server process's memory.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.screens import percentile
from benchmarks.subjects import PASSWORD

TIMEOUT_MS = 60_000


def _users(store: Path, folder: Path, count: int) -> tuple[Path, list[tuple[str, str]]]:
    """A users file with `count` users spread over schools and municipalities: (username, role)."""
    from data import users
    con = duckdb.connect(str(store), read_only=True)
    try:
        schools = [r[0] for r in con.execute(
            "SELECT DISTINCT institution_no FROM student JOIN school USING (institution_no)"
            " WHERE school_type = 'folkeskole' ORDER BY 1").fetchall()]
        municipalities = [r[0] for r in con.execute(
            "SELECT DISTINCT municipality_code FROM school WHERE institution_no IN (SELECT institution_no FROM student)"
            " ORDER BY 1").fetchall()]
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


async def _idle(page) -> None:
    await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                 timeout=TIMEOUT_MS)


async def _user(browser, url: str, username: str, role: str, until: float, results: list, errors: list,
                seed: int) -> None:
    from components.navigation import screens_for
    rng = random.Random(seed)
    screens = [s for s in screens_for(role) if s.url_path != "praesentation"]
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})
    page = await context.new_page()
    try:
        await page.goto(url)
        await page.get_by_label("Brugernavn").wait_for(timeout=TIMEOUT_MS)
        await page.get_by_label("Brugernavn").fill(username)
        await page.get_by_label("Adgangskode").fill(PASSWORD)
        await page.get_by_role("button", name="Log ind").click()
        await page.wait_for_selector("h1:has-text('Overblik')", timeout=TIMEOUT_MS)
        await _idle(page)
        while time.monotonic() < until:
            screen = rng.choice(screens)
            started = time.perf_counter()
            try:
                await page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=screen.title,
                                                                               exact=True).click()
                await page.wait_for_selector(f"h1:has-text('{screen.title.split(' ')[0]}')", timeout=TIMEOUT_MS)
                await _idle(page)
            except Exception as problem:  # a timeout is an error of the load test, counted and reported
                errors.append(f"{username} {screen.title}: {type(problem).__name__}")
                continue
            results.append((role, screen.title, (time.perf_counter() - started) * 1000))
            if await page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count():
                errors.append(f"{username} {screen.title}: fejlboks på skærmen")
            await asyncio.sleep(rng.uniform(0.5, 2.0))  # a person looks at the screen before the next click
    except Exception as problem:
        errors.append(f"{username} login: {type(problem).__name__}: {problem}")
    finally:
        await context.close()


def _memory_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _run(url: str, users: list[tuple[str, str]], seconds: float) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS
    results, errors = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        until = time.monotonic() + seconds
        await asyncio.gather(*[_user(browser, url, name, role, until, results, errors, i)
                               for i, (name, role) in enumerate(users)])
        await browser.close()
    return results, errors


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--store", help="default: a fresh demo store")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=90)
    args = parser.parse_args()
    from tests.browser import streamlit_process
    folder = Path(tempfile.mkdtemp(prefix="datablik-load-"))
    if args.store:
        store = Path(args.store).resolve()
    else:
        from data import demo
        store = folder / "demo.duckdb"
        demo.build(store)
    users_file, users = _users(store, folder, args.users)
    env = {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file)}
    with streamlit_process(env) as (url, process):
        started = time.monotonic()
        results, errors = asyncio.run(_run(url, users, args.seconds))
        elapsed = time.monotonic() - started
        current, peak = _memory_mb(process.pid)
    times = [ms for _, _, ms in results]
    print(f"Load test: {len(users)} simulated users in headless Chromium for {args.seconds:.0f} s "
          f"(incl. log-in {elapsed:.0f} s) against {store.name}, on {os.cpu_count()} cores "
          "(browser and server share them)")
    if times:
        print(f"Clicks: {len(times)}, latency click → screen shown and idle: median {statistics.median(times):.0f} ms, "
              f"p90 {percentile(times, 0.9):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, max {max(times):.0f} ms")
        for role in dict.fromkeys(r for r, _, _ in results):
            role_times = [ms for r, _, ms in results if r == role]
            print(f"  {role:8} {len(role_times):4} clicks, median {statistics.median(role_times):.0f} ms, "
                  f"p95 {percentile(role_times, 0.95):.0f} ms")
    print(f"Errors: {len(errors)}")
    for problem in errors[:20]:
        print(f"  {problem}")
    print(f"Server memory: {current:.0f} MB now, peak {peak:.0f} MB")
    sys.exit(1 if errors or not times else 0)


if __name__ == "__main__":
    main()
