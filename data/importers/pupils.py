"""The pupil register: one row per pupil and school year (pseudonymous key, never CPR).

A register file is the whole register for its schools and school years. Pupils registered there
whom the file leaves out are removed; if any of them has data (answers, absence, results,
assessments), the file is refused with the count unless it is imported as an explicit replacement,
which removes their data too. A pupil the file places at another school moves, and the copies of
the pupil's school in the pupil-level tables move with them that year. Everything deleted is
archived with the batch (common.archive_delete), so rolling it back restores the store as it was.

The team's assessments and learning triangles live in the operational store (DuckDB migration 24):
a replacement's archive copies and deletes of them there wait on the import's cursor (`audit.later`)
and run in the operational transaction that commits with its DuckDB transaction; a rollback restores
them from the operational archive the same way (`after_restore`). Both stores change, or neither."""

from __future__ import annotations

import polars as pl

from data import audit, summaries
from data.importers import common
from data.importers.engine import problems_frame, thousands

TITLE = "Elevregister"
KEY = ("school_year", "student_key")
TABLES = ("student",)
# What a pupil's data is called in the refusal, per table (the derived tables are left out).
DATA_WORDS = {
    "wellbeing_answer": "trivselssvar",
    "absence": "fraværsmåneder",
    "national_test": "testresultater",
    "exam_grade": "prøvekarakterer",
    "pupil_assessment": "vurderinger fra teamet",
    "team_test_result": "opgaver i teamets prøver",
    "triangle_placement": "placeringer i læringstrekanter",
}
_LEFT_OUT = """(school_year, student_key) IN (
    SELECT s.school_year, s.student_key FROM student s JOIN {scope} USING (institution_no, school_year)
    WHERE (s.school_year, s.student_key) NOT IN (SELECT school_year, student_key FROM incoming_pupils))"""


def layout(raw) -> str:
    return "pupils"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return pl.concat([common.check_years(frame, file_name), common.check_schools(cur, frame, file_name)])


