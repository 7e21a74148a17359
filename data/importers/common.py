"""What several sources share: store checks (unknown schools, unknown pupils, future school
years), the scope of a file (its schools and years), writing rows tagged with their batch, and
deleting rows into the archive a rollback restores them from (migration 13)."""

from __future__ import annotations

from contextlib import contextmanager, suppress
from datetime import date

import duckdb
import polars as pl

from data import operational_store, store
from data.importers.engine import cell_problems
from data.importers.reading import LINE

ARCHIVE = "import_archive_"
# The pupil-level tables that keep a copy of the pupil's school that year (migration 8; the team's own
# tests, migration 15), and with the team's assessments and learning triangles (migration 16) every
# table that holds data about a pupil in a school year.
PUPIL_SCHOOL_COPIES = (
    "wellbeing_answer",
    "wellbeing_score",
    "absence",
    "absence_year",
    "national_test",
    "exam_grade",
    "team_test_result",
)
# The team's assessments and learning triangles are about a pupil in a school year too, but live in the
# operational store (DuckDB migration 24): `operational_pupil_rows` finds them, the pupil register
# archives, deletes and restores them there (data/importers/pupils.py).
OPERATIONAL_PUPIL_TABLES = ("pupil_assessment", "triangle_placement", "triangle_note")
PUPIL_TABLES = (*PUPIL_SCHOOL_COPIES, *OPERATIONAL_PUPIL_TABLES)
KEYS_PER_LOOKUP = 500  # pupils named in one operational-store lookup (bound values, never spliced)


def current_school_year(today: date | None = None) -> str:
    today = today or date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


@contextmanager
def registered(cur: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame):
    """The frame visible to SQL as `name` for the duration of the block."""
    cur.register(name, frame.to_arrow())
    try:
        yield
    finally:
        with suppress(duckdb.Error):  # an aborted transaction refuses even this; the rollback cleans up
            cur.unregister(name)


def _with(cur: duckdb.DuckDBPyConnection, frame: pl.DataFrame, sql: str) -> pl.DataFrame:
    with registered(cur, "incoming", frame):
        return cur.sql(sql).pl()


def check_years(frame: pl.DataFrame, file_name: str, header: str = "school_year") -> pl.DataFrame:
    now = current_school_year()
    return cell_problems(
        file_name,
        frame,
        pl.col("school_year") > now,
        "school_year",
        header,
        f"skoleåret ligger efter det nuværende ({now}); tjek året",
    )


def check_schools(cur, frame: pl.DataFrame, file_name: str, column: str = "institution_no") -> pl.DataFrame:
    bad = _with(
        cur,
        frame.select(LINE, column),
        f"""
        SELECT i.{LINE}, i.{column} FROM incoming i
        WHERE i.{column} NOT IN (SELECT institution_no FROM school)""",
    )
    return cell_problems(
        file_name,
        bad,
        pl.lit(True),
        column,
        "institution_no",
        "ukendt skole: institutionsnummeret findes ikke i Datablik. Importér institutionsregistret "
        "(eller ret nummeret)",
    )


