"""python -m benchmarks.targets --store national.duckdb [--build] [--runs 10] [--out FILE]

Every target of issue 18 measured in one go, each benchmark in a process of its own, one after the
other (run it on an otherwise quiet machine: the load average before and after each step is written
beside its figures):
1. with `--build`, the national store built at --store (`python -m data demo --scale national`);
2. `python -m benchmarks`: every screen's server run and every query, per level;
3. `python -m benchmarks.browser`: what a user feels in Chromium, per level;
4. `python -m benchmarks.load --users 50 --seconds 180 --processes 1 2`;
5. `python -m benchmarks.imports --store`: a national well-being import into a copy of the store;
6. `python -m benchmarks.load --users 20 --seconds 180 --processes 2 --import-during 60`.
It writes each step's tables and a table of the targets (the worst figure measured, the target, holds or
not) to --out, prints that table, and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.imports import run_cli

ROOT = Path(__file__).resolve().parent.parent
# The benchmarks run as steps; each takes --markdown FILE and --json FILE (tests/test_benchmark_targets.py).
MODULES = ("benchmarks", "benchmarks.browser", "benchmarks.load", "benchmarks.imports")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _step(title: str, module: str, args: list[str], folder: Path, name: str) -> tuple[object, list[str]]:
    """Run `python -m module args --markdown --json` and return (its figures, its report's lines)."""
    markdown, figures = folder / f"{name}.md", folder / f"{name}.json"
    before = _load()
    started = time.perf_counter()
    print(f"{title} ...", file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, "-m", module, *args, "--markdown", str(markdown), "--json", str(figures)], cwd=ROOT
    )
    minutes = (time.perf_counter() - started) / 60
    lines = [
        f"## {title}",
        "",
        f"`python -m {module} {' '.join(args)}` — {minutes:.1f} min; load average "
        f"before {before}, after {_load()}; exit code {done.returncode}",
        "",
    ]
    lines += markdown.read_text(encoding="utf-8").splitlines() if markdown.exists() else ["(no report)"]
    return (json.loads(figures.read_text()) if figures.exists() else None), lines + [""]


def _row(what: str, measured: float | None, target: str, holds: bool, unit: str = "ms") -> dict:
    decimals = 1 if unit == "min" else 0  # "4,4 min", not "4 min"
    shown = "–" if measured is None else f"{measured:,.{decimals}f} {unit}".replace(",", "_").replace(".", ",")
    shown = shown.replace("_", ".")  # Danish: 1.723 ms, 4,4 min
    return {"what": what, "measured": shown, "target": target, "holds": bool(holds) and measured is not None}


def _worst(rows: list[dict], key: str) -> tuple[float | None, str]:
    if not rows:
        return None, ""
    worst = max(rows, key=lambda r: r[key])
    return worst[key], f"{worst.get('screen') or worst.get('query') or ''}, {worst['level']}"


def server_targets(figures: dict) -> list[dict]:
    screens, queries = figures["screens"], figures["queries"]
    cold, where_cold = _worst(screens, "cold_ms")
    warm, where_warm = _worst(screens, "p95_ms")
    uncached, where_uncached = _worst(queries, "uncached_p95_ms")
    ratios = {}
    for level in dict.fromkeys(r["level"] for r in queries):
        naive = [r for r in queries if r["level"] == level and r["naive_median_ms"]]
        if naive:
            ratios[level] = sum(r["naive_median_ms"] for r in naive) / sum(r["uncached_median_ms"] for r in naive)
    lowest = min(ratios.items(), key=lambda kv: kv[1]) if ratios else (None, None)
    return [
        _row(f"screen server run cold, worst ({where_cold})", cold, "< 500 ms", cold is not None and cold < 500),
        _row(f"screen server run warm p95, worst ({where_warm})", warm, "< 100 ms", warm is not None and warm < 100),
        _row(
            f"query uncached p95, worst ({where_uncached})", uncached, "< 50 ms", uncached is not None and uncached < 50
        ),
        _row(f"naive / design summed per level, lowest ({lowest[0]})", lowest[1], "≥ 20×", (lowest[1] or 0) >= 20, "×"),
    ]


def browser_targets(levels: list[dict]) -> list[dict]:
    from benchmarks.screens import percentile

    login = max(((r["login"], r["level"]) for r in levels), default=(None, ""))
    cold = max(((ms, f"{t}, {r['level']}") for r in levels for t, ms in r["cold"].items()), default=(None, ""))
    warm = max(
        ((percentile(times, 0.95), f"{t}, {r['level']}") for r in levels for t, times in r["warm"].items()),
        default=(None, ""),
    )
    for r in levels:
        if r.get("filter"):
            what, first, again = r["filter"]
            cold = max(cold, (first, f"{what}, {r['level']}"))
            warm = max(warm, (percentile(again, 0.95), f"{what}, {r['level']}"))
    return [
        _row(f"browser click warm p95, worst ({warm[1]})", warm[0], "< 700 ms", warm[0] is not None and warm[0] < 700),
        _row(f"browser click cold, worst ({cold[1]})", cold[0], "< 1.500 ms", cold[0] is not None and cold[0] < 1500),
        _row(f"login → Overblik, worst ({login[1]})", login[0], "< 1.500 ms", login[0] is not None and login[0] < 1500),
    ]


