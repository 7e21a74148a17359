"""The summaries of results (migration 17), well-being and absence (migrations 20, 22) and the pupil
summary (migration 22: the register, and two sources of the same pupils) are kept by every writer:
after the demo build, an import, a corrected (replacement) import, a register that moves pupils and a
rollback, each summary equals a recomputation from the pupil rows (in polars, not the SQL that keeps
them). The screens' aggregate queries read the summaries, never the pupil rows (Årgang aside), and a
threshold set in settings.toml still moves the figures."""

from __future__ import annotations

import dataclasses
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


def _pupils(con) -> pl.DataFrame:
    return _table(con, "student").select(
        "school_year",
        "institution_no",
        "grade",
        "gender",
        "class_name",
        "special_class",
        "bilingual",
        "reduced_timetable",
        "student_key",
        "months_enrolled",
    )


PUPIL = ["school_year", "student_key", "institution_no"]
GROUP = ["school_year", "institution_no", "grade", "gender", "class_name", "special_class", "bilingual"]
KINDS = ("illness_days", "authorised_days", "unauthorised_days")


def expected_wellbeing_summary(con) -> pl.DataFrame:
    """Per pupil the indicator score (the mean of the pupil's answers), per half-point band above."""
    scores = _table(con, "wellbeing_score").join(_pupils(con), on=PUPIL)
    score = pl.col("score")
    return (
        scores.with_columns(((score * 2).ceil() / 2 - 0.5).alias("above"))
        .group_by(*GROUP, "indicator", "above")
        .agg(pl.len().alias("n"), score.sum().alias("sum_score"), (score * score).sum().alias("sumsq_score"))
    )


def expected_wellbeing_answer_summary(con) -> pl.DataFrame:
    answers = _table(con, "wellbeing_answer").join(_pupils(con), on=PUPIL)
    return answers.group_by("school_year", "institution_no", "grade", "question_id", "answer_option").agg(
        pl.len().alias("n")
    )


def _absence_per_pupil(con) -> pl.DataFrame:
    """Each pupil's absence percentage, from the tenths of days as integers (so a pupil at exactly
    10 % is exactly 10 %, as in DuckDB's decimal arithmetic)."""
    tenths = {c: (pl.col(c).cast(pl.Float64) * 10).round().cast(pl.Int64) for c in KINDS}
    days = pl.col("school_days").cast(pl.Int64)
    year = _table(con, "absence_year").join(_pupils(con), on=PUPIL).filter(days > 0)
    return year.with_columns(
        ((tenths["illness_days"] + tenths["authorised_days"] + tenths["unauthorised_days"]) * 10 / days).alias("pct"),
        *[(tenths[c] * 10 / days).alias(c.replace("_days", "_pct")) for c in KINDS],
        pl.col("months_enrolled").cast(pl.Int64).alias("weight"),
    )


def expected_absence_summary(con) -> pl.DataFrame:
    pct, weight = pl.col("pct"), pl.col("weight")
    return (
        _absence_per_pupil(con)
        .with_columns((pct.ceil() - 1).cast(pl.Int64).alias("above_pct"))
        .group_by(*GROUP, "above_pct")
        .agg(
            pl.len().alias("n"),
            weight.sum().alias("sum_weight"),
            (pct * weight).sum().alias("sum_weighted_pct"),
            (pl.col("illness_pct") * weight).sum().alias("sum_weighted_illness"),
            (pl.col("authorised_pct") * weight).sum().alias("sum_weighted_authorised"),
            (pl.col("unauthorised_pct") * weight).sum().alias("sum_weighted_unauthorised"),
            pct.sum().alias("sum_pct"),
            (pct * pct).sum().alias("sumsq_pct"),
        )
    )


def expected_pupil_summary(con) -> pl.DataFrame:
    """Per pupil group the register's pupils, those who answered the well-being survey, and those with
    both an absence percentage and a social score, with the sums of each."""
    absence = _absence_per_pupil(con).select(*PUPIL, "pct")
    social = _table(con, "wellbeing_score").filter(pl.col("indicator") == "social").select(*PUPIL, "score")
    answered = _table(con, "wellbeing_answer").select(PUPIL).unique().with_columns(pl.lit(True).alias("answered"))
    pupils = (
        _pupils(con)
        .join(absence, on=PUPIL, how="left")
        .join(social, on=PUPIL, how="left")
        .join(answered, on=PUPIL, how="left")
    )
    both = pl.col("pct").is_not_null() & pl.col("score").is_not_null()
    return pupils.group_by(*GROUP, "reduced_timetable").agg(
        pl.len().alias("n"),
        pl.col("answered").is_not_null().sum().alias("respondents"),
        both.sum().alias("n_absence_social"),
        pl.col("pct").filter(both).sum().alias("sum_absence_pct"),
        pl.col("score").filter(both).sum().alias("sum_social"),
    )


