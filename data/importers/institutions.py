"""The institution register export (Institutionsregistret): every school with its number, name,
address and municipality. Only folkeskoler (institution types in mappings/values.csv) that are not
closed are loaded; a school already in Datablik is updated, never duplicated."""

from __future__ import annotations

import csv
from functools import cache

import polars as pl

from data.importers import common
from data.importers.engine import cell_problems
from data.importers.fields import values
from data.reference import REFERENCE_DIR

TITLE = "Institutionsregistret"
KEY = ("institution_no",)
TABLES = ("school",)


@cache
def municipalities() -> dict[str, str]:
    with open(REFERENCE_DIR / "municipalities.csv", encoding="utf-8", newline="") as f:
        return {r["kommunekode"]: r["kommune"] for r in csv.DictReader(f, delimiter=";")}


def municipality_code(text: str | None, known: dict[str, str]) -> str | None:
    """'Københavns Kommune', 'København', 'Bornholms Regionskommune' or '101' -> '101'."""
    if text is None:
        return None
    text = text.strip()
    if text.isdigit():
        code = text.zfill(3)
        return code if code in known else None
    name = text.removesuffix(" Regionskommune").removesuffix(" Kommune").strip().casefold()
    by_name = {n.casefold(): c for c, n in known.items()}
    return by_name.get(name) or (by_name.get(name[:-1]) if name.endswith("s") else None)


def _known(cur) -> dict[str, str]:
    """The 98 municipalities, and any the store already has (the demo's)."""
    return municipalities() | dict(cur.execute("SELECT code, name FROM municipality").fetchall())


def layout(raw) -> str:
    return "institutions"


def _schools(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows to load: schools of a known type (values.csv) that are not closed."""
    closed = pl.col("closed_on").is_not_null() if "closed_on" in frame.columns else pl.lit(False)
    kind = (
        pl.col("type_no")
        .str.replace(r"\.0$", "")
        .replace_strict(values("institution_type"), default=None, return_dtype=pl.String)
    )
    return frame.with_columns(kind.alias("school_type")).filter(pl.col("school_type").is_not_null() & ~closed)


def _kept(frame: pl.DataFrame, known: dict[str, str]) -> pl.DataFrame:
    schools = _schools(frame)
    codes = {text: municipality_code(text, known) for text in schools["municipality"].unique().drop_nulls().to_list()}
    return schools.with_columns(
        pl.col("municipality").replace_strict(codes, default=None, return_dtype=pl.String).alias("municipality_code")
    )


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    kept = _kept(frame, _known(cur))
    moved = common._with(
        cur,
        kept.select(common.LINE, "institution_no", "municipality", "municipality_code"),
        """
        SELECT i.* FROM incoming i JOIN school s USING (institution_no)
        WHERE s.municipality_code <> i.municipality_code
          AND (institution_no IN (SELECT institution_no FROM student)
               OR institution_no IN (SELECT institution_no FROM published_school_figure))""",
    )
    return pl.concat(
        [
            cell_problems(
                file_name,
                kept,
                pl.col("municipality_code").is_null(),
                "municipality",
                "municipality",
                "ukendt kommune (hverken et kendt kommunenavn eller en 3-cifret kode)",
            ),
            cell_problems(
                file_name,
                moved,
                pl.lit(True),
                "municipality",
                "municipality",
                "skolen ligger i en anden kommune i Datablik og har allerede elever eller tal; "
                "en kommunesammenlægning kræver en manuel flytning (kontakt driften)",
            ),
        ]
    )


def scope(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    return _schools(frame).select(
        "institution_no", pl.lit("").alias("school_year"), pl.lit("").alias("part"), pl.lit(1, pl.Int64).alias("rows")
    )


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    """Schools are updated in place by `insert` (pupils and figures refer to them)."""


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    known = _known(cur)
    kept = _kept(frame, known)
    if kept.is_empty():
        return
    address = pl.concat_str(
        [pl.col(c) if c in kept.columns else pl.lit(None, pl.String) for c in ("street", "postcode", "post_district")],
        separator=" ",
        ignore_nulls=True,
    )
    municipality_rows = pl.DataFrame({"code": list(known), "name": list(known.values())})
    with common.registered(
        cur,
        "incoming_municipalities",
        municipality_rows.filter(pl.col("code").is_in(kept["municipality_code"].unique().to_list())),
    ):
        cur.execute("INSERT INTO municipality SELECT code, name FROM incoming_municipalities ON CONFLICT DO NOTHING")
    rows = kept.select(
        "institution_no",
        "name",
        "municipality_code",
        "school_type",
        address.str.replace(r"^(.+?) (\d{4})", "$1, $2").alias("address"),
    )
    with common.registered(cur, "incoming", rows):
        # The schools this register changes, as they were: a rollback puts them back (remove_batch).
        common.archive_copy(cur, "school", "institution_no IN (SELECT institution_no FROM incoming)")
        # New schools are inserted and known ones updated in place: DuckDB refuses an upsert on a
        # row that pupils refer to (it would be a delete and an insert).
        cur.execute(f"""
            INSERT INTO school (institution_no, name, municipality_code, school_type, in_leaps, address, batch_id)
            SELECT institution_no, name, municipality_code, school_type, false, address, {int(batch_id)} FROM incoming
            WHERE institution_no NOT IN (SELECT institution_no FROM school)""")
        cur.execute(f"""
            UPDATE school SET name = i.name, school_type = i.school_type, address = i.address,
                batch_id = {int(batch_id)}
            FROM incoming i WHERE school.institution_no = i.institution_no""")
        # DuckDB cannot change a key column of a referenced row; `check` refuses that case for
        # schools with pupils, so this only moves schools nobody refers to yet.
        cur.execute("""
            UPDATE school SET municipality_code = i.municipality_code
            FROM incoming i WHERE school.institution_no = i.institution_no
              AND school.municipality_code <> i.municipality_code""")


def remove_batch(cur, batch_id: int) -> int:
    """Schools the batch changed get their earlier name, type, address and municipality back; schools it
    added are removed unless pupils or figures refer to them."""
    archive = common.ARCHIVE + "school"
    common.archive_table(cur, "school")
    restored = cur.execute(
        f"""
        UPDATE school SET name = a.name, school_type = a.school_type, address = a.address, in_leaps = a.in_leaps,
            batch_id = a.batch_id
        FROM {archive} a WHERE a.archived_by = ? AND school.institution_no = a.institution_no""",
        [batch_id],
    ).fetchall()[0][0]
    cur.execute(
        f"""
        UPDATE school SET municipality_code = a.municipality_code
        FROM {archive} a WHERE a.archived_by = ? AND school.institution_no = a.institution_no
          AND school.municipality_code <> a.municipality_code""",
        [batch_id],
    )
    cur.execute(f"DELETE FROM {archive} WHERE archived_by = ?", [batch_id])
    return (
        restored
        + cur.execute(
            """
        DELETE FROM school WHERE batch_id = ?
          AND institution_no NOT IN (SELECT institution_no FROM student)
          AND institution_no NOT IN (SELECT institution_no FROM published_school_figure)""",
            [batch_id],
        ).fetchall()[0][0]
    )