def load_targets(runs: list[dict]) -> list[dict]:
    two = next((r for r in runs if r["processes"] == 2), None)
    if two is None:
        return [_row("load, 2 processes", None, "ran", False)]
    return [
        _row(
            "load 50 users, 2 processes: errors, tracebacks, health misses",
            two["errors"] + two["tracebacks"] + two["health_failures"],
            "0",
            not two["errors"] and not two["tracebacks"] and not two["health_failures"],
            "",
        ),
        _row("load 50 users, 2 processes: click p95", two["p95"], "< 1.500 ms", (two["p95"] or 1e9) < 1500),
        _row(
            "load 50 users, 2 processes: memory of all processes",
            two["memory_peak"],
            "< 3.000 MB",
            two["memory_peak"] < 3000,
            "MB",
        ),
    ]


def import_targets(rows: list[dict]) -> list[dict]:
    first = rows[0]
    return [
        _row(
            "national well-being import: time", first["seconds"], "< 120 s", first["ok"] and first["seconds"] < 120, "s"
        ),
        _row(
            "national well-being import: peak memory",
            first["peak_mb"],
            "< 4.096 MB",
            first["ok"] and first["peak_mb"] < 4096,
            "MB",
        ),
        _row(
            "the same file again changes nothing",
            0 if "intet er ændret" in rows[-1]["said"] else 1,
            "0 changes",
            "intet er ændret" in rows[-1]["said"],
            "",
        ),
    ]


def import_beside_users_targets(runs: list[dict]) -> list[dict]:
    run = runs[0]
    return [
        _row(
            "import beside 20 users: errors",
            run["errors"] + run["tracebacks"],
            "0",
            not run["errors"] and not run["tracebacks"],
            "",
        ),
        _row(
            "import beside 20 users: longest click during it",
            run["import_longest"],
            "≤ 5.000 ms",
            run["held"] and run["import_longest"] <= 5000,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.targets")
    parser.add_argument("--store", required=True, help="the national store (built there with --build)")
    parser.add_argument("--build", action="store_true", help="build the national store at --store first")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", default="benchmark-targets.md")
    parser.add_argument("--seconds", default="180", help="length of each load run (the targets say 180)")
    args = parser.parse_args()
    store = str(Path(args.store).resolve())
    folder = Path(tempfile.mkdtemp(prefix="datablik-targets-"))
    report, targets = (
        [
            f"# Issue 18's targets on {Path(store).name}",
            "",
            f"{os.cpu_count()} cores; load average at the start {_load()}; {time.strftime('%d.%m.%Y kl. %H.%M')}",
            "",
        ],
        [],
    )
    if args.build:
        before = _load()
        built = run_cli(["--path", store, "demo", "--scale", "national", "--replace"])
        report += [
            "## National build",
            "",
            f"load average before {before}, after {_load()}; exit ok: {built['ok']}; "
            f"{built['seconds'] / 60:.1f} min ({built['seconds']:.0f} s), peak "
            + f"{built['peak_mb']:,.0f} MB".replace(",", "."),
            "",
        ]
        targets.append(
            _row("national build", built["seconds"] / 60, "< 5 min", built["ok"] and built["seconds"] < 300, "min")
        )
        targets.append(_row("national build: peak memory", built["peak_mb"], "(none)", built["ok"], "MB"))
        if not built["ok"]:
            raise SystemExit(built["err"][-2000:])
    steps = [
        ("Server runs and queries", "benchmarks", ["--store", store, "--runs", str(args.runs)], server_targets),
        ("In the browser", "benchmarks.browser", ["--store", store, "--runs", str(min(args.runs, 5))], browser_targets),
        (
            "50 users, 1 and 2 processes",
            "benchmarks.load",
            ["--store", store, "--users", "50", "--seconds", args.seconds, "--processes", "1", "2"],
            load_targets,
        ),
        ("A national well-being import", "benchmarks.imports", ["--store", store], import_targets),
        (
            "An import beside 20 users",
            "benchmarks.load",
            [
                "--store",
                store,
                "--users",
                "20",
                "--seconds",
                args.seconds,
                "--processes",
                "2",
                "--import-during",
                str(float(args.seconds) / 3),
            ],
            import_beside_users_targets,
        ),
    ]
    assert {module for _, module, _, _ in steps} <= set(MODULES)
    for number, (title, module, step_args, judge) in enumerate(steps):
        figures, lines = _step(title, module, step_args, folder, f"step{number}")
        report += lines
        targets += judge(figures) if figures else [_row(title, None, "ran", False)]
    table = ["## Targets", "", "| target | measured (worst) | target | holds |", "|---|---:|---:|---|"]
    table += [
        f"| {t['what']} | {t['measured']} | {t['target']} | {'ja' if t['holds'] else '**nej**'} |" for t in targets
    ]
    report = report[:4] + table + [""] + report[4:]
    Path(args.out).write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(table))
    print(f"Report: {args.out}")
    sys.exit(0 if all(t["holds"] for t in targets) else 1)


if __name__ == "__main__":
    main()
