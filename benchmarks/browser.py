"""python -m benchmarks.browser [--store PATH] [--runs 5] [--markdown FILE]

What a user feels, in headless Chromium (Debian's, as the browser tests use): for each level the
benchmark plays (a typical school's leader and its teacher team, a typical municipality, the largest
municipality, the country as admin), on a fresh server each, once it has warmed itself, so the
first visits are the morning's:
- login: the click on "Log ind" until Overblik is idle with its charts drawn;
- every screen of the role, reached through its sidebar link as a user clicks: cold (the first visit
  after the server started) and warm (`--runs` later visits: median and p95);
- a filter change: the school year on Overblik, first time (cold) and again (warm).
"Idle" is the browser tests' own state (tests/browser.wait_until_idle): the server has finished every
run the page asked for, nothing is stale or loading, every visible chart has drawn, fonts are in.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from benchmarks import subjects
from benchmarks.screens import percentile

VIEWPORT = {"width": 1920, "height": 1080}
PRESENTATION = "praesentation"  # it hides the sidebar
TEAM_GRADES = [4, 5, 6]  # a teacher team of the middle grades, as the demo team


def _levels(who: subjects.Subjects) -> list[tuple[str, str, str]]:
    """(level, username, role): the users benchmarks.subjects.write_users made, and a team."""
    return [
        (f"skole ({who.school_name})", "bench-leder", "ledelse"),
        (f"team ({who.school_name})", "bench-team", "team"),
        (f"kommune ({who.municipality_schools} skoler)", "bench-kommune", "kommune"),
        (f"største kommune ({who.largest_schools} skoler)", "bench-storkommune", "kommune"),
        ("land (admin)", "bench-admin", "admin"),
    ]


def _timed(action, page) -> float:
    """Milliseconds from the action (a click) until the page is idle with its charts drawn."""
    from tests.browser import wait_until_idle

    started = time.perf_counter()
    action()
    wait_until_idle(page, timeout_ms=120000)
    return (time.perf_counter() - started) * 1000


def _go(page, url_path: str, title: str, default: bool) -> None:
    """Click the screen's sidebar link; the default screen (Overblik) is served at the root address."""
    nav = '[data-testid="stSidebarNav"] a'
    (page.locator(nav).first if default else page.locator(f'{nav}[href$="/{url_path}"]')).click()
    page.locator(f"h1:has-text('{title} ·')").first.wait_for(timeout=120000)


def _log_in(page, url: str, username: str) -> float:
    from tests.browser import wait_until_idle

    page.goto(url)
    page.get_by_label("Brugernavn").first.wait_for(timeout=120000)
    wait_until_idle(page)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(subjects.PASSWORD)

    def click():
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_selector("h1:has-text('Overblik')", timeout=120000)

    return _timed(click, page)


def _year_change(page, year: str) -> float:
    def change():
        page.get_by_label("Skoleår").click()
        page.get_by_role("option", name=year, exact=True).click()
        page.locator(f"h1:has-text('{year}')").first.wait_for(timeout=120000)

    return _timed(change, page)