def expected_absence_month_summary(con) -> pl.DataFrame:
    months = _table(con, "absence").filter(pl.col("school_days") > 0).join(_pupils(con), on=PUPIL)
    days = {c: pl.col(c).sum() for c in ("school_days", *KINDS)}
    return months.group_by("school_year", "institution_no", "grade", "month").agg(
        pl.col("student_key").n_unique().alias("n"), *[e.alias(c) for c, e in days.items()]
    )


def _class_values(
    frame: pl.DataFrame, indicator: pl.Expr, value: pl.Expr, weight: pl.Expr | None = None
) -> pl.DataFrame:
    """Per class and indicator: n, sum, sum of squares and the mean's weighted sum and weight."""
    weight = pl.lit(1.0) if weight is None else weight
    return (
        frame.with_columns(
            indicator.alias("indicator"), value.cast(pl.Float64).alias("value"), weight.cast(pl.Float64).alias("w")
        )
        .group_by("school_year", "institution_no", "class_name", "indicator")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("value").sum().alias("total"),
            (pl.col("value") ** 2).sum().alias("squares"),
            (pl.col("value") * pl.col("w")).sum().alias("weighted"),
            pl.col("w").sum().alias("weight"),
        )
    )


def expected_class_summary(con) -> pl.DataFrame:
    """From the pupil rows: each pupil's well-being scores, absence % (weighted by months at the school),
    exam average (all 8 bound grades, outside special classes) and "gode or better" in the tests (100 or 0)."""
    scores = _table(con, "wellbeing_score").join(_pupils(con), on=PUPIL)
    exams = (
        _table(con, "exam_grade")
        .rename({"grade": "mark"})
        .filter(pl.col("bound"))
        .join(_register(con).filter(~pl.col("special_class")), on=PUPIL)
        .group_by("school_year", "institution_no", "class_name", "student_key")
        .agg(pl.len().alias("grades"), pl.col("mark").cast(pl.Int64).sum().alias("points"))
        .filter(pl.col("grades") == 8)
    )
    good = _table(con, "national_test_band").filter(pl.col("band") == "gode")["lower_share"][0]
    tests = (
        _table(con, "national_test")
        .filter(pl.col("profile_area") == "samlet")
        .join(_register(con).select(PUPIL + ["class_name"]), on=PUPIL)
    )
    return pl.concat(
        [
            _class_values(scores, pl.lit("wellbeing_") + pl.col("indicator"), pl.col("score")),
            _class_values(_absence_per_pupil(con), pl.lit("absence_total_pct"), pl.col("pct"), pl.col("weight")),
            _class_values(exams, pl.lit("exam_bound_average"), pl.col("points") / 8),
            _class_values(
                tests,
                pl.lit("test_good_share_") + pl.col("subject"),
                pl.when(pl.col("points") / pl.col("max_points") >= good).then(100.0).otherwise(0.0),
            ),
        ]
    )


def expected_class_band_summary(con) -> pl.DataFrame:
    wellbeing = expected_wellbeing_summary(con).filter(pl.col("indicator") == "generel")
    absence = expected_absence_summary(con).rename({"above_pct": "above"})
    return pl.concat(
        [
            frame.group_by("school_year", "institution_no", "class_name", "above")
            .agg(pl.col("n").sum())
            .with_columns(pl.lit(indicator).alias("indicator"), pl.col("above").cast(pl.Float64))
            for frame, indicator in ((wellbeing, "wellbeing_high_share"), (absence, "absence_over10_share"))
        ]
    )


