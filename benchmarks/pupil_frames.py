"""The joined reads of the team's pupil tables (operational store) cold after a commit: `ops.frame` of
each whole table, and each screen query that joins them, for three schools of a store.

    nice -n 19 python -m benchmarks.pupil_frames STORE [RUNS] [--whole]

--whole: the queries join the whole tables, as before `-- pupils: school` (the same run's baseline).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from data import operational_store, store
from queries.runner import Runner, Scope

TABLES = operational_store.PUPIL_WORK_TABLES


def _commit(runner: Runner) -> None:
    """A commit of the team's pupil tables (an assessment saved anywhere): their frames are stale."""
    with runner.ops.transaction() as cur:
        cur.touch(*TABLES)


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def main(path: Path, runs: int, whole: bool = False) -> None:
    con = store.connect(path, read_only=True)
    runner = Runner(con, read_only=True, path=path)
    runner.school_pupil_frames = not whole
    ops = runner.ops
    joined = "whole tables" if whole else "the school's pupils' rows"
    print(f"load average {os.getloadavg()[0]:.1f}; store {path}; {runs} runs, median ms; queries join {joined}")
    for table in TABLES:
        rows = ops.rows(f"SELECT count(*) FROM {table}")[0][0]
        fetch = [_timed(ops.rows, f"SELECT * FROM {table}") for _ in range(runs)]
        whole = [_timed(ops.frame, table) for _ in range(runs)]
        print(
            f"ops.frame {table:20} {rows:>8} rows  fetch {statistics.median(fetch):7.1f}"
            f"  frame {statistics.median(whole):7.1f}"
        )
    cur = con.cursor()
    years = [r[0] for r in cur.execute("SELECT DISTINCT school_year FROM student ORDER BY 1").fetchall()]
    year, previous = years[-1], years[-2] if len(years) > 1 else years[-1]
    schools = [r[0] for r in cur.execute("SELECT DISTINCT institution_no FROM student ORDER BY 1").fetchall()]
    cur.close()
    grade = 5
    for school in schools[:3]:
        cur = con.cursor()
        pupils = [
            r[0]
            for r in cur.execute(
                "SELECT student_key FROM student WHERE institution_no = ? AND school_year = ? AND grade = ? LIMIT 200",
                [school, year, grade],
            ).fetchall()
        ]
        cur.close()
        marks = ", ".join("?" for _ in pupils)
        placed = ops.rows(
            f"SELECT student_key, subject FROM triangle_placement WHERE school_year = ? AND student_key IN ({marks})",
            [year, *pupils],
        )
        key, subject = placed[0] if placed else ("x", "dansk")
        scope = Scope("ledelse", frozenset([school]))
        calls = {
            "year_group_assessments": dict(school_year=year, previous_year=previous, grade=grade),
            "year_group_warning_signs": dict(school_year=year, grade=grade, min_signals=2),
            "year_wheel_team": dict(school_year=year),
            "triangle_placements": dict(school_year=year, grade=grade, student_key=key, subject=subject),
        }
        for name, params in calls.items():
            times = []
            for _ in range(runs):
                _commit(runner)
                times.append(_timed(runner.fresh, name, scope, school=school, **params))
            print(f"{school} {name:26} cold after a commit {statistics.median(times):7.1f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--whole"]
    main(Path(args[0]), int(args[1]) if len(args) > 1 else 3, "--whole" in sys.argv)
