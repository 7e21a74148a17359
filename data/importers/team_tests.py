"""The team's own test spreadsheet, as teams keep it (seed 003, Ullerup Bæk Skole): a title row with
the test's name and one with its date, then a header row of subject areas (an area spanning several
columns as merged cells in Excel, or written once and followed by empty cells in a CSV), a row of
signal words, a row of task numbers whose first cell says what identifies the pupils (pupil key or
UNI-login), optionally a row "Maks" with the maximum per task, then one row per pupil with points per
task. An Excel workbook may hold several tests, one sheet each; a CSV holds one.

    Prøve;Matematik, januar
    Dato;15.01.2026
    Fagligt område;Matematik i anvendelse;;;Funktioner;
    Signalord;Vis;Hvor mange;Skriv;Undersøg;Beskriv
    Opgave nr./uni-login;1.1;1.2;1.3;2.1;2.2
    Maks;3;2;2;3;2
    E0001;3;2;0;3;0

`read` turns that into a long table (one row per pupil and task) that the engine checks like any file:
CPR-shaped values anywhere, types, duplicates, and then `check` against the store (the pupil must be in
the register the school year of the test's date; points may not exceed the maximum). The school and
grade are the pupil's in the register; a missing maximum is the highest points any pupil got."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import polars as pl

from data.importers import common
from data.importers.engine import CPR_MESSAGE, cell_problems, problems_frame
from data.importers.fields import normalise
from data.importers.parsing import is_cpr_text
from data.importers.reading import LINE, FileRefused, RawTable, _cell_text, _check_zip, _decode, _delimiter, _n

TITLE = "Teamets egne prøver (opgave for opgave)"
KEY = ("test_name", "taken_on", "pupil", "task_no")
TABLES = ("team_test_result",)
MAX_FILE_MB = 5  # a team's workbook is a few hundred kB; a larger one is not one
MAX_SHEETS = 40
MAX_PUPILS = 1_000  # rows per sheet
MAX_TASKS = 300  # task columns per sheet

NAME_LABELS = {"prøve", "prøvensnavn", "test", "testnavn", "prøvenavn"}
DATE_LABELS = {"dato", "testdato", "prøvedato", "gennemført"}
SUBJECT_LABELS = {"fag"}
AREA_LABELS = {"fagligtområde", "fagområde", "område", "fagligeområder"}
SIGNAL_LABELS = {"signalord", "signalordet"}
MAX_LABELS = {"maks", "makspoint", "max", "maxpoint", "maksimum", "højestmulige"}
KEY_WORDS = ("opgave", "elevnøgle", "elevnoegle", "elevid", "pseudonym", "unilogin", "elev")


def layout(raw) -> str:
    return "team_tests"


def _label(cell: str | None) -> str:
    return normalise(unicodedata.normalize("NFKC", cell or ""))


def _too_big(file_name: str) -> FileRefused:
    return FileRefused(
        f"{file_name}: filen fylder over {_n(MAX_FILE_MB)} MB; et prøveark er meget mindre. "
        "Tjek, at det er teamets prøveark."
    )


def read(file_name: str, data: bytes) -> RawTable:
    """Every sheet (or the CSV) as one long table of text cells: a row per pupil and task."""
    if len(data) > MAX_FILE_MB * 1_000_000:
        raise _too_big(file_name)
    if not data.strip():
        raise FileRefused(f"{file_name}: filen er tom.")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(f"{file_name}: det gamle Excel-format (.xls) kan ikke læses. Gem filen som .xlsx eller CSV.")
    sheets = _xlsx_sheets(file_name, data) if data[:4] == b"PK\x03\x04" else [("", _csv_rows(file_name, data))]
    parts, notes = [], []
    for title, rows in sheets:
        where = f"{file_name}, arket »{title}«" if title else file_name
        _refuse_cpr(where, rows)
        if not any(any(c is not None for c in row) for row in rows):
            continue  # an empty sheet (Excel's Ark2, Ark3)
        frame, said = _sheet(where, title, rows)
        parts.append(frame)
        notes += said
    if not parts:
        raise FileRefused(f"{file_name}: regnearket er tomt.")
    frame = pl.concat(parts)
    kind = "Excel (.xlsx)" if sheets[0][0] else "CSV"
    described = f"{kind}, teamets prøveark: {len(parts)} prøve(r), {frame['Elev'].n_unique()} elever"
    return RawTable(file_name, frame, True, described, notes)


def _xlsx_sheets(file_name: str, data: bytes) -> list[tuple[str, list[list[str | None]]]]:
    from openpyxl import load_workbook

    _check_zip(file_name, data)
    try:
        # Not read-only: the merged ranges of the header rows are needed. data_only: a formula is never
        # evaluated here, only its last saved value is read (an unsaved formula reads as empty).
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(f"{file_name}: Excel-filen kan ikke åbnes; den kan være beskadiget.") from exc
    if len(book.worksheets) > MAX_SHEETS:
        raise FileRefused(
            f"{file_name}: arbejdsbogen har {len(book.worksheets)} ark; højst {MAX_SHEETS} prøver i én fil."
        )
    sheets = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_PUPILS + 20 or sheet.max_column > MAX_TASKS + 1:
            raise FileRefused(
                f"{file_name}, arket »{sheet.title}«: arket har {sheet.max_row} rækker og "
                f"{sheet.max_column} kolonner; et prøveark har højst {MAX_PUPILS} elever og "
                f"{MAX_TASKS} opgaver."
            )
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:  # a merged cell's value belongs to every column it spans
            value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else None
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = value
        sheets.append((sheet.title, rows))
    book.close()
    return sheets


def _csv_rows(file_name: str, data: bytes) -> list[list[str | None]]:
    text, _ = _decode(file_name, data)
    lines = text.splitlines()
    if len(lines) > MAX_PUPILS + 20:
        raise FileRefused(f"{file_name}: filen har {len(lines)} linjer; et prøveark har højst {MAX_PUPILS} elever.")
    delimiter = _delimiter(max(lines[:10], key=lambda s: max(s.count(";"), s.count("\t"), s.count(","))))
    rows = [[_cell_text(v) for v in row] for row in csv.reader(lines, delimiter=delimiter)]
    if any(len(row) > MAX_TASKS + 1 for row in rows):
        raise FileRefused(f"{file_name}: en linje har over {MAX_TASKS} opgaver.")
    return rows


def _refuse_cpr(where: str, rows: list[list[str | None]]) -> None:
    """A CPR-shaped value anywhere in the sheet (a note beside the table too) refuses the file, by cell."""
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if cell is not None and is_cpr_text(cell):
                raise FileRefused(f"{where}, celle {_column_letter(c)}{r}: værdien " + CPR_MESSAGE)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _value_after_label(row: list[str | None]) -> str | None:
    return next((c for c in row[1:] if c is not None), None)


def _sheet(where: str, title: str, rows: list[list[str | None]]) -> tuple[pl.DataFrame, list[str]]:
    meta: dict[str, str | None] = {"name": None, "date": None, "subject": None}
    area_row = signal_row = task_row = max_row = None
    task_index = None
    for i, row in enumerate(rows):
        label = _label(row[0] if row else None)
        if task_index is not None:
            if label in MAX_LABELS and max_row is None and i == task_index + 1:
                max_row = row
            continue
        if label in NAME_LABELS:
            meta["name"] = _value_after_label(row)
        elif label in DATE_LABELS:
            meta["date"] = _value_after_label(row)
        elif label in SUBJECT_LABELS:
            meta["subject"] = _value_after_label(row)
        elif label in AREA_LABELS:
            area_row = row
        elif label in SIGNAL_LABELS:
            signal_row = row
        elif label and any(label.startswith(w) for w in KEY_WORDS) and area_row is not None:
            task_row, task_index = row, i
    missing = [
        what
        for what, found in (
            ("en række »Prøve« med prøvens navn", meta["name"]),
            ("en række »Dato« med prøvens dato", meta["date"]),
            ("en række »Fagligt område«", area_row),
            ("en række »Signalord«", signal_row),
            (
                "en række med opgavenumrene (første celle »Opgave nr.«, »Elevnøgle« "
                "eller »UNI-login«) under signalordene",
                task_row,
            ),
        )
        if not found
    ]
    if missing:
        raise FileRefused(f"{where}: arket ligner ikke teamets prøveark; der mangler " + ", ".join(missing) + ".")
    columns = [c for c in range(1, len(task_row)) if task_row[c] is not None]
    if not columns:
        raise FileRefused(f"{where}: rækken med opgavenumre har ingen opgaver.")
    problems, tasks, area = [], [], None
    for c in columns:
        cell = area_row[c] if c < len(area_row) else None
        area = cell if cell is not None else area  # written once over the tasks it spans (CSV)
        signal = signal_row[c] if c < len(signal_row) else None
        letter = f"{_column_letter(c)}{task_index + 1}"
        if area is None:
            problems.append(f"opgave {task_row[c]} ({letter}) har intet fagligt område")
        if signal is None:
            problems.append(f"opgave {task_row[c]} ({letter}) har intet signalord")
        given = max_row[c] if max_row is not None and c < len(max_row) else None
        if given is not None and (not re.fullmatch(r"\d+([,.]\d+)?", given) or not float(given.replace(",", "."))):
            problems.append(
                f"maks for opgave {task_row[c]} ({_column_letter(c)}{task_index + 2}) skal være et "
                f"positivt tal, ikke »{given}«"
            )
        tasks.append((c, task_row[c], area, signal, given))
    numbers = [t[1] for t in tasks]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        problems.append("samme opgavenummer står flere gange: " + ", ".join(twice))
    first = task_index + (2 if max_row is not None else 1)
    outside = [
        f"{_column_letter(c)}{r + 1}"
        for r in range(first, len(rows))
        for c in range(len(rows[r]))
        if rows[r][c] is not None and c > 0 and c not in columns
    ]
    if outside:
        problems.append("der står noget i kolonner uden opgavenummer: " + ", ".join(outside[:5]))
    if problems:
        raise FileRefused(f"{where}: " + "; ".join(problems) + ". Intet er importeret.")
    records, seen, skipped = [], {}, 0
    for r in range(first, len(rows)):
        row = rows[r]
        pupil = row[0] if row else None
        cells = [row[c] if c < len(row) else None for c in columns]
        if pupil is None and all(v is None for v in cells):
            continue
        if all(v is None for v in cells):
            skipped += 1  # the pupil did not take the test: no row
            continue
        if pupil is not None and pupil in seen:
            raise FileRefused(
                f"{where}, linje {r + 1}: eleven »{pupil}« står også i linje {seen[pupil]}. Intet er importeret."
            )
        if pupil is not None:
            seen[pupil] = r + 1
        for place, ((_, number, area_name, signal, given), points) in enumerate(zip(tasks, cells, strict=True), 1):
            records.append(
                {
                    LINE: r + 1,
                    "Ark": title or None,
                    "Prøve": meta["name"],
                    "Dato": meta["date"],
                    "Fag": meta["subject"],
                    "Fagligt område": area_name,
                    "Signalord": signal,
                    "Opgave": number,
                    "Opgavens plads": str(place),
                    "Maks point": given,
                    "Elev": pupil,
                    "Point": points,
                }
            )
    if not records:
        raise FileRefused(f"{where}: arket har ingen elever med point.")
    notes = (
        [f"{where}: {skipped} elev(er) uden point i nogen opgave er sprunget over (tog ikke prøven)."]
        if skipped
        else []
    )
    if max_row is None:
        notes.append(
            f"{where}: ingen række »Maks«; det højeste point, en elev har fået i opgaven, bruges som maksimum."
        )
    schema = {LINE: pl.Int64} | dict.fromkeys(list(records[0])[1:], pl.String)
    return pl.DataFrame(records, schema=schema), notes


def login_hash(column: str) -> str:
    """SQL for the stored hash of a UNI-login: SHA-256 of the store's salt and the login in lower case."""
    return f"sha256((SELECT value FROM store_info WHERE key = 'login_salt') || lower({column}))"