def measure_level(url: str, b, username: str, role: str, runs: int) -> dict:
    """One level on a fresh server: login, every screen cold then `runs` times warm, a year change."""
    from components.navigation import screens_for

    screens = [s for s in screens_for(role) if s.url_path != PRESENTATION]
    page = b.new_page(viewport=VIEWPORT)
    result = {"login": _log_in(page, url, username), "cold": {}, "warm": {}}
    order = screens[1:] + screens[:1]  # from Overblik to the next, ending back on Overblik
    for screen in order:
        result["cold"][screen.title] = _timed(lambda s=screen: _go(page, s.url_path, s.title, s == screens[0]), page)
    for _ in range(runs):
        for screen in order:
            ms = _timed(lambda s=screen: _go(page, s.url_path, s.title, s == screens[0]), page)
            result["warm"].setdefault(screen.title, []).append(ms)
    if any(s.url_path == PRESENTATION for s in screens_for(role)):
        # The presentation hides the sidebar: opened by its address (a page load), as a second screen would.
        title = f"{next(s.title for s in screens_for(role) if s.url_path == PRESENTATION)} (adresse)"
        times = [_timed(lambda: _open(page, f"{url}/{PRESENTATION}"), page) for _ in range(runs + 1)]
        result["cold"][title], result["warm"][title] = times[0], times[1:]
        _open(page, url)
    years = [o.strip() for o in _year_options(page)]
    result["filter"] = None
    if len(years) > 1:
        now, other = years[0], years[1]
        cold = _year_change(page, other)
        warm = [_year_change(page, y) for _ in range(runs) for y in (now, other)]
        result["filter"] = (f"Skoleår {now} → {other}", cold, warm)
    page.context.close()
    return result


def _open(page, address: str) -> None:
    page.goto(address)
    page.locator("h1").first.wait_for(timeout=120000)


def _year_options(page) -> list[str]:
    page.get_by_label("Skoleår").click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def _lines(store: Path, results: list[tuple[str, dict]], runs: int) -> list[str]:
    load = os.getloadavg()
    out = [
        f"Browser benchmark: {store.name}; Chromium headless at {VIEWPORT['width']}×{VIEWPORT['height']}; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average before the run "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {runs} warm visits per screen; a fresh server per level.",
        "Click → page idle with the charts drawn, ms.",
        "",
        "| level | what | cold | warm median | warm p95 |",
        "|---|---|---:|---:|---:|",
    ]
    for level, r in results:
        out.append(f"| {level} | login → Overblik | {r['login']:.0f} | | |")
        for title, cold in r["cold"].items():
            warm = r["warm"][title]
            out.append(
                f"| {level} | {title} | {cold:.0f} | {statistics.median(warm):.0f} | {percentile(warm, 0.95):.0f} |"
            )
        if r["filter"]:
            what, cold, warm = r["filter"]
            out.append(
                f"| {level} | {what} | {cold:.0f} | {statistics.median(warm):.0f} | {percentile(warm, 0.95):.0f} |"
            )
    return out


def _wait_for_warm_up(process, timeout_s: float = 600) -> None:
    """Until the server has warmed itself (components/warmup.py): the morning's first user meets a
    server started before, not one still starting."""
    from components.warmup import FINISHED

    deadline = time.monotonic() + timeout_s
    while FINISHED not in process.log_path.read_text(encoding="utf-8", errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not finish its warm-up: see {process.log_path}")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser")
    parser.add_argument("--store", help="default: a fresh demo store")
    parser.add_argument("--runs", type=int, default=5, help="warm visits per screen")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--json", help="also write the figures to this file (benchmarks.targets reads it)")
    args = parser.parse_args()
    from data import users
    from tests.browser import browser, require_chromium, streamlit_process

    require_chromium()
    store, folder = subjects.store_and_folder(args.store, "datablik-browser-bench-")
    who = subjects.pick(store)
    users_file = subjects.write_users(store, folder, who)
    users.add_user(
        users_file, "bench-team", "Benchmark, team", "team", subjects.PASSWORD, school=who.school, grades=TEAM_GRADES
    )
    env = {"DATABLIK_DB": str(store), "DATABLIK_USERS": str(users_file), "DATABLIK_READ_ONLY": "1"}
    results = []
    with browser() as b:
        for level, username, role in _levels(who):
            with streamlit_process(env, script="serve.py") as (url, process):
                _wait_for_warm_up(process)
                results.append((level, measure_level(url, b, username, role, args.runs)))
            print(f"{level}: done", flush=True)
    lines = _lines(store, results, args.runs)
    print("\n".join(lines))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps([{"level": level, **r} for level, r in results]))


if __name__ == "__main__":
    main()
