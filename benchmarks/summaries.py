"""python -m benchmarks.summaries [--store PATH] [--runs N] [--markdown FILE] [--only QUERY ...]

The queries that read the summaries (results: migration 17; well-being and absence: migration 20; the
participation screen, absence beside social well-being and the 0.-3. respondents: migration 22),
each beside the same query on the pupil rows as it was before (benchmarks/pupil_rows/), on one
store in one process, interleaved run by run so a busy machine slows both alike: first run and p95
of the repeated runs (DuckDB's buffers warm, no query cache), for a typical school, a school of the
typical municipality and a school of the largest municipality. Both versions' results are
compared, so a figure that moved is reported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb
from polars.testing import assert_frame_equal

from benchmarks import subjects
from benchmarks.queries import PUPIL_ROWS
from benchmarks.screens import percentile

ROOT = Path(__file__).resolve().parent.parent
COUNTRY_WIDE = {"class_clustering"}


def _school_of(con, municipality: str) -> str:
    """The median-sized school of the municipality."""
    rows = con.execute(
        """SELECT s.institution_no, count(*) FROM student st JOIN school s USING (institution_no)
                          WHERE s.municipality_code = ? AND st.school_year = (SELECT max(school_year) FROM student)
                          GROUP BY 1 ORDER BY 2, 1""",
        [municipality],
    ).fetchall()
    return rows[len(rows) // 2][0]


def _params(con, school: str) -> dict:
    years = [r[0] for r in con.execute("SELECT DISTINCT school_year FROM student ORDER BY 1").fetchall()]
    sql = "SELECT municipality_code FROM school WHERE institution_no = ?"
    [(municipality,)] = con.execute(sql, [school]).fetchall()
    return {
        "school": school,
        "municipality": municipality,
        "scope_schools": None,
        "k": 10,
        "min_peers": 5,
        "years": years,
        "school_year": years[-1],
        "previous_year": years[-2],
        "grade_from": 0,
        "grade_to": 9,
        "gender": "alle",
        "indicator": "generel",
        "grade": -1,
        "high_above": 3.0,
        "high_above_pct": 10.0,
        "low_social": 3.0,
    }


def _timed(con, sql: str, params: dict) -> tuple[float, object]:
    started = time.perf_counter()
    frame = con.sql(sql, params=params).pl()
    return (time.perf_counter() - started) * 1000, frame


def measure(store: Path, runs: int, only: list[str] | None = None) -> list[dict]:
    from queries.runner import load_query

    who = subjects.pick(store)
    con = duckdb.connect(str(store), read_only=True)
    levels = [
        ("skole", who.school),
        ("kommune", _school_of(con, who.municipality)),
        ("største kommune", _school_of(con, who.largest_municipality)),
    ]
    rows = []
    for level, school in levels:
        params = _params(con, school)
        for path in sorted(PUPIL_ROWS.glob("*.sql")):
            if only and path.stem not in only:
                continue
            if path.stem in COUNTRY_WIDE and level != levels[0][0]:
                continue  # the same for every school: measured once
            spec = load_query(path.stem)
            before_sql = path.read_text(encoding="utf-8")
            bound = {k: v for k, v in params.items() if k in spec.params}
            first_before, old = _timed(con, before_sql, bound)
            first_after, new = _timed(con, spec.sql, bound)
            assert_frame_equal(old, new, check_dtypes=False, abs_tol=1e-9, rel_tol=1e-9)
            before, after = [], []
            for _ in range(runs):
                before.append(_timed(con, before_sql, bound)[0])
                after.append(_timed(con, spec.sql, bound)[0])
            rows.append(
                {
                    "level": level,
                    "query": path.stem,
                    "before_first": first_before,
                    "after_first": first_after,
                    "before_p95": percentile(before, 0.95),
                    "after_p95": percentile(after, 0.95),
                    "before_median": statistics.median(before),
                    "after_median": statistics.median(after),
                }
            )
    con.close()
    return rows


def lines(store: Path, rows: list[dict], runs: int) -> list[str]:
    import os

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    out = [
        f"Store: {store.name}; {runs} runs each, interleaved; load average {load} on {os.cpu_count()} cores",
        "",
        "| level | query | pupil rows first | summaries first | pupil rows p95 | summaries p95 | × (median) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['level']} | {r['query']} | {r['before_first']:.0f} | {r['after_first']:.0f} | "
            f"{r['before_p95']:.0f} | {r['after_p95']:.1f} | {r['before_median'] / r['after_median']:.0f}× |"
        )
    for level in dict.fromkeys(r["level"] for r in rows):
        mine = [r for r in rows if r["level"] == level]
        out.append(
            f"| {level} | **sum** | {sum(r['before_first'] for r in mine):.0f} | "
            f"{sum(r['after_first'] for r in mine):.0f} | {sum(r['before_p95'] for r in mine):.0f} | "
            f"{sum(r['after_p95'] for r in mine):.1f} | "
            f"{sum(r['before_median'] for r in mine) / sum(r['after_median'] for r in mine):.0f}× |"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.summaries")
    parser.add_argument("--store", help="a store to measure (default: a fresh demo store)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--only", nargs="+", metavar="QUERY", help="only these queries")
    args = parser.parse_args()
    store, _ = subjects.store_and_folder(args.store, "datablik-summaries-")
    text = lines(store, measure(store, args.runs, args.only), args.runs)
    print("\n".join(text))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(text) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
