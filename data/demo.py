"""`python -m data demo`: build the synthetic demo municipality into a fresh store.

The store is written to a temporary file and moved into place at the end, so an interrupted
build never leaves a half-filled store behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from data import demo_population as population
from data import demo_programmes as programmes
from data import demo_sources as sources
from data import demo_team as team
from data import operational_store, store, summaries
from data.reference import load_reference_tables, refresh_absence_year, refresh_derived

Progress = Callable[[float, str], None]


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
    con.register("incoming", frame.select([c for c in columns if c in frame.columns]).to_arrow())
    names = ", ".join(c for c in columns if c in frame.columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming")
    con.unregister("incoming")


CHUNK_SCHOOLS = 40  # schools generated and written at a time: a national build stays within memory
BUILD_MEMORY_LIMIT = "3GB"  # DuckDB's share; it spills to disk beyond this
# The operational store's tables the demo replaces: written beside the DuckDB build, school by school
# (OperationalStore.replacing), not after it.
OPERATIONAL_TABLES = (
    "talk",
    "talk_participant",
    "agenda_item",
    "agreement",
    "note",
    "school_project",
    "project_criterion",
    "effort",
    "participation_target",
    "participation_target_history",
    "school_event",
    "competence_area",
    "leaps_course",
    "import_archive_leaps_course",
    *operational_store.PUPIL_WORK_TABLES,
    *operational_store.PUPIL_WORK_ARCHIVES,
)


def _pupil_sources(
    con: duckdb.DuckDBPyConnection,
    params: population.DemoParams,
    schools: pl.DataFrame,
    questions: pl.DataFrame,
    newest: list[str],
    rng: np.random.Generator,
    key_offset: int,
    write_ops: Callable[[dict[str, pl.DataFrame]], None],
    written: dict[str, int],
) -> int:
    """Pupils of some schools and every pupil-level source for them; the team's assessments and
    triangles (operational tables) go to `write_ops`, their row counts added to `written`. Returns the
    next free key number."""
    pupils = population.pupils(params, schools, rng, key_offset)
    students = population.students_by_year(params, pupils, schools, rng)
    _insert(
        con,
        "student",
        students.with_columns(
            gender=pl.when("girl").then(pl.lit("pige")).otherwise(pl.lit("dreng")),
            reception_class=pl.col("in_reception"),
        ),
    )
    # Each pupil-year's place in school order, joined with its school: sorting millions of rows
    # by one integer, not by three texts.
    school_of = (
        students.select("school_year", "student_key", "institution_no")
        .sort("school_year", "institution_no", "student_key", maintain_order=True)
        .with_row_index("school_order")
    )

    def by_school(frame: pl.DataFrame) -> pl.DataFrame:
        """The pupil's school beside each row, in school order (migration 8)."""
        joined = frame.join(school_of, on=["school_year", "student_key"], how="left")
        return joined.sort("school_order", maintain_order=True).drop("school_order")

    _insert(con, "wellbeing_answer", by_school(sources.wellbeing_answers(students, schools, questions, rng)))
    _insert(con, "absence", by_school(sources.absence(students, schools, rng)))
    refresh_absence_year(con, students, summarise=False)
    _insert(con, "national_test", by_school(sources.national_tests(students, schools, rng)))
    grades = sources.exam_grades(students, schools, rng)
    _insert(con, "exam_grade", by_school(grades))
    # The result and absence summaries of these schools; the pupil, class and source summaries need
    # the well-being scores, summed once for every school at the end (refresh_derived).
    summaries.refresh(con, students, ("results", "absence"), dependents=False)
    _insert(con, "socio_reference", sources.socio_reference(grades, students, schools))
    pupil_work = {"pupil_assessment": sources.pupil_assessments(students, rng, newest)}
    # The team's own data (seed 003), drawn with generators of their own so the calibrated sources stay as they are.
    pupil_work["triangle_placement"], pupil_work["triangle_note"] = team.triangles(
        students, newest, params.seed + key_offset
    )
    tests = team.team_tests(students, newest, params.seed + key_offset)
    if not tests.is_empty():
        _insert(con, "team_test_result", tests)
    pupil_work = {table: frame for table, frame in pupil_work.items() if not frame.is_empty()}
    write_ops(pupil_work)
    for table, frame in pupil_work.items():
        written[table] = written.get(table, 0) + frame.height
    return key_offset + len(pupils)


