"""Every query the screens ran, replayed on its own: cold (the first run in a fresh process, empty
DuckDB buffers and query cache), uncached (repeated, bypassing the query cache), cached (through
the runner's cache) and the naive way (the same aggregation on the raw pupil-level tables joined on
the pupil only: every month of absence summed per request, no school filter, so each request scans
the whole country's rows) — with the naive/uncached ratio.

Run as a subprocess by benchmarks/__main__.py: python -m benchmarks.queries STORE CALLS.pickle OUT.pickle RUNS
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import statistics
import sys
import time
from pathlib import Path

from benchmarks.screens import percentile

# The school-order design: the pupil-level tables are joined on the pupil's school as well.
_NAIVE = [
    (re.compile(r"USING \(school_year, student_key, institution_no\)"), "USING (school_year, student_key)"),
    (re.compile(r"\n\s+AND (soc|sup)\.institution_no = st\.institution_no"), ""),
    (re.compile(r" AND w\.institution_no = \$school"), ""),
    (re.compile(r"AND st\.institution_no IN \(SELECT institution_no FROM peers\)"), "AND true"),
    (re.compile(r"\babsence_year\b"), "absence"),
]
NAIVE_RUNS = 3


PUPIL_ROWS = Path(__file__).resolve().parent / "pupil_rows"


def pupil_rows_sql(name: str) -> str | None:
    """A query that reads the summaries (migrations 17 and 20) as it was on the pupil rows: its naive path
    is that version without the school filter."""
    path = PUPIL_ROWS / f"{name}.sql"
    return path.read_text(encoding="utf-8") if path.exists() else None


def naive_sql(sql: str) -> str | None:
    changed = sql
    for pattern, replacement in _NAIVE:
        changed = pattern.sub(replacement, changed)
    return changed if changed != sql else None


def _timed(work) -> float:
    """Milliseconds; a query the runner stopped at its timeout counts as the time it ran (a lower
    bound), so one slow query on a busy machine does not end the whole benchmark."""
    from queries.runner import QueryError

    started = time.perf_counter()
    try:
        work()
    except QueryError:
        pass
    return (time.perf_counter() - started) * 1000


def replay(store: Path, calls: list, runs: int) -> list[dict]:
    from components import gc_settings
    from queries.runner import QueryError, load_query, runner_for

    runner = runner_for(store, read_only=True)
    gc_settings.settle()  # as a warm server is (components/warmup.py)
    rows = []
    seen = set()
    for level, name, scope, params in calls:
        key = (level, name, repr(sorted(params.items())), scope)
        if key in seen or not level:
            continue
        seen.add(key)
        spec = load_query(name)
        try:
            bound = runner._bind(spec, scope, params)
        except QueryError:  # a screen asked and was refused (it says why); nothing ran
            continue
        cold = _timed(lambda: runner._execute(spec, bound))  # noqa: B023 - runs at once
        uncached = [_timed(lambda: runner._execute(spec, bound)) for _ in range(runs)]  # noqa: B023
        _timed(lambda: runner.run(name, scope, **params))  # noqa: B023 - fills the cache
        cached = [_timed(lambda: runner.run(name, scope, **params)) for _ in range(runs)]  # noqa: B023
        naive = naive_sql(pupil_rows_sql(name) or spec.sql)
        naive_times = (
            [_timed(lambda: runner._execute(dataclasses.replace(spec, sql=naive), bound)) for _ in range(NAIVE_RUNS)]  # noqa: B023
            if naive
            else []
        )
        rows.append(
            {
                "level": level,
                "query": name,
                "cold_ms": cold,
                "uncached_median_ms": statistics.median(uncached),
                "uncached_p95_ms": percentile(uncached, 0.95),
                "cached_median_ms": statistics.median(cached),
                "cached_p95_ms": percentile(cached, 0.95),
                "naive_median_ms": statistics.median(naive_times) if naive_times else None,
            }
        )
    return rows


if __name__ == "__main__":
    store_path, calls_path, out_path, run_count = sys.argv[1:5]
    with open(calls_path, "rb") as f:
        recorded = pickle.load(f)
    result = replay(Path(store_path), recorded, int(run_count))
    with open(out_path, "wb") as f:
        pickle.dump(result, f)
