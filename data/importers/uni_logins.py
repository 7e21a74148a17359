"""The school's list of UNI-logins beside the pupils' pseudonymous keys, so a team's test sheet that
names pupils by UNI-login can be imported (data/importers/team_tests.py). The logins are never stored:
only the SHA-256 of the store's own random salt and the login (migration 15). A new list for a school
replaces that school's list; a login that moved from another school moves with it."""

from __future__ import annotations

import polars as pl

from data.importers import common
from data.importers.engine import cell_problems
from data.importers.reading import LINE
from data.importers.team_tests import login_hash

TITLE = "UNI-login-liste (til teamets prøveark)"
KEY = ("uni_login",)
TABLES = ("pupil_login",)


def layout(raw) -> str:
    return "uni_logins"


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    with common.registered(cur, "incoming", frame.select(LINE, "institution_no", "student_key")):
        bad = cur.sql(f"""
            SELECT i.{LINE}, i.student_key, i.institution_no FROM incoming i
            WHERE NOT EXISTS (SELECT 1 FROM student s WHERE s.student_key = i.student_key
                              AND s.institution_no = i.institution_no)""").pl()
    return pl.concat(
        [
            common.check_schools(cur, frame, file_name),
            cell_problems(
                file_name,
                bad,
                pl.lit(True),
                "student_key",
                "student_key",
                "eleven findes ikke i elevregistret på den skole. Importér elevregistret først",
            ),
        ]
    )


def scope(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    return (
        frame.group_by("institution_no")
        .agg(pl.len().cast(pl.Int64).alias("rows"))
        .select("institution_no", pl.lit("").alias("school_year"), pl.lit("").alias("part"), "rows")
    )


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    with common.registered(cur, "incoming_logins", frame.select("uni_login")):
        cur.execute(
            f"CREATE TEMP TABLE incoming_login_hash AS SELECT {login_hash('uni_login')} AS h FROM incoming_logins"
        )
    try:
        common.archive_delete(
            cur,
            "pupil_login",
            "institution_no IN (SELECT institution_no FROM import_scope)"
            " OR login_sha256 IN (SELECT h FROM incoming_login_hash)",
        )
    finally:
        cur.execute("DROP TABLE incoming_login_hash")


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    with common.registered(cur, "incoming", frame.select("uni_login", "student_key", "institution_no")):
        cur.execute(
            f"INSERT INTO pupil_login SELECT {login_hash('uni_login')}, student_key, institution_no, ? FROM incoming",
            [batch_id],
        )
