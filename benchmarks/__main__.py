"""python -m benchmarks [--store PATH] [--runs N]

Measures each screen's full server-side run (Streamlit AppTest) for a logged-in school leader:
the first run (cold: empty query cache) and repeated runs (warm), as median, 95th percentile
and maximum, and prints a table. Uses the demo store by default, built into a temporary folder.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


USERS = [("leder", "demo-leder", "ledelse"), ("kommune", "demo-kommune", "kommune"), ("admin", "demo-admin", "admin")]


def measure_screens(runs: int) -> list[dict]:
    """Every screen once, as the first demo user whose role has it."""
    from streamlit.testing.v1 import AppTest

    from components.navigation import SCREENS
    rows = []
    for screen in SCREENS:
        username, password, _ = next(u for u in USERS if u[2] in screen.roles)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.text_input[0].input(username)
        at.text_input[1].input(password)
        at.button[0].click().run()
        at.run()
        at.switch_page(f"views/{screen.file}")
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        assert not at.exception, screen.title
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        rows.append({"screen": f"{screen.title} ({username})", "cold_ms": cold * 1000,
                     "median_ms": statistics.median(warm) * 1000,
                     "p95_ms": _percentile(warm, 0.95) * 1000, "max_ms": max(warm) * 1000})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--store", help="a store to measure (default: a fresh demo store)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.store:
        os.environ["DATABLIK_DB"] = args.store
    else:
        from data import demo, users
        folder = Path(tempfile.mkdtemp())
        demo.build(folder / "demo.duckdb")
        os.environ["DATABLIK_DB"] = str(folder / "demo.duckdb")
        os.environ["DATABLIK_USERS"] = str(users.write_demo_users(folder / "demo.duckdb", folder / "users.yaml"))
    rows = measure_screens(args.runs)
    print(f"Screen server runs (AppTest, {args.runs} repeated runs each after the first)")
    print(f"{'screen':28} {'first run':>10} {'median':>9} {'p95':>9} {'max':>9}")
    for r in rows:
        print(f"{r['screen']:28} {r['cold_ms']:8.0f}ms {r['median_ms']:7.0f}ms "
              f"{r['p95_ms']:7.0f}ms {r['max_ms']:7.0f}ms")


if __name__ == "__main__":
    main()
