"""python -m benchmarks [--store PATH] [--runs N] [--markdown FILE]

On a given store (default: a fresh demo store) the benchmark plays a typical school (median size),
a typical municipality (median number of schools), the largest municipality and the country (admin):
1. every screen's full server-side run (AppTest), cold (empty query cache) and warm, median and p95;
2. every query those screens ran, replayed in a fresh process: cold, uncached, cached, and the
   naive way (pupil-level tables joined on the pupil only, scanned on every request), with the ratio.
Build the national store first with: python -m data --path national.duckdb demo --scale national
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import subprocess
import sys
from pathlib import Path

from benchmarks import screens, subjects

ROOT = Path(__file__).resolve().parent.parent


def _store_size(store: Path) -> str:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("school", "student", "wellbeing_answer", "absence")
        }
        years = con.execute("SELECT count(DISTINCT school_year) FROM student").fetchall()[0][0]
    finally:
        con.close()
    return (
        f"{counts['school']:,} skoler, {counts['student'] // max(years, 1):,} elever om året i {years} skoleår, "
        f"{counts['wellbeing_answer']:,} trivselssvar, {counts['absence']:,} fraværsrækker"
    ).replace(",", ".")


def _lines(
    store: Path, who: subjects.Subjects, screen_rows: list[dict], query_rows: list[dict], runs: int
) -> list[str]:
    cpu = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    out = [
        f"Store: {store.name} — {_store_size(store)}",
        f"Machine: {cpu} cores, {memory:.0f} GiB, Python {platform.python_version()}",
        f"Typical school: {who.school_name} ({who.school}, {who.school_pupils} pupils); typical municipality: "
        f"{who.municipality_name} ({who.municipality_schools} schools); largest: {who.largest_municipality} "
        f"({who.largest_schools} schools). {runs} repeated runs per measure.",
        "",
        "Screens, full server run (AppTest), ms",
        "",
        "| level | screen | cold | warm median | warm p95 |",
        "|---|---|---:|---:|---:|",
    ]
    out += [
        f"| {r['level']} | {r['screen']} | {r['cold_ms']:.0f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} |"
        for r in screen_rows
    ]
    out += [
        "",
        "Queries the screens ran, replayed in a fresh process, ms (naive: the pupil-level tables joined on "
        "the pupil only, so every request scans the country)",
        "",
        "| level | query | cold | uncached p95 | cached p95 | naive median | naive / uncached |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in query_rows:
        naive = r["naive_median_ms"]
        ratio = f"{naive / r['uncached_median_ms']:.0f}×" if naive else "–"
        out.append(
            f"| {r['level']} | {r['query']} | {r['cold_ms']:.0f} | {r['uncached_p95_ms']:.0f} | "
            f"{r['cached_p95_ms']:.2f} | {naive:.0f} | {ratio} |"
            if naive
            else f"| {r['level']} | {r['query']} | {r['cold_ms']:.0f} | {r['uncached_p95_ms']:.0f} | "
            f"{r['cached_p95_ms']:.2f} | – | – |"
        )
    out += [
        "",
        "Summary per level (worst query; naive ratio over the queries that read pupil-level tables)",
        "",
        "| level | queries | worst cold | worst uncached p95 | worst cached p95 | naive / design (sum) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for level in dict.fromkeys(r["level"] for r in query_rows):
        rows = [r for r in query_rows if r["level"] == level]
        with_naive = [r for r in rows if r["naive_median_ms"]]
        ratio = (
            sum(r["naive_median_ms"] for r in with_naive) / sum(r["uncached_median_ms"] for r in with_naive)
            if with_naive
            else None
        )
        out.append(
            f"| {level} | {len(rows)} | {max(r['cold_ms'] for r in rows):.0f} | "
            f"{max(r['uncached_p95_ms'] for r in rows):.0f} | {max(r['cached_p95_ms'] for r in rows):.2f} | "
            + (f"{ratio:.0f}× |" if ratio else "– |")
        )
    worst = max(screen_rows, key=lambda r: r["cold_ms"])
    out += ["", f"Slowest screen run: {worst['screen']} ({worst['level']}), cold {worst['cold_ms']:.0f} ms."]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--store", help="a store to measure (default: a fresh demo store)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--json", help="also write the figures to this file (benchmarks.targets reads it)")
    args = parser.parse_args()
    store, folder = subjects.store_and_folder(args.store, "datablik-bench-")
    who = subjects.pick(store)
    os.environ["DATABLIK_DB"] = str(store)
    os.environ["DATABLIK_USERS"] = str(subjects.write_users(store, folder, who))
    print("Skærme ...", file=sys.stderr)
    screen_rows, calls = screens.measure(store, subjects.LEVELS, subjects.PASSWORD, args.runs)
    from queries import runner as runner_module

    for runner in runner_module._runners.values():  # free the store for the replay process
        runner._con.close()
    runner_module._runners.clear()
    with open(folder / "calls.pickle", "wb") as f:
        pickle.dump(calls, f)
    print(f"Forespørgsler ({len(calls)} kald) ...", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.queries",
            str(store),
            str(folder / "calls.pickle"),
            str(folder / "queries.pickle"),
            str(args.runs),
        ],
        cwd=ROOT,
        check=True,
    )
    with open(folder / "queries.pickle", "rb") as f:
        query_rows = pickle.load(f)
    lines = _lines(store, who, screen_rows, query_rows, args.runs)
    print("\n".join(lines))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps({"screens": screen_rows, "queries": query_rows}, default=str))


if __name__ == "__main__":
    main()