def expected_source_summary(con) -> pl.DataFrame:
    """Per school and year the rows of each pupil-level source that belong to a pupil of the register."""
    register = _pupils(con).select(PUPIL)
    sources = {
        "pupils": _table(con, "student"),
        "wellbeing": _table(con, "wellbeing_score").filter(pl.col("indicator") == "generel"),
        "absence": _table(con, "absence").filter(pl.col("school_days") > 0),
        "tests": _table(con, "national_test"),
        "exams": _table(con, "exam_grade"),
    }
    return pl.concat(
        [
            rows.join(register, on=PUPIL)
            .group_by("school_year", "institution_no")
            .agg(pl.len().cast(pl.Int64).alias("rows"))
            .with_columns(pl.lit(source).alias("source"))
            for source, rows in sources.items()
        ]
    )


EXPECTED = {
    "exam_summary": expected_exam_summary,
    "exam_subject_summary": expected_exam_subject_summary,
    "national_test_summary": expected_national_test_summary,
    "wellbeing_summary": expected_wellbeing_summary,
    "wellbeing_answer_summary": expected_wellbeing_answer_summary,
    "absence_summary": expected_absence_summary,
    "absence_month_summary": expected_absence_month_summary,
    "pupil_summary": expected_pupil_summary,
    "class_summary": expected_class_summary,
    "class_band_summary": expected_class_band_summary,
    "source_summary": expected_source_summary,
}
# The measures of each summary; the other columns are its keys.
MEASURES = {
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
    "sum_score",
    "sumsq_score",
    "sum_weight",
    "sum_weighted_pct",
    "sum_weighted_illness",
    "sum_weighted_authorised",
    "sum_weighted_unauthorised",
    "sum_pct",
    "sumsq_pct",
    "school_days",
    *KINDS,
    "respondents",
    "n_absence_social",
    "sum_absence_pct",
    "sum_social",
    "total",
    "squares",
    "weighted",
    "weight",
    "rows",
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
            order = [c for c in got.columns if c not in MEASURES]
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


def test_each_summary_equals_a_recomputation_after_importing_each_pupil_level_source(store_copy):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    assert_summaries_match_the_pupil_rows(store_copy)  # the replaced register's pupils left their summaries
    for source in ("exams", "tests", "wellbeing", "absence"):
        assert run_cli(store_copy, "import", source, str(examples.FOLDER / f"{source}.xlsx")) == 0
    assert_summaries_match_the_pupil_rows(store_copy)


@pytest.mark.parametrize("source", ["exams", "tests", "wellbeing", "absence"])
def test_each_summary_equals_a_recomputation_after_a_corrected_file_replaces_one_and_after_its_rollback(
    store_copy, tmp_path, source
):
    assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
    batches = ["1"]
    if source in BESIDE:  # the pupil summary holds absence beside social well-being of the same pupils
        assert run_cli(store_copy, "import", BESIDE[source], str(examples.FOLDER / f"{BESIDE[source]}.xlsx")) == 0
        batches.append(str(len(batches) + 1))
    assert run_cli(store_copy, "import", source, str(examples.FOLDER / f"{source}.xlsx")) == 0
    batches.append(str(len(batches) + 1))
    before = {t: _summary(store_copy, t) for t in summaries.TABLES}
    head, body = examples.table(source, 1, danish=True)
    corrected = tmp_path / f"{source}_rettet.csv"
    rows = body[1:]  # one row less, the rest again
    if source == "absence":  # each pupil's months are alike, so a row less moves no percentage: a new value does
        rows[1] = [*rows[1][:5], "4", *rows[1][6:]]
    corrected.write_bytes(examples.csv_bytes(head, rows, ";", "cp1252"))
    assert run_cli(store_copy, "import", source, str(corrected)) == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    changed = [t for t, frame in before.items() if not _summary(store_copy, t).equals(frame)]
    assert "pupil_summary" in changed or source not in BESIDE, changed
    assert run_cli(store_copy, "rollback", str(len(batches) + 1)) == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    for table, frame in before.items():
        assert_frame_equal(_summary(store_copy, table), frame)
    for batch in reversed(batches):  # the file itself, then the register
        assert run_cli(store_copy, "rollback", batch) == 0
        assert_summaries_match_the_pupil_rows(store_copy)


BESIDE = {"absence": "wellbeing", "wellbeing": "absence"}


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
    before = {t: _summary(store_copy, t) for t in summaries.TABLES}
    assert run_cli(store_copy, "import", "pupils", str(path)) == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    moved = _summary(store_copy, "wellbeing_summary").filter(pl.col("institution_no") == SCHOOL, pl.col("grade") == 9)
    assert (
        moved["n"].sum()
        < before["wellbeing_summary"].filter(pl.col("institution_no") == SCHOOL, pl.col("grade") == 9)["n"].sum()
    )
    assert run_cli(store_copy, "rollback", "1") == 0
    assert_summaries_match_the_pupil_rows(store_copy)
    for table, frame in before.items():
        assert_frame_equal(_summary(store_copy, table), frame)


def test_migration_22_fills_its_summaries_from_the_rows_already_in_a_store(store_copy):
    """A store from before migration 22 gets the new summaries from its own rows: the migration run
    again (its new table dropped first) leaves every summary equal to the recomputation."""
    from data import store

    migration = next(path for version, path in store.migrations() if version == 22)
    con = store.connect(store_copy)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DROP TABLE pupil_summary")
        con.execute(migration.read_text(encoding="utf-8"))
        con.execute("COMMIT")
    finally:
        con.close()
    assert_summaries_match_the_pupil_rows(store_copy)


def test_migration_26_counts_the_sources_in_the_summaries_already_in_a_store(store_copy):
    from data import store

    migration = next(path for version, path in store.migrations() if version == 26)
    con = store.connect(store_copy)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DROP TABLE source_summary")
        con.execute(migration.read_text(encoding="utf-8"))
        con.execute("COMMIT")
    finally:
        con.close()
    assert_summaries_match_the_pupil_rows(store_copy)


def test_migration_25_fills_the_class_summaries_from_the_summaries_already_in_a_store(store_copy):
    """A store from before migration 25 gets its class summaries from its own summaries: the migration
    run again (its tables dropped first) leaves them equal to the recomputation from the pupil rows."""
    from data import store

    migration = next(path for version, path in store.migrations() if version == 25)
    con = store.connect(store_copy)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DROP TABLE class_summary")
        con.execute("DROP TABLE class_band_summary")
        con.execute(migration.read_text(encoding="utf-8"))
        con.execute("COMMIT")
        assert con.sql("SELECT count(*) FROM class_summary").fetchall()[0][0] > 0
    finally:
        con.close()
    assert_summaries_match_the_pupil_rows(store_copy)


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
    exam_summary, exam_subject_summary, national_test_summary or the class summary instead."""
    readers, offenders = set(), []
    for path in sorted((ROOT / "queries").glob("*.sql")):
        raw = path.read_text(encoding="utf-8")
        text = "\n".join(line.split("--")[0] for line in raw.splitlines())
        if "-- level: aggregate" not in raw or path.stem in PUPIL_SCREEN:
            continue
        if EXAM_AND_TEST_ROWS.search(text):
            offenders.append(path.name)
        if re.search(r"\b(exam_summary|exam_subject_summary|national_test_summary|class_summary)\b", text):
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


WELLBEING_AND_ABSENCE_ROWS = re.compile(r"\b(wellbeing_score|wellbeing_answer|absence_year|absence)\b(?!_)")


def test_the_screens_wellbeing_and_absence_figures_read_the_summaries_never_the_pupil_rows():
    """Overblik, Trivsel and Kommune (the table, the peers, the clustering behind the noise rule) read
    wellbeing_summary, wellbeing_answer_summary, absence_summary and absence_month_summary, and what
    needs two sources of the same pupils (the participation screen, absence beside social well-being,
    the 0.-3. respondents) pupil_summary, the country's classes class_summary: no aggregate query reads a
    pupil row."""
    readers, offenders = set(), []
    for path in sorted((ROOT / "queries").glob("*.sql")):
        raw = path.read_text(encoding="utf-8")
        text = "\n".join(line.split("--")[0] for line in raw.splitlines())
        if "-- level: aggregate" not in raw or path.stem in PUPIL_SCREEN:
            continue
        if WELLBEING_AND_ABSENCE_ROWS.search(text):
            offenders.append(path.name)
        if re.search(
            r"\b(wellbeing_summary|wellbeing_answer_summary|absence_summary|absence_month_summary|pupil_summary|class_summary)\b",
            text,
        ):
            readers.add(path.stem)
    assert offenders == []
    assert {
        "wellbeing_indicators_school_and_municipality",
        "wellbeing_indicators_by_grade",
        "wellbeing_indicators_by_gender",
        "wellbeing_indicators_by_class",
        "wellbeing_question_drilldown",
        "absence_school_and_municipality",
        "absence_by_grade",
        "absence_by_month",
        "municipality_school_indicators",
        "peer_group",
        "class_clustering",
        "absence_and_social_wellbeing_by_grade",
        "participation_gaps",
        "participation_indicators",
        "wellbeing_questions_0_3",
    } <= readers


MOVED = (
    "absence_and_social_wellbeing_by_grade",
    "participation_gaps",
    "participation_indicators",
    "wellbeing_questions_0_3",
)


@pytest.mark.parametrize(("absence_above", "low_social"), [(10.0, 3.0), (5.0, 2.5), (0.0, 4.5)])
def test_the_figures_moved_to_the_summaries_equal_the_pupil_rows_for_every_school_year_and_group(
    demo_runner, monkeypatch, absence_above, low_social
):
    """Each moved query, through the runner (settings bound, suppression applied), gives what the same
    query on the pupil rows gave (benchmarks/pupil_rows/, run here unsuppressed on the same store and
    suppressed by the same runner), within 1e-9, for every school, school year and grade."""
    from benchmarks.queries import PUPIL_ROWS
    from queries import runner
    from queries.runner import Scope, load_query

    _with_setting(monkeypatch, "absence", "high_absence_above_pct", absence_above)
    configured = runner.settings()
    monkeypatch.setattr(
        runner,
        "settings",
        lambda: {
            **configured,
            "participation": {**configured["participation"], "low_social_wellbeing_at_or_below": low_social},
        },
    )
    con = demo_runner._con.cursor()
    schools = [r[0] for r in con.sql("SELECT DISTINCT institution_no FROM student ORDER BY 1").fetchall()]
    years = [r[0] for r in con.sql("SELECT DISTINCT school_year FROM student ORDER BY 1").fetchall()]
    compared, admin = 0, Scope("admin", None)
    for name in MOVED:
        spec = load_query(name)
        old = dataclasses.replace(spec, sql=(PUPIL_ROWS / f"{name}.sql").read_text(encoding="utf-8"))
        calls = (
            [{"years": years}]
            if "years" in spec.params
            else [{"school_year": y, "grade": g} for y in years for g in (-1, 0, 2)]
            if "grade" in spec.params
            else [{"school_year": y} for y in years]
        )
        for school in schools:
            for call in calls:
                params = {**call, "school": school}
                got = demo_runner.run(name, admin, **params)
                want = demo_runner._finish(old, admin, demo_runner._execute(old, demo_runner._bind(old, admin, params)))
                assert not want.is_empty() or name == "wellbeing_questions_0_3", (name, params)
                assert_frame_equal(got, want, check_dtypes=False, abs_tol=1e-9, rel_tol=1e-12)
                compared += len(got)
    assert compared > 1000


def _with_setting(monkeypatch, section: str, key: str, value: float) -> None:
    from data import reference
    from queries import runner

    configured = reference.settings()
    monkeypatch.setattr(runner, "settings", lambda: {**configured, section: {**configured[section], key: value}})


@pytest.mark.parametrize("threshold", [0.0, 5.0, 10.0, 11.0, 20.0])
def test_the_share_above_the_absence_setting_equals_the_pupil_rows_at_any_whole_percent(
    demo_runner, monkeypatch, threshold
):
    """The summary keeps a band per whole percent, so no threshold is frozen in it: the share above
    the setting, whatever it is, equals the count over the pupils' own percentages."""
    from queries.runner import Scope

    _with_setting(monkeypatch, "absence", "high_absence_above_pct", threshold)
    got = demo_runner.run("absence_by_grade", Scope("admin", None), school=SCHOOL, school_year=YEAR)
    got = got.filter(pl.col("level") == "skole", ~pl.col("suppressed")).sort("grade")
    pupils = _absence_per_pupil(demo_runner._con.cursor()).filter(
        pl.col("institution_no") == SCHOOL, pl.col("school_year") == YEAR
    )
    want = (
        pupils.group_by("grade")
        .agg(((pl.col("pct") > threshold).mean() * 100).alias("share"), pl.len().alias("n"))
        .filter(pl.col("grade").is_in(got["grade"].to_list()))
        .sort("grade")
    )
    assert got["n"].to_list() == want["n"].to_list()
    assert got["over10_share"].to_list() == pytest.approx(want["share"].to_list(), abs=1e-9)


@pytest.mark.parametrize("threshold", [2.5, 3.0, 3.5, 4.0])
def test_the_share_above_the_wellbeing_setting_equals_the_pupil_scores_at_any_half_point(
    demo_runner, monkeypatch, threshold
):
    from queries.runner import Scope

    _with_setting(monkeypatch, "wellbeing", "high_wellbeing_above", threshold)
    got = demo_runner.run("wellbeing_indicators_by_grade", Scope("admin", None), school=SCHOOL, school_year=YEAR)
    got = got.filter(pl.col("level") == "skole", pl.col("indicator") == "generel", ~pl.col("suppressed")).sort("grade")
    con = demo_runner._con.cursor()
    scores = (
        _table(con, "wellbeing_score")
        .join(_pupils(con), on=PUPIL)
        .filter(pl.col("institution_no") == SCHOOL, pl.col("school_year") == YEAR, pl.col("indicator") == "generel")
    )
    want = scores.group_by("grade").agg(((pl.col("score") > threshold).mean() * 100).alias("share")).sort("grade")
    want = want.filter(pl.col("grade").is_in(got["grade"].to_list()))
    assert not got.is_empty()
    assert got["high_share"].to_list() == pytest.approx(want["share"].to_list(), abs=1e-9)


@pytest.mark.parametrize(
    ("section", "key", "value", "query", "params"),
    [
        ("absence", "high_absence_above_pct", 10.5, "absence_by_grade", {"school": SCHOOL, "school_year": YEAR}),
        (
            "wellbeing",
            "high_wellbeing_above",
            3.2,
            "wellbeing_indicators_by_grade",
            {"school": SCHOOL, "school_year": YEAR},
        ),
        (
            "participation",
            "low_social_wellbeing_at_or_below",
            3.2,
            "participation_gaps",
            {"school": SCHOOL, "school_year": YEAR},
        ),
    ],
)
def test_a_threshold_between_the_summarys_bands_is_refused_in_danish_never_rounded(
    demo_runner, monkeypatch, section, key, value, query, params
):
    from queries.runner import QueryError, Scope

    _with_setting(monkeypatch, section, key, value)
    with pytest.raises(QueryError, match=f"Indstillingen {key} i \\[{section}\\] skal være et helt antal"):
        demo_runner.run(query, Scope("admin", None), **params)


RAW_ROWS = {
    "pupils": "SELECT institution_no, school_year FROM student",
    "wellbeing": "SELECT institution_no, school_year FROM wellbeing_score WHERE indicator = 'generel'",
    "absence": "SELECT institution_no, school_year FROM absence WHERE school_days > 0",
    "tests": "SELECT institution_no, school_year FROM national_test",
    "exams": "SELECT institution_no, school_year FROM exam_grade",
}


@pytest.mark.parametrize("imported", [False, True])
def test_the_data_screens_rows_and_newest_year_per_school_equal_the_stored_pupil_rows(store_copy, imported):
    """The Data screen counts the pupil-level sources in their summaries: per school and source the
    same rows and newest school year as the pupil rows themselves, on the demo and after imports."""
    from queries.runner import Scope, runner_for

    if imported:
        assert run_cli(store_copy, "import", "pupils", "--erstat", str(examples.FOLDER / "pupils.xlsx")) == 0
        for source in ("exams", "tests", "wellbeing", "absence"):
            assert run_cli(store_copy, "import", source, str(examples.FOLDER / f"{source}.xlsx")) == 0
    runner = runner_for(store_copy)
    shown = runner.run("data_freshness", Scope("admin", None))
    con = runner._connection()
    for source, rows in RAW_ROWS.items():
        want = con.sql(
            f"SELECT institution_no, max(school_year) AS newest_year, count(*) AS rows FROM ({rows}) GROUP BY ALL"
        ).pl()
        got = shown.filter(pl.col("source") == source).select("institution_no", "newest_year", "rows")
        assert not want.is_empty(), source
        assert_frame_equal(got.sort("institution_no"), want.sort("institution_no"), check_dtypes=False)
