"""Reading an uploaded file into a table of text cells, whatever variant the real world made:
CSV with ';', ',' or tab, UTF-8 (with or without byte-order mark) or Windows-1252, a title row
above the header and notes under the table, or an Excel workbook (.xlsx)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

LINE = "_line"  # the row's line number in the file, for the report
HEADER_SEARCH_ROWS = 10


class FileRefused(Exception):
    """The file cannot be read at all; the message is Danish and says what to do."""


@dataclass
class RawTable:
    file_name: str
    frame: pl.DataFrame          # every column text, named as in the file, plus LINE
    danish_numbers: bool         # '.' groups thousands and ',' is the decimal mark
    description: str             # what was detected, for the preview
    notes: list[str] = field(default_factory=list)


def read_table(file_name: str, data: bytes) -> RawTable:
    if not data.strip():
        raise FileRefused(f"{file_name}: filen er tom.")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(file_name, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(f"{file_name}: det gamle Excel-format (.xls) kan ikke læses. Gem filen som .xlsx eller CSV.")
    return _read_csv(file_name, data)


def _decode(file_name: str, data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise FileRefused(f"{file_name}: filen er gemt som UTF-16 (»Unicode-tekst«). Gem den som CSV (UTF-8) "
                          "eller CSV (semikolonsepareret) og prøv igen.")
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 med BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileRefused(f"{file_name}, linje {line}: filen er hverken UTF-8 eller Windows-1252 (byte "
                          f"0x{data[exc.start]:02X} kan ikke læses). Gem den som CSV (UTF-8) og prøv igen.") from exc
    if "Ã¸" in text or "Ã¦" in text or "Ã¥" in text or "Ã˜" in text:
        raise FileRefused(f"{file_name}: æ, ø og å ser forkerte ud (fx »Ã¸«): filen er kodet to gange. "
                          "Eksportér den igen som CSV (UTF-8).")
    return text, "Windows-1252"


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ";"


def _header_index(rows: list[list[str | None]]) -> int:
    """The first row that looks like a header: at least half as many filled cells as the widest
    of the first rows (a title row has one cell; notes rows too)."""
    filled = [sum(1 for c in row if c not in (None, "")) for row in rows[:HEADER_SEARCH_ROWS]]
    widest = max(filled, default=0)
    for i, n in enumerate(filled):
        if n >= max(2, widest / 2):
            return i
    return 0


def _read_csv(file_name: str, data: bytes) -> RawTable:
    text, encoding = _decode(file_name, data)
    head_lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = _delimiter(max(head_lines, key=lambda s: max(s.count(";"), s.count("\t"), s.count(","))))
    head_rows = list(csv.reader(head_lines, delimiter=delimiter))
    skip = _header_index(head_rows)
    try:
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), separator=delimiter, skip_rows=skip,
                            infer_schema=False, quote_char='"', raise_if_empty=False)
    except (pl.exceptions.ComputeError, pl.exceptions.ShapeError) as exc:
        raise FileRefused(_ragged_message(file_name, text, delimiter, skip)) from exc
    frame = frame.with_row_index(LINE, offset=skip + 2).with_columns(pl.col(LINE).cast(pl.Int64))
    names = {";": "semikolon", "\t": "tabulator", ",": "komma"}
    described = f"CSV, {encoding}, adskilt med {names[delimiter]}"
    return _finish(file_name, frame, delimiter != ",", described, skip)


def _ragged_message(file_name: str, text: str, delimiter: str, skip: int) -> str:
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    width = None
    for number, row in enumerate(rows, start=1):
        if number <= skip:
            continue
        if width is None:
            width = len(row)
        elif len(row) != width and any(row):
            return (f"{file_name}, linje {number}: rækken har {len(row)} felter, men overskriften har {width}. "
                    "Tjek for ekstra skilletegn eller anførselstegn i den linje.")
    return f"{file_name}: filen kan ikke læses som en tabel. Tjek skilletegn og anførselstegn."


def _cell_text(value) -> str | None:
    """An Excel cell as text the way a Danish CSV export would write it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _read_xlsx(file_name: str, data: bytes) -> RawTable:
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(f"{file_name}: Excel-filen kan ikke åbnes; den kan være beskadiget.") from exc
    sheet = book.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise FileRefused(f"{file_name}: regnearket er tomt.")
    skip = _header_index(rows)
    header = rows[skip]
    while header and header[-1] is None:
        header = header[:-1]
    width = len(header)
    names = [h if h is not None else f"(tom overskrift {i + 1})" for i, h in enumerate(header)]
    body = rows[skip + 1:]
    for number, row in enumerate(body, start=skip + 2):
        if any(v is not None for v in row[width:]):
            raise FileRefused(f"{file_name}, række {number}: der står noget uden for tabellen (til højre for "
                              "sidste overskrift).")
    columns = {name: [row[i] if i < len(row) else None for row in body] for i, name in enumerate(names)}
    if len(set(names)) != len(names):
        raise FileRefused(f"{file_name}: samme overskrift står flere gange: "
                          f"{', '.join(sorted({n for n in names if names.count(n) > 1}))}.")
    frame = pl.DataFrame(columns, schema=dict.fromkeys(names, pl.String))
    frame = frame.with_row_index(LINE, offset=skip + 2).with_columns(pl.col(LINE).cast(pl.Int64))
    return _finish(file_name, frame, True, f"Excel (.xlsx), arket »{sheet.title}«", skip)


def _finish(file_name: str, frame: pl.DataFrame, danish: bool, described: str, skip: int) -> RawTable:
    notes = []
    if skip:
        notes.append(f"{skip} linje(r) over overskriften (titel) er sprunget over.")
    columns = [c for c in frame.columns if c != LINE]
    frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in columns)
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in columns) if columns else pl.lit(0)
    frame = frame.with_columns(filled.alias("_filled"))
    # Notes under the table: trailing rows with at most the first cell filled.
    tail = 0
    for n in reversed(frame["_filled"].to_list()):
        if n > 1:
            break
        tail += 1
    if tail:
        frame = frame.head(len(frame) - tail)
        notes.append(f"{tail} linje(r) under tabellen (noter eller tomme) er sprunget over.")
    empty = frame.filter(pl.col("_filled") == 0).height
    if empty:
        notes.append(f"{empty} tomme linje(r) i tabellen er sprunget over.")
        frame = frame.filter(pl.col("_filled") > 0)
    return RawTable(file_name, frame.drop("_filled"), danish, described, notes)