def _school_year(taken_on: pl.Expr) -> pl.Expr:
    start = pl.when(taken_on.dt.month() >= 8).then(taken_on.dt.year()).otherwise(taken_on.dt.year() - 1)
    return start.cast(pl.String) + "/" + ((start + 1) % 100).cast(pl.String).str.zfill(2)


def _keyed(cur, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with school year, the pupil's key and the pupil's school and grade in the register that
    year (null where the pupil is unknown). The first column is the pupil key or, where no pupil has that
    key, a UNI-login, looked up by its hash."""
    frame = frame.with_columns(_school_year(pl.col("taken_on")).alias("school_year"))
    with common.registered(cur, "incoming", frame):
        return cur.sql(f"""
            SELECT i.*, st.student_key, st.institution_no, st.grade
            FROM incoming i
            LEFT JOIN student k ON k.school_year = i.school_year AND k.student_key = i.pupil
            LEFT JOIN pupil_login pl ON k.student_key IS NULL AND pl.login_sha256 = {login_hash("i.pupil")}
            LEFT JOIN student st ON st.school_year = i.school_year
                 AND st.student_key = coalesce(k.student_key, pl.student_key)
            ORDER BY i.{LINE}, i.task_order""").pl()


def _number(column: str) -> pl.Expr:
    """Points as a Danish reader writes them: 2, 1,5."""
    c = pl.col(column)
    return (
        pl.when(c == c.round(0))
        .then(c.cast(pl.Int64).cast(pl.String))
        .otherwise(c.cast(pl.String).str.replace(".", ",", literal=True))
    )


def check(cur, frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    keyed = _keyed(cur, frame)
    parts = [common.check_years(keyed, file_name, "Dato")]
    unknown = keyed.filter(pl.col("student_key").is_null()).unique("pupil", keep="first")
    parts.append(
        cell_problems(
            file_name,
            unknown,
            pl.lit(True),
            "pupil",
            "Elev",
            "eleven findes ikke i elevregistret det skoleår, prøvens dato ligger i, hverken som "
            "elevnøgle eller som UNI-login. Tjek elevnøglen (eller datoen), eller importér "
            "elevregistret først",
        )
    )
    given = keyed.filter(pl.col("max_points").is_not_null())
    parts.append(
        cell_problems(
            file_name,
            given.with_columns(
                (_number("points") + " af " + _number("max_points") + " (opgave " + pl.col("task_no") + ")").alias(
                    "shown"
                )
            ),
            pl.col("points") > pl.col("max_points"),
            "shown",
            "Point",
            "flere point end opgavens maksimum (rækken »Maks«)",
        )
    )
    inferred = (
        keyed.filter(pl.col("max_points").is_null())
        .group_by("test_name", "taken_on", "task_no")
        .agg(pl.col("points").max().alias("best"), pl.col(LINE).min())
    )
    parts.append(
        cell_problems(
            file_name,
            inferred,
            pl.col("best") <= 0,
            "task_no",
            "Opgave",
            "ingen elev har point i opgaven, så maksimum kan ikke udledes; tilføj en række »Maks« under opgavenumrene",
        )
    )
    schools = (
        keyed.filter(pl.col("institution_no").is_not_null())
        .group_by("test_name", "taken_on")
        .agg(pl.col("institution_no").n_unique().alias("schools"), pl.col(LINE).min())
    )
    parts.append(
        cell_problems(
            file_name,
            schools,
            pl.col("schools") > 1,
            "test_name",
            "Prøve",
            "prøvens elever går på flere skoler; én prøve er én skoles",
        )
    )
    return pl.concat(parts) if parts else problems_frame([])


def _complete(cur, frame: pl.DataFrame) -> pl.DataFrame:
    keyed = _keyed(cur, frame)
    inferred = pl.col("points").max().over("test_name", "taken_on", "task_no")
    return keyed.with_columns(
        pl.col("max_points").is_not_null().alias("max_given"), pl.coalesce("max_points", inferred).alias("max_points")
    )


def _part(frame: pl.DataFrame) -> pl.Expr:
    return pl.col("test_name") + " · " + pl.col("taken_on").cast(pl.String)


def scope(frame: pl.DataFrame, layout: str) -> pl.DataFrame:
    """One part per test (name and date): a corrected file for a test replaces that test only."""
    return common.scope(frame, _part(frame))


def prepare_frame(cur, frame: pl.DataFrame) -> pl.DataFrame:
    """Called by the engine once the file has no problems: the rows as the store keeps them."""
    return _complete(cur, frame)


def replace(cur, frame: pl.DataFrame, layout: str) -> None:
    common.archive_delete(
        cur,
        "team_test_result",
        """(institution_no, school_year,
        test_name || ' · ' || CAST(taken_on AS VARCHAR))
        IN (SELECT institution_no, school_year, part FROM import_scope)""",
    )


def insert(cur, frame: pl.DataFrame, batch_id: int, prepared) -> None:
    common.insert(cur, "team_test_result", frame, batch_id)
