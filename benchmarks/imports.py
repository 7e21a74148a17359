"""python -m benchmarks.imports [--pupils 500000] [--store PATH]

Imports a national-size data set through the command line, the way a data owner would: the
institution register (1,100 schools), a pupil register and a well-being file of `--pupils` pupils
with 40 answers each (the 4.–9. grade questionnaire), then the same well-being file again. Prints
wall time and the peak memory of each import process.

With `--store` (the national store, say) it imports into a copy of that store instead: a corrected
well-being survey of every 4.–9. grade pupil of its newest school year (`store_wellbeing_file`), which
replaces that year's answers and their summaries at every school, then the same file again (which
changes nothing). The store itself is never changed.
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

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
# Runs the CLI and reports the process's own peak memory (KiB) on its last stderr line.
_WRAPPER = (
    "import resource, runpy, sys\n"
    "sys.argv = ['data'] + sys.argv[1:]\n"
    "code = 0\n"
    "try:\n    runpy.run_module('data', run_name='__main__')\n"
    "except SystemExit as exit:\n    code = exit.code\n"
    "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_cli(args: list[str]) -> dict:
    """`python -m data ARGS` in a process of its own: wall time, the process's peak memory, exit code, output."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *args], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KIB")), 0)
    return {
        "seconds": seconds,
        "peak_mb": peak / 1024,
        "ok": done.returncode == 0,
        "out": done.stdout,
        "err": done.stderr,
    }


def run_import(store: Path, source: str, path: Path, check: bool = True) -> dict:
    """One import through the command line in a process of its own: its time, peak memory and last line.
    With `check`, a failed import stops the benchmark; else it is returned with ok=False."""
    done = run_cli(["--path", str(store), "import", source, str(path)])
    if not done["ok"] and check:
        raise SystemExit(f"import {source} failed:\n{done['out']}\n{done['err']}")
    said = (done["out"].strip() or done["err"].strip() or "-").splitlines()
    return {
        "step": f"{source} ({path.name}, {path.stat().st_size / 1e6:.0f} MB)",
        "seconds": done["seconds"],
        "peak_mb": done["peak_mb"],
        "said": said[-1] if done["ok"] else next((x for x in said if x.startswith("Fejl")), said[-1]),
        "ok": done["ok"],
    }


def _questions_4_9() -> list[str]:
    return (
        pl.read_csv(ROOT / "data" / "reference" / "wellbeing_questions.csv", separator=";")
        .filter(pl.col("grade_band") == "4-9")["question_id"]
        .to_list()
    )


def _answers(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """40 answers (1–5) per pupil of `frame`, about 2 % of them left blank, as in the real survey."""
    questions, pupils = _questions_4_9(), frame.height
    answers = {q: pl.Series(q, rng.integers(1, 6, pupils), dtype=pl.Int8) for q in questions}
    frame = frame.with_columns(**answers)
    return frame.with_columns(
        pl.when(pl.lit(rng.random(pupils) < 0.02)).then(None).otherwise(pl.col(q)).alias(q) for q in questions[::7]
    )


def store_wellbeing_file(store: Path, folder: Path, seed: int = 11, name: str = "trivsel-rettet.csv") -> Path:
    """A well-being file for every 4.–9. grade pupil of the store's newest school year, with fresh
    answers: a corrected survey, which replaces that year's answers at every school it names."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        pupils = con.sql(
            """SELECT school_year AS "Skoleår", institution_no AS "Institutionsnummer", student_key AS "Elevnøgle"
               FROM student WHERE school_year = (SELECT max(school_year) FROM student) AND grade BETWEEN 4 AND 9
               ORDER BY 2, 3"""
        ).pl()
    finally:
        con.close()
    path = folder / name
    _answers(pupils, np.random.default_rng(seed)).write_csv(path, separator=";")
    return path


def write_files(folder: Path, pupils: int, seed: int = 7) -> tuple[Path, Path, Path]:
    from tests.import_examples import national_register, national_schools

    rng = np.random.default_rng(seed)
    register = folder / "institutionsregister.csv"
    register.write_bytes(national_register())
    schools = [no for i, (no, _, _) in enumerate(national_schools()) if i % 25 and i % 97 != 5]
    school_of = rng.integers(0, len(schools), pupils)
    keys = [f"E{i:08d}" for i in range(pupils)]
    grades = rng.integers(4, 10, pupils)
    pl.DataFrame(
        {
            "Skoleår": "2025/2026",
            "Institutionsnummer": np.array(schools)[school_of],
            "Elevnøgle": keys,
            "Klassetrin": grades,
            "Klasse": [f"{g}.A" for g in grades],
            "Køn": np.where(rng.random(pupils) < 0.5, "pige", "dreng"),
        }
    ).write_csv(folder / "elever.csv", separator=";")
    frame = _answers(
        pl.DataFrame({"Skoleår": "2025/2026", "Institutionsnummer": np.array(schools)[school_of], "Elevnøgle": keys}),
        rng,
    )
    frame.write_csv(folder / "trivsel.csv", separator=";")
    return register, folder / "elever.csv", folder / "trivsel.csv"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imports")
    parser.add_argument("--pupils", type=int, default=500_000)
    parser.add_argument("--store", help="import into a copy of this store (its own pupils, newest year)")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--json", help="also write the figures to this file (benchmarks.targets reads it)")
    args = parser.parse_args()

    if args.store:
        rows = _into_copy(Path(args.store).resolve())
    else:
        rows = _into_fresh_store(args.pupils)
    load = os.getloadavg()
    lines = [
        f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores",
        "",
        "| step | seconds | peak memory, MB | said |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {r['step']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | {r['said']} |" for r in rows]
    print("\n".join(lines))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(rows))


def _into_copy(store: Path) -> list[dict]:
    from tests.operational import copy_store

    with tempfile.TemporaryDirectory(dir=store.parent, prefix=".datablik-import-bench-") as tmp:
        folder = Path(tmp)
        copy = folder / store.name
        copy_store(store, copy)
        started = time.perf_counter()
        wellbeing = store_wellbeing_file(copy, folder)
        print(f"Fil skrevet på {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return [run_import(copy, "wellbeing", wellbeing), run_import(copy, "wellbeing", wellbeing)]


def _into_fresh_store(pupils: int) -> list[dict]:
    from data import demo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = folder / "bench.duckdb"
        demo.build(store)
        started = time.perf_counter()
        register, pupil_file, wellbeing = write_files(folder, pupils)
        print(f"Filer skrevet på {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return [
            run_import(store, "institutions", register),
            run_import(store, "pupils", pupil_file),
            run_import(store, "wellbeing", wellbeing),
            run_import(store, "wellbeing", wellbeing),
        ]


if __name__ == "__main__":
    main()
