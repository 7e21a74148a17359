"""The institution register export (Institutionsregistret): every school with its number, name,
address and municipality. Only folkeskoler (institution types in mappings/values.csv) that are not
closed are loaded; a school already in Datablik is updated, never duplicated."""
from __future__ import annotations

import csv
from functools import cache

import polars as pl

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


def municipality_code(text: str | None) -> str | None:
    """'Københavns Kommune', 'København', 'Bornholms Regionskommune' or '101' -> '101'."""
    if text is None:
        return None
    text = text.strip()
    if text.isdigit():
        code = text.zfill(3)
        return code if code in municipalities() else None
    name = text.removesuffix(" Regionskommune").removesuffix(" Kommune").strip().casefold()
    by_name = {n.casefold(): c for c, n in municipalities().items()}
    return by_name.get(name) or (by_name.get(name[:-1]) if name.endswith("s") else None)


def layout(raw) -> str:
    return "institutions"


def _with_codes(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("municipality").map_elements(municipality_code, return_dtype=pl.String)
                              .alias("municipality_code"),
                              pl.col("type_no").str.replace(r"\.0$", "").replace_strict(
                                  values("institution_type"), default=None, return_dtype=pl.String)
                              .alias("school_type"))


def _kept(frame: pl.DataFrame) -> pl.DataFrame:
    closed = pl.col("closed_on").is_not_null() if "closed_on" in frame.columns else pl.lit(False)
    return _with_codes(frame).filter(pl.col("school_type").is_not_null() & ~closed)


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    kept = _kept(frame)
    return cell_problems(file_name, kept, pl.col("municipality_code").is_null(), "municipality",
                         "Beliggenhedskommune", "ukendt kommune (hverken et kendt kommunenavn eller en 3-cifret kode)")


def scope(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    return _kept(frame).select("institution_no", pl.lit("").alias("school_year"), pl.lit("").alias("part"),
                               pl.lit(1, pl.Int64).alias("rows"))


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    """Schools are updated in place by `insert` (pupils and figures refer to them)."""


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    kept = _kept(frame)
    if kept.is_empty():
        return
    address = pl.concat_str([pl.col(c) if c in kept.columns else pl.lit(None, pl.String)
                             for c in ("street", "postcode", "post_district")], separator=" ", ignore_nulls=True)
    municipality_rows = pl.DataFrame({"code": list(municipalities()), "name": list(municipalities().values())})
    cur.register("incoming_municipalities", municipality_rows.filter(
        pl.col("code").is_in(kept["municipality_code"].unique().to_list())).to_arrow())
    cur.execute("INSERT INTO municipality SELECT code, name FROM incoming_municipalities ON CONFLICT DO NOTHING")
    cur.unregister("incoming_municipalities")
    rows = kept.select("institution_no", "name", "municipality_code", "school_type",
                       address.str.replace(r"^(.+?) (\d{4})", "$1, $2").alias("address"))
    cur.register("incoming", rows.to_arrow())
    try:
        cur.execute(f"""
            INSERT INTO school (institution_no, name, municipality_code, school_type, in_leaps, address, batch_id)
            SELECT institution_no, name, municipality_code, school_type, false, address, {int(batch_id)} FROM incoming
            ON CONFLICT (institution_no) DO UPDATE SET name = excluded.name, municipality_code = excluded.municipality_code,
                school_type = excluded.school_type, address = excluded.address, batch_id = excluded.batch_id""")
    finally:
        cur.unregister("incoming")


def remove_batch(cur, batch_id: int) -> int:
    """Schools the batch added are removed unless pupils or figures refer to them."""
    return cur.execute("""
        DELETE FROM school WHERE batch_id = ?
          AND institution_no NOT IN (SELECT institution_no FROM student)
          AND institution_no NOT IN (SELECT institution_no FROM published_school_figure)""", [batch_id]).fetchall()[0][0]