def build(
    path: Path, params: population.DemoParams | None = None, progress: Progress | None = None, replace: bool = False
) -> dict:
    """Build the demo store at `path`, replacing any store there. Returns row counts. With PostgreSQL
    as the operational store (shared by every store), its talks are replaced only when they are all
    of the demo's schools, or with `replace`."""
    params = params or population.DemoParams()
    say = progress or (lambda share, text: None)
    started = time.perf_counter()
    path = Path(path)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    rng = np.random.default_rng(params.seed)
    schools = population.schools(params, rng)
    ops = operational_store.for_store(path)
    if ops.postgresql and not replace:
        _refuse_other_schools(ops, schools)
    con = store.connect(tmp)
    con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")
    try:
        say(0.02, "Skoler")
        con.execute("BEGIN TRANSACTION")
        load_reference_tables(con)
        years = population.year_starts(params)
        _insert(con, "municipality", population.municipalities(params))
        _insert(con, "school", schools)
        _insert(
            con,
            "school_year",
            pl.DataFrame(
                {
                    "school_year": [population.school_year_label(y) for y in years],
                    "start_date": [date(y, 8, 1) for y in years],
                    "end_date": [date(y + 1, 7, 31) for y in years],
                }
            ),
        )
        questions = con.sql("SELECT * FROM wellbeing_question ORDER BY sort_order").pl()
        newest = [population.school_year_label(y) for y in years[-2:]]
        key_offset = 0
        written: dict[str, int] = {}
        # The operational store's transaction runs beside this one and commits when the block ends.
        with ops.replacing(OPERATIONAL_TABLES) as write_ops:
            chunks = range(0, len(schools), CHUNK_SCHOOLS)
            for k, first in enumerate(chunks):
                chunk = schools.slice(first, CHUNK_SCHOOLS)
                say(
                    0.05 + 0.8 * k / len(chunks),
                    f"Elever og målinger, skole {first + 1}–{first + len(chunk)} af {len(schools)}",
                )
                key_offset = _pupil_sources(con, params, chunk, questions, newest, rng, key_offset, write_ops, written)
                # The store is a temporary file until the end, so committing per chunk is safe and
                # keeps a national build's memory flat.
                con.execute("COMMIT")
                con.execute("BEGIN TRANSACTION")
            say(0.86, "Trivselsscorer")
            refresh_derived(con)
            say(0.9, "LEAPS, projekter og samtaler")
            leaps = programmes.leaps_courses(schools, years, rng)
            survey_frame, results = programmes.surveys(schools, years, rng)
            _insert(con, "survey", survey_frame)
            _insert(con, "survey_result", results)
            project_frame, criteria = programmes.projects(survey_frame)
            targets = programmes.participation_targets(schools)
            # The talks and the school's own work; the team's pupil tables were written chunk by chunk.
            write_ops(
                programmes.talks(schools, rng)
                | {
                    "school_project": project_frame,
                    "project_criterion": criteria,
                    "effort": programmes.efforts(schools, years),
                    "participation_target": targets,
                    "participation_target_history": targets,
                    "school_event": team.school_events(schools, newest),
                    "leaps_course": leaps,
                }
            )
            store.set_info(con, "demo", "true")
            store.set_info(con, "built_at", datetime.now().isoformat(timespec="seconds"))
            store.set_info(con, "demo_params", repr(params))
            store.bump_data_version(con)
            con.execute("COMMIT")
            say(0.95, "Gemmer")
            counts = {
                t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("school", "student", "wellbeing_answer", "absence", "national_test", "exam_grade")
            }
            counts |= {
                "leaps_course": leaps.height,
                "survey_result": results.height,
                "pupil_assessment": written.get("pupil_assessment", 0),
            }
            con.execute("CHECKPOINT")
            say(0.97, "Driftsdatabasen: vurderinger, trekanter og samtaler")
    finally:
        con.close()
    os.replace(tmp, path)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    say(1.0, "Færdig")
    return counts


def _refuse_other_schools(ops: operational_store.OperationalStore, schools: pl.DataFrame) -> None:
    """With PostgreSQL (shared by every store), refuse to replace talks of schools that are not the demo's."""
    demo_schools = set(schools["institution_no"].to_list())
    owned = " UNION ".join(
        f"SELECT institution_no FROM {table}"
        for table in ("talk", *operational_store.SCHOOL_TABLES)
        if table != "project_criterion"  # a criterion's school is its project's
    )
    others = [s for (s,) in ops.rows(owned) if s not in demo_schools]
    if others:
        raise operational_store.OperationalStoreError(
            f"driftsdatabasen i DATABLIK_OPS_URL (PostgreSQL) har samtaler for {len(others)} "
            f"{'skole' if len(others) == 1 else 'skoler'}, der ikke er "
            "demoens; demo erstatter dem. Tag en sikkerhedskopi og kør igen med --replace, eller fjern "
            "DATABLIK_OPS_URL."
        )
