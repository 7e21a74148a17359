"""The result summaries (migration 17) are kept by every writer: after the demo build, an import, a
corrected (replacement) import, a register that moves pupils and a rollback, each summary equals a
recomputation from the pupil rows (in polars, not the SQL that keeps them). The screens' aggregate
queries of those sources read the summaries, never the pupil rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from data import summaries
from tests import import_examples as examples
from tests.test_import import run_cli

ROOT = Path(__file__).resolve().parent.parent
YEAR = "2025/26"
SCHOOL, OTHER = "900002", "900003"
KEYS = ["school_year", "institution_no", "grade", "gender", "class_name", "special_class"]
MARKS = {-3: "m_minus3", 0: "m00", 2: "m02", 4: "m04", 7: "m07", 10: "m10", 12: "m12"}


def _table(con, name: str) -> pl.DataFrame:
    return con.sql(f"SELECT * FROM {name}").pl()


def _register(con) -> pl.DataFrame:
    return _table(con, "student").select(*KEYS, "student_key")


def expected_exam_summary(con) -> pl.DataFrame:
    grades = (
        _table(con, "exam_grade")
        .rename({"grade": "mark"})
        .filter(pl.col("bound"))
        .join(_register(con), on=["school_year", "student_key", "institution_no"])
    )
    per_pupil = grades.group_by(*KEYS, "student_key").agg(
        pl.len().alias("grades"),
        pl.col("mark").cast(pl.Int64).sum().alias("points"),
        *[(pl.col("mark") == mark).sum().alias(name) for mark, name in MARKS.items()],
    )
    complete = pl.col("grades") == 8
    return per_pupil.group_by(KEYS).agg(
        pl.len().alias("pupils_bound"),
        complete.sum().alias("n_complete"),
        pl.col("points").filter(complete).sum().alias("sum_complete"),
        (pl.col("points") ** 2).filter(complete).sum().alias("sumsq_complete"),
        pl.col("grades").sum().alias("bound_grades"),
        *[pl.col(name).sum() for name in MARKS.values()],
    )


def expected_exam_subject_summary(con) -> pl.DataFrame:
    grades = (
        _table(con, "exam_grade")
        .rename({"grade": "mark"})
        .join(_register(con), on=["school_year", "student_key", "institution_no"])
    )
    grade = pl.col("mark").cast(pl.Int64)
    return grades.group_by(*KEYS, "subject", "bound").agg(
        pl.len().alias("n"), grade.sum().alias("sum_grade"), (grade * grade).sum().alias("sumsq_grade")
    )


def expected_national_test_summary(con) -> pl.DataFrame:
    register = _register(con).drop("grade", "special_class")
    results = _table(con, "national_test").join(register, on=["school_year", "student_key", "institution_no"])
    results = results.with_columns((pl.col("points") / pl.col("max_points")).alias("share"))
    bands = _table(con, "national_test_band").sort("lower_share", descending=True)
    band = pl.lit(None, pl.String)
    for row in reversed(bands.rows(named=True)):  # the highest limit at or below the share wins
        band = pl.when(pl.col("share") >= row["lower_share"]).then(pl.lit(row["band"])).otherwise(band)
    return (
        results.with_columns(band.alias("band"))
        .group_by(
            "school_year",
            "institution_no",
            "grade",
            "gender",
            "class_name",
            "subject",
            "profile_area",
            "max_points",
            "band",
        )
        .agg(pl.len().alias("n"), pl.col("points").cast(pl.Int64).sum().alias("sum_points"))
    )


EXPECTED = {
    "exam_summary": expected_exam_summary,
    "exam_subject_summary": expected_exam_subject_summary,
    "national_test_summary": expected_national_test_summary,
}


def assert_summaries_match_the_pupil_rows(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """`con`: a connection this process already holds to `path` (DuckDB refuses a second one with
    another configuration in the same process)."""
    own = con is None
    con = duckdb.connect(str(path), read_only=True) if own else con.cursor()
    try:
        for table, expected in EXPECTED.items():
            want = expected(con)
            got = _table(con, table)
            assert not want.is_empty(), table
            order = [
                c
                for c in got.columns
                if c
                not in (
                    "n",
                    "sum_points",
                    "pupils_bound",
                    "n_complete",
                    "sum_complete",
                    "sumsq_complete",
                    "bound_grades",
                    "sum_grade",
                    "sumsq_grade",
                    *MARKS.values(),
                )
            ]
            assert_frame_equal(
                got.sort(order, nulls_last=True),
                want.select(got.columns).sort(order, nulls_last=True),
                check_dtypes=False,
                abs_tol=1e-9,
                rel_tol=1e-12,
            )
    finally:
        con.close()


def test_each_summary_equals_a_recomputation_from_the_pupil_rows_after_the_demo_build(demo_store, demo_runner):
    assert_summaries_match_the_pupil_rows(demo_store, demo_runner._con)


def test_each_summary_equals_a_recomputation_after_importing_exams_and_national_tests(store_copy):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    assert_summaries_match_the_pupil_rows(store_copy)  # the replaced register's pupils left their summaries
    for source in ("exams", "tests"):
        assert run_cli(store_copy, "import", source, str(examples.FOLDER / f"{source}.xlsx")) == 0
    assert_summaries_match_the_pupil_rows(store_copy)


@pytest.mark.parametrize("source", ["exams", "tests"])
def test_each_summary_equals_a_recomputation_after_a_corrected_file_replaces_one_and_after_its_rollback(
    store_copy, tmp_path, source
):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    assert run_cli(store_copy, "import", source, str(examples.FOLDER / f"{source}.xlsx")) == 0
    before = {t: _summary(store_copy, t) for t in summaries.TABLES}
    head, body = examples.table(source, 1, danish=True)
    corrected = tmp_path / f"{source}_rettet.csv"
    corrected.write_bytes(examples.csv_bytes(head, body[1:], ";", "cp1252"))  # one row less, the rest again
    assert run_cli(store_copy, "import", source, str(corrected)) == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    assert run_cli(store_copy, "rollback", "3") == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    for table, frame in before.items():
        assert_frame_equal(_summary(store_copy, table), frame)
    assert run_cli(store_copy, "rollback", "2") == 0  # the file itself, then the register
    assert_summaries_match_the_pupil_rows(store_copy)
    assert run_cli(store_copy, "rollback", "1") == 0
    assert_summaries_match_the_pupil_rows(store_copy)


def _summary(path: Path, table: str) -> pl.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(f"SELECT * FROM {table} ORDER BY ALL").pl()
    finally:
        con.close()


def test_each_summary_follows_pupils_a_corrected_register_moves_to_another_school_and_back(store_copy, tmp_path):
    """The file is the other school's register with ten 9th-graders of this school in it: this school is not
    in the file, yet its summaries lose them (and get them back when the batch is rolled back)."""
    from tests.test_import_register import _register_csv, _register_of

    here = _register_of(store_copy, (SCHOOL,), YEAR)
    movers = here.filter(pl.col("grade") == 9).head(10).with_columns(pl.lit(OTHER).alias("institution_no"))
    there = _register_of(store_copy, (OTHER,), YEAR)
    corrected = pl.concat(
        [
            there.with_columns(
                pl.when(pl.col("student_key") == there["student_key"][0])
                .then(pl.lit("pige"))
                .otherwise(pl.col("gender"))
                .alias("gender")
            ),
            movers,
        ]
    )
    path = tmp_path / "elevregister_rettet.csv"
    path.write_bytes(_register_csv(corrected))
    before = _summary(store_copy, "exam_summary")
    assert run_cli(store_copy, "import", "pupils", str(path)) == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    assert run_cli(store_copy, "rollback", "1") == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    assert_frame_equal(_summary(store_copy, "exam_summary"), before)


def test_new_band_limits_recount_the_national_test_summary(store_copy, monkeypatch, tmp_path):
    from data import reference, store

    bands = tmp_path / "national_test_bands.csv"
    bands.write_text(
        (reference.REFERENCE_DIR / "national_test_bands.csv")
        .read_text(encoding="utf-8")
        .replace("gode;0.50", "gode;0.55"),
        encoding="utf-8",
    )
    original = reference._csv
    monkeypatch.setattr(reference, "_csv", lambda name: str(bands) if name == bands.name else original(name))
    con = store.connect(store_copy)
    try:
        con.execute("BEGIN TRANSACTION")
        reference.load_reference_tables(con)
        con.execute("COMMIT")
    finally:
        con.close()
    assert_summaries_match_the_pupil_rows(store_copy)


EXAM_AND_TEST_ROWS = re.compile(r"\b(exam_grade|national_test)\b(?!_)")
PUPIL_SCREEN = {"year_group_classes", "year_group_cohort"}  # Årgang, the screen that shows pupils


def test_the_screens_exam_and_national_test_figures_read_the_summaries_never_the_pupil_rows():
    """No aggregate query reads exam_grade or national_test (the Årgang screen's aside): each reads
    exam_summary, exam_subject_summary or national_test_summary instead."""
    readers, offenders = set(), []
    for path in sorted((ROOT / "queries").glob("*.sql")):
        raw = path.read_text(encoding="utf-8")
        text = "\n".join(line.split("--")[0] for line in raw.splitlines())
        if "-- level: aggregate" not in raw or path.stem in PUPIL_SCREEN:
            continue
        if EXAM_AND_TEST_ROWS.search(text):
            offenders.append(path.name)
        if re.search(r"\b(exam_summary|exam_subject_summary|national_test_summary)\b", text):
            readers.add(path.stem)
    assert offenders == []
    assert {
        "exam_bound_average_school_and_municipality",
        "exam_by_gender",
        "exam_by_subject",
        "exam_mark_distribution",
        "national_test_bands_by_grade",
        "national_test_bands_school_and_municipality",
        "national_test_by_gender",
        "socio_reference_by_year",
        "municipality_school_indicators",
        "peer_group",
        "class_clustering",
    } <= readers