def _keys(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("school_year", "institution_no", "student_key").drop_nulls()


def _with_data(cur, where: str) -> tuple[pl.DataFrame, int, dict[str, int]]:
    """The pupils of the register where `where` holds, of them with data (in either store), data rows per table."""
    pupils = cur.sql(f"SELECT school_year, student_key FROM student WHERE {where}").pl()
    if pupils.is_empty():
        return pupils, 0, {}
    held = common.operational_pupil_rows(cur, pupils)
    copies = common.PUPIL_SCHOOL_COPIES
    union = " UNION ".join(f"SELECT school_year, student_key FROM {t} WHERE {where}" for t in copies)
    keyed = [cur.sql(union).pl(), *held.values()]
    with_data = pl.concat([k.select("school_year", "student_key") for k in keyed], how="vertical_relaxed")
    rows = {
        t: held[t].height if t in held else cur.execute(f"SELECT count(*) FROM {t} WHERE {where}").fetchall()[0][0]
        for t in DATA_WORDS
    }
    return pupils, with_data.unique().height, rows


def _left_out(cur, scope: str) -> tuple[int, int, dict[str, int]]:
    """(pupils the file leaves out at its schools and years, of them with data, data rows per table)."""
    pupils, with_data, rows = _with_data(cur, _LEFT_OUT.format(scope=scope))
    return pupils.height, with_data, rows


def _archive_delete_operational(cur, pupils: pl.DataFrame) -> None:
    """These pupils' assessments and triangles leave the operational store, kept in its archive under
    the batch being written, in the operational transaction that commits with this import."""
    ops = common.operational(cur)
    batch_id = cur.execute("SELECT batch_id FROM import_current").fetchall()[0][0]
    pairs = pupils.select("school_year", "student_key").unique().rows()

    def work(ocur) -> None:
        for table in common.OPERATIONAL_PUPIL_TABLES:
            columns = ", ".join(f'"{name}"' for name, _ in ops.columns(table))
            ocur.executemany(
                f"INSERT INTO {common.ARCHIVE}{table} (archived_by, {columns}) "
                f"SELECT ?, {columns} FROM {table} WHERE school_year = ? AND student_key = ?",
                [(batch_id, year, key) for year, key in pairs],
            )
            ocur.executemany(f"DELETE FROM {table} WHERE school_year = ? AND student_key = ?", pairs)

    audit.later(cur, work)


def _moved(cur) -> int:
    return cur.execute(
        "SELECT count(*) FROM student s JOIN incoming_pupils i USING (school_year, student_key)"
        " WHERE s.institution_no <> i.institution_no"
    ).fetchall()[0][0]


def changes(cur, frame: pl.DataFrame, file_name: str, replacement: bool) -> tuple[pl.DataFrame, list[str]]:
    """Before anything is written: refuse a register that would remove pupils who have data (unless it
    is a replacement), and say what the import removes and moves."""
    keys = _keys(frame)
    with (
        common.registered(cur, "incoming_pupils", keys),
        common.registered(cur, "incoming_scope", keys.select("institution_no", "school_year").unique()),
    ):
        pupils, with_data, rows = _left_out(cur, "incoming_scope")
        moved = _moved(cur)
    notes, problems = [], []
    data = ", ".join(f"{thousands(n)} {DATA_WORDS[t]}" for t, n in rows.items() if n)
    if with_data and not replacement:
        problems.append(
            {
                "file": file_name,
                "line": None,
                "column": None,
                "value": None,
                "message": f"filen ville fjerne {thousands(pupils)} elever fra elevregistret for sine skoler "
                f"og skoleår, og {thousands(with_data)} elever af dem har data i Datablik ({data}). Er filen kun "
                "en del af registret, så importér hele registret for skolen og skoleåret. Skal eleverne og alle "
                "deres data fjernes, så importér filen som erstatning: sæt flueben i »Erstat elevregistret« "
                "på Data-skærmen, eller brug --erstat på kommandolinjen. En erstatning kan rulles tilbage.",
            }
        )
    elif with_data:
        notes.append(
            f"Erstatning: {thousands(pupils)} elever, som ikke står i filen, fjernes med alle deres data "
            f"({data}). Det kan rulles tilbage."
        )
    elif pupils:
        notes.append(
            f"{thousands(pupils)} elever, som ikke står i filen, fjernes fra registret for filens skoler og "
            "skoleår (de har ingen data)."
        )
    if moved:
        notes.append(
            f"{thousands(moved)} elever skifter skole; deres svar, fravær og resultater det skoleår flytter "
            "med til den nye skole."
        )
    return problems_frame(problems), notes


def replace(cur, frame: pl.DataFrame, layout: str) -> str:
    keys = _keys(frame)
    with common.registered(cur, "incoming_pupils", keys):
        replacement = cur.execute("SELECT replacement FROM import_current").fetchall()[0][0]
        pupils, with_data, _ = _left_out(cur, "import_scope")
        if with_data and not replacement:  # data came in after the check: refuse rather than delete it
            from data.importers.engine import ImportRefused

            raise ImportRefused(
                f"Elevregistret ville nu fjerne {thousands(with_data)} elever med data; intet er "
                "importeret. Kontrollér filen igen."
            )
        if with_data:  # the left-out pupils' data goes with them (only in a replacement)
            left_out = cur.sql(
                f"SELECT school_year, student_key FROM student WHERE {_LEFT_OUT.format(scope='import_scope')}"
            ).pl()
            _archive_delete_operational(cur, left_out)
            with common.registered(cur, "left_out_pupils", left_out):
                for table in common.PUPIL_SCHOOL_COPIES:
                    common.archive_delete(
                        cur,
                        table,
                        "(school_year, student_key) IN (SELECT school_year, student_key FROM left_out_pupils)",
                    )
        moved = _moved(cur)
        if moved:  # the schools they leave lose them from their result summaries
            summaries.mark(
                cur,
                "SELECT s.institution_no, s.school_year FROM student s"
                " JOIN incoming_pupils i USING (school_year, student_key)"
                " WHERE s.institution_no <> i.institution_no",
            )
            movers = cur.sql(
                "SELECT school_year, student_key, i.institution_no FROM student s"
                " JOIN incoming_pupils i USING (school_year, student_key)"
                " WHERE s.institution_no <> i.institution_no"
            ).pl()
            with common.registered(cur, "moved_pupils", movers):
                for table in common.PUPIL_SCHOOL_COPIES:  # a moved pupil's rows follow the pupil that year
                    cur.execute(f"""
                        UPDATE {table} SET institution_no = m.institution_no FROM moved_pupils m
                        WHERE {table}.school_year = m.school_year AND {table}.student_key = m.student_key
                          AND {table}.institution_no IS DISTINCT FROM m.institution_no""")
        common.archive_delete(
            cur,
            "student",
            """(institution_no, school_year) IN
            (SELECT institution_no, school_year FROM import_scope)
            OR (school_year, student_key) IN (SELECT school_year, student_key FROM incoming_pupils)""",
        )
    said = []
    if pupils:
        said.append(f"{thousands(pupils)} elever fjernet" + (" med deres data" if with_data else ""))
    if moved:
        said.append(f"{thousands(moved)} elever flyttet til en anden skole")
    return "; ".join(said)


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    defaults = {"bilingual": False, "special_class": False, "reception_class": False, "reduced_timetable": False}
    frame = frame.with_columns(
        [pl.col(c).fill_null(v) if c in frame.columns else pl.lit(v).alias(c) for c, v in defaults.items()]
        + [
            pl.col("months_enrolled").fill_null(11).cast(pl.Int8)
            if "months_enrolled" in frame.columns
            else pl.lit(11, pl.Int8).alias("months_enrolled")
        ]
    )
    common.insert(cur, "student", frame, batch_id)


def remove_batch(cur, batch_id: int) -> int:
    """The batch's pupils go; the engine then restores what it replaced, and after_restore puts the
    copies of the pupils' schools back as the restored register says. Refused while pupils only this
    batch registered have data (a later import, the team's assessments): that data would be orphaned."""
    common.archive_table(cur, "student")
    batch = int(batch_id)
    new = f"""(school_year, student_key) IN (SELECT school_year, student_key FROM student WHERE batch_id = {batch}
        AND (school_year, student_key) NOT IN (SELECT school_year, student_key FROM {common.ARCHIVE}student
                                               WHERE archived_by = {batch}))"""
    _, _, rows = _with_data(cur, new)
    if any(rows.values()):
        from data.importers.engine import ImportRefused

        data = ", ".join(f"{thousands(n)} {DATA_WORDS[t]}" for t, n in rows.items() if n)
        raise ImportRefused(
            f"Parti {batch_id} kan ikke rulles tilbage: elever, som kun det bragte ind, har data, "
            f"der ellers ville miste deres elev ({data}). Rul de senere importer tilbage først."
        )
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE rolled_back_pupils AS"
        " SELECT school_year, student_key FROM student WHERE batch_id = ?",
        [batch_id],
    )
    return common.remove_rows(cur, TABLES, batch_id)


