"""python -m benchmarks.imports [--pupils 500000]

Imports a national-size data set through the command line, the way a data owner would: the
institution register (1,100 schools), a pupil register and a well-being file of `--pupils` pupils
with 40 answers each (the 4.–9. grade questionnaire), then the same well-being file again. Prints
wall time and the peak memory of each import process.
"""

from __future__ import annotations

import argparse
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


def run_import(store: Path, source: str, path: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, "--path", str(store), "import", source, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import {source} failed:\n{done.stdout}\n{done.stderr}")
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KIB"))
    return {
        "step": f"{source} ({path.name}, {path.stat().st_size / 1e6:.0f} MB)",
        "seconds": seconds,
        "peak_mb": peak / 1024,
        "said": done.stdout.strip().splitlines()[-1],
    }


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
    questions = (
        pl.read_csv(ROOT / "data" / "reference" / "wellbeing_questions.csv", separator=";")
        .filter(pl.col("grade_band") == "4-9")["question_id"]
        .to_list()
    )
    answers = {q: pl.Series(q, rng.integers(1, 6, pupils), dtype=pl.Int8) for q in questions}
    frame = pl.DataFrame(
        {"Skoleår": "2025/2026", "Institutionsnummer": np.array(schools)[school_of], "Elevnøgle": keys, **answers}
    )
    # About 2 % of answers left blank, as in the real survey.
    frame = frame.with_columns(
        pl.when(pl.lit(rng.random(pupils) < 0.02)).then(None).otherwise(pl.col(q)).alias(q) for q in questions[::7]
    )
    frame.write_csv(folder / "trivsel.csv", separator=";")
    return register, folder / "elever.csv", folder / "trivsel.csv"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imports")
    parser.add_argument("--pupils", type=int, default=500_000)
    args = parser.parse_args()
    from data import demo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = folder / "bench.duckdb"
        demo.build(store)
        started = time.perf_counter()
        register, pupils, wellbeing = write_files(folder, args.pupils)
        print(f"Filer skrevet på {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows = [
            run_import(store, "institutions", register),
            run_import(store, "pupils", pupils),
            run_import(store, "wellbeing", wellbeing),
            run_import(store, "wellbeing", wellbeing),
        ]
    print(f"{'trin':58} {'sekunder':>9} {'top-hukommelse':>15}")
    for row in rows:
        print(f"{row['step']:58} {row['seconds']:9.1f} {row['peak_mb']:12.0f} MB")
    print("Sidste import: " + rows[-1]["said"])


if __name__ == "__main__":
    main()