def check_pupils(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    """Every pupil must be in the pupil register for that school year, at that school."""
    keys = frame.select(LINE, "school_year", "institution_no", "student_key").unique(
        ["school_year", "student_key", "institution_no"]
    )
    bad = _with(
        cur,
        keys,
        f"""
        SELECT i.{LINE}, i.student_key, s.institution_no AS registered_at
        FROM incoming i LEFT JOIN student s USING (school_year, student_key)
        WHERE s.institution_no IS NULL OR s.institution_no <> i.institution_no""",
    )
    unknown = cell_problems(
        file_name,
        bad,
        pl.col("registered_at").is_null(),
        "student_key",
        "student_key",
        "eleven findes ikke i elevregistret for det skoleår. Importér elevregistret først",
    )
    elsewhere = cell_problems(
        file_name,
        bad,
        pl.col("registered_at").is_not_null(),
        "student_key",
        "student_key",
        "eleven går på en anden skole i elevregistret det skoleår",
    )
    return pl.concat([unknown, elsewhere])


def pupil_checks(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    parts = [check_years(frame, file_name), check_schools(cur, frame, file_name)]
    if all(p.is_empty() for p in parts):
        parts.append(check_pupils(cur, frame, file_name))
    return pl.concat(parts)


def scope(frame: pl.DataFrame, part: str | pl.Expr = "") -> pl.DataFrame:
    part_expr = part if isinstance(part, pl.Expr) else pl.lit(part)
    return frame.group_by("institution_no", "school_year", part_expr.alias("part")).agg(
        pl.len().cast(pl.Int64).alias("rows")
    )


def delete_pupil_rows(cur, table: str) -> None:
    """Remove (into the archive) the rows of every pupil registered at the file's schools in the file's years."""
    archive_delete(
        cur,
        table,
        """(school_year, student_key) IN (
            SELECT s.school_year, s.student_key FROM student s
            JOIN import_scope USING (institution_no, school_year))""",
    )


def _columns(cur, table: str) -> list[tuple[str, str]]:
    return cur.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main'"
        " AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()


def archive_table(cur, table: str) -> list[str]:
    """The columns of `table`, after making sure its archive exists and has each of them."""
    source = _columns(cur, table)
    archived = {name for name, _ in _columns(cur, ARCHIVE + table)}
    if not archived:
        cur.execute(
            f"CREATE TABLE {ARCHIVE}{table} AS SELECT CAST(NULL AS INTEGER) AS archived_by, * FROM {table} LIMIT 0"
        )
    for name, type_ in source:
        if archived and name not in archived:
            cur.execute(f'ALTER TABLE {ARCHIVE}{table} ADD COLUMN "{name}" {type_}')
    return [name for name, _ in source]


def archive_copy(cur, table: str, where: str) -> None:
    """Keep a copy of the rows of `table` where `where` holds in its archive, tagged with the batch being
    written (the registered relation import_current), before that batch changes them."""
    columns = ", ".join(f'"{c}"' for c in archive_table(cur, table))
    cur.execute(
        f"INSERT INTO {ARCHIVE}{table} (archived_by, {columns}) "
        f"SELECT (SELECT batch_id FROM import_current), {columns} FROM {table} WHERE {where}"
    )


def archive_delete(cur, table: str, where: str) -> int:
    """Delete the rows of `table` where `where` holds, keeping them in its archive, so rolling the batch
    being written back restores them."""
    archive_copy(cur, table, where)
    return cur.execute(f"DELETE FROM {table} WHERE {where}").fetchall()[0][0]


def restore(cur, batch_id: int) -> dict[str, int]:
    """Put back every row the batch archived (inside the caller's transaction): rows per table."""
    restored = {}
    archives = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
            " AND starts_with(table_name, ?) ORDER BY 1",
            [ARCHIVE],
        ).fetchall()
    ]
    for archive in archives:
        table = archive.removeprefix(ARCHIVE)
        kept = {name for name, _ in _columns(cur, archive)}
        columns = ", ".join(f'"{c}"' for c in archive_table(cur, table) if c in kept)
        n = cur.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {archive} WHERE archived_by = ?", [batch_id]
        ).fetchall()[0][0]
        if n:
            cur.execute(f"DELETE FROM {archive} WHERE archived_by = ?", [batch_id])
            restored[table] = n
    return restored


def insert(cur, table: str, frame: pl.DataFrame, batch_id: int) -> None:
    columns = [r[0] for r in cur.execute(f"DESCRIBE {table}").fetchall()]
    frame = frame.with_columns(pl.lit(batch_id, pl.Int32).alias("batch_id"))
    if {"school_year", "institution_no"} <= set(frame.columns):
        frame = frame.sort("school_year", "institution_no", maintain_order=True)  # school order (migration 8)
    names = [c for c in columns if c in frame.columns]
    with registered(cur, "incoming", frame.select(names)):
        cur.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM incoming")


def remove_rows(cur, tables: tuple[str, ...], batch_id: int) -> int:
    removed = 0
    for table in tables:
        removed += cur.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id]).fetchall()[0][0]
    return removed


def operational(cur) -> operational_store.OperationalStore:
    """The operational store of the store this cursor writes (also a new version being written)."""
    return operational_store.for_store(store.live_path(store.database_file(cur)))


def operational_pupil_rows(cur, pupils: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The (school_year, student_key) of every row these pupils have in the operational pupil tables,
    one per row, per table: looked up by the pupils named, so the cost follows them, not the store."""
    ops = operational(cur)
    found: dict[str, list[tuple]] = {t: [] for t in OPERATIONAL_PUPIL_TABLES}
    for (year,), part in (
        pupils.select("school_year", "student_key").unique().partition_by("school_year", as_dict=True).items()
    ):
        keys = part["student_key"].to_list()
        for first in range(0, len(keys), KEYS_PER_LOOKUP):
            chunk = keys[first : first + KEYS_PER_LOOKUP]
            marks = ", ".join("?" for _ in chunk)
            for table in OPERATIONAL_PUPIL_TABLES:
                found[table] += ops.rows(
                    f"SELECT school_year, student_key FROM {table} WHERE school_year = ? AND student_key IN ({marks})",
                    [year, *chunk],
                )
    schema = {"school_year": pl.Utf8, "student_key": pl.Utf8}
    return {t: pl.DataFrame(rows, schema=schema, orient="row") for t, rows in found.items()}