def after_restore(cur, batch_id: int, restored: dict[str, int]) -> None:
    _restore_operational(cur, batch_id, restored)
    summaries.mark(
        cur,
        "SELECT s.institution_no, s.school_year FROM rolled_back_pupils r"  # schools they return to
        " JOIN student s USING (school_year, student_key)",
    )
    for table in common.PUPIL_SCHOOL_COPIES:
        cur.execute(f"""
            UPDATE {table} SET institution_no = k.institution_no
            FROM (SELECT r.school_year, r.student_key, s.institution_no FROM rolled_back_pupils r
                  LEFT JOIN student s USING (school_year, student_key)) k
            WHERE {table}.school_year = k.school_year AND {table}.student_key = k.student_key
              AND {table}.institution_no IS DISTINCT FROM k.institution_no""")
    cur.execute("DROP TABLE rolled_back_pupils")


def _restore_operational(cur, batch_id: int, restored: dict[str, int]) -> None:
    """A rollback: the assessments and triangles the batch removed come back from the operational
    archive, in the operational transaction of the rollback."""
    ops = common.operational(cur)
    back = {}
    for table in common.OPERATIONAL_PUPIL_TABLES:
        (kept,) = ops.rows(f"SELECT count(*) FROM {common.ARCHIVE}{table} WHERE archived_by = ?", [batch_id])[0]
        if kept:
            back[table] = kept
    if not back:
        return

    def work(ocur) -> None:
        for table in back:
            columns = ", ".join(f'"{name}"' for name, _ in ops.columns(table))
            ocur.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {common.ARCHIVE}{table} WHERE archived_by = ?",
                [batch_id],
            )
            ocur.execute(f"DELETE FROM {common.ARCHIVE}{table} WHERE archived_by = ?", [batch_id])

    audit.later(cur, work)
    for table, n in back.items():
        restored[table] = restored.get(table, 0) + n
