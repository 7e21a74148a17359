"""Reading an uploaded file into a table of text cells, whatever variant the real world made:
CSV with ';', ',' or tab, UTF-8 (with or without byte-order mark) or Windows-1252, a title row
above the header and notes under the table, or an Excel workbook (.xlsx)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

LINE = "_line"  # the row's line number in the file, for the report
HEADER_SEARCH_ROWS = 10
# [import] in data/reference/settings.toml; these apply where it leaves one out.
DEFAULT_LIMITS = {
    "max_file_mb": 200,
    "max_rows": 2_000_000,
    "max_cell_chars": 100_000,
    "max_xlsx_unpacked_mb": 500,
    "max_xlsx_ratio": 100,
}
RATIO_FLOOR_MB = 50  # below this an Excel file may pack as tightly as it likes


def limits() -> dict:
    from data.reference import settings

    return DEFAULT_LIMITS | settings().get("import", {})


def _n(value: float) -> str:
    """A number the Danish way: 2.000.000, 1,5."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def check_size(file_name: str, size: int) -> None:
    """Refuse a file larger than the import limit, before any of it is read."""
    limit = limits()["max_file_mb"]
    if size > limit * 1_000_000:
        raise FileRefused(
            f"{file_name}: filen fylder {_n(round(size / 1_000_000, 1))} MB; Datablik tager højst "
            f"{_n(limit)} MB i én fil. Del den op, fx pr. skoleår eller skole."
        )


# The file types Datablik reads (a CSV export is sometimes saved as .txt); the content decides the rest.
FILE_TYPES = (".csv", ".txt", ".xlsx")


def check_type(file_name: str) -> None:
    """Refuse a file that is no CSV or Excel workbook by its name, before any of it is read."""
    suffix = ("." + file_name.rsplit(".", 1)[1].lower()) if "." in file_name else ""
    if suffix in FILE_TYPES:
        return
    if suffix == ".xls":
        raise FileRefused(f"{file_name}: det gamle Excel-format (.xls) kan ikke læses. Gem filen som .xlsx eller CSV.")
    kind = f"filtypen {suffix}" if suffix else "en fil uden filtype"
    raise FileRefused(
        f"{file_name}: Datablik læser CSV-filer (.csv, .txt) og Excel-filer (.xlsx), ikke {kind}. "
        "Gem filen i et af de formater og prøv igen."
    )


def _too_many_rows(file_name: str) -> FileRefused:
    limit = limits()["max_rows"]
    return FileRefused(
        f"{file_name}: filen har over {_n(limit)} rækker; Datablik tager højst {_n(limit)} rækker i "
        "én fil. Del den op, fx pr. skoleår eller skole."
    )


class FileRefused(Exception):
    """The file cannot be read at all; the message is Danish and says what to do."""


@dataclass
class RawTable:
    file_name: str
    frame: pl.DataFrame  # every column text, named as in the file, plus LINE
    danish_numbers: bool  # '.' groups thousands and ',' is the decimal mark
    description: str  # what was detected, for the preview
    notes: list[str] = field(default_factory=list)


def read_table(file_name: str, data: bytes) -> RawTable:
    check_size(file_name, len(data))
    if not data.strip():
        raise FileRefused(f"{file_name}: filen er tom.")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(file_name, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(f"{file_name}: det gamle Excel-format (.xls) kan ikke læses. Gem filen som .xlsx eller CSV.")
    return _read_csv(file_name, data)


def _decode(file_name: str, data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise FileRefused(
            f"{file_name}: filen er gemt som UTF-16 (»Unicode-tekst«). Gem den som CSV (UTF-8) "
            "eller CSV (semikolonsepareret) og prøv igen."
        )
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 med BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            f"{file_name}, linje {line}: filen er hverken UTF-8 eller Windows-1252 (byte "
            f"0x{data[exc.start]:02X} kan ikke læses). Gem den som CSV (UTF-8) og prøv igen."
        ) from exc
    if "Ã¸" in text or "Ã¦" in text or "Ã¥" in text or "Ã˜" in text:
        raise FileRefused(
            f"{file_name}: æ, ø og å ser forkerte ud (fx »Ã¸«): filen er kodet to gange. "
            "Eksportér den igen som CSV (UTF-8)."
        )
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
    if data.count(b"\n") > limits()["max_rows"] + 2 * HEADER_SEARCH_ROWS:  # before anything is parsed
        raise _too_many_rows(file_name)
    # Python's CSV reader stops at 131.072 characters a field; the cell limit below says it in Danish.
    csv.field_size_limit(max(csv.field_size_limit(), limits()["max_file_mb"] * 1_000_000))
    text, encoding = _decode(file_name, data)
    head_lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = _delimiter(max(head_lines, key=lambda s: max(s.count(";"), s.count("\t"), s.count(","))))
    head_rows = list(csv.reader(head_lines, delimiter=delimiter))
    skip = _header_index(head_rows)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=delimiter,
            skip_rows=skip,
            infer_schema=False,
            quote_char='"',
            raise_if_empty=False,
        )
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
            return (
                f"{file_name}, linje {number}: rækken har {len(row)} felter, men overskriften har {width}. "
                "Tjek for ekstra skilletegn eller anførselstegn i den linje."
            )
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


def _check_zip(file_name: str, data: bytes) -> None:
    """An Excel file is a zip archive: refuse a zip bomb from the sizes its directory declares, before
    openpyxl parses anything (Python's zipfile never unpacks a part beyond its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused(f"{file_name}: Excel-filen kan ikke åbnes; den kan være beskadiget.") from exc
    limit, ratio = limits()["max_xlsx_unpacked_mb"], limits()["max_xlsx_ratio"]
    if unpacked > limit * 1_000_000 or (unpacked > RATIO_FLOOR_MB * 1_000_000 and unpacked > ratio * len(data)):
        raise FileRefused(
            f"{file_name}: Excel-filen fylder {_n(round(unpacked / 1_000_000))} MB pakket ud "
            f"({_n(round(unpacked / max(len(data), 1)))} gange sin egen størrelse); Datablik åbner "
            f"højst {_n(limit)} MB og højst {_n(ratio)} gange. Den åbnes ikke. Gem arket som CSV og "
            "prøv igen."
        )


def _read_xlsx(file_name: str, data: bytes) -> RawTable:
    from openpyxl import load_workbook

    _check_zip(file_name, data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(f"{file_name}: Excel-filen kan ikke åbnes; den kan være beskadiget.") from exc
    sheet = book.worksheets[0]
    most = limits()["max_rows"] + 2 * HEADER_SEARCH_ROWS
    rows = []
    for row in sheet.iter_rows(values_only=True):
        if len(rows) >= most:
            book.close()
            raise _too_many_rows(file_name)
        rows.append([_cell_text(v) for v in row])
    book.close()
    if not rows:
        raise FileRefused(f"{file_name}: regnearket er tomt.")
    skip = _header_index(rows)
    header = rows[skip]
    while header and header[-1] is None:
        header = header[:-1]
    width = len(header)
    names = [h if h is not None else f"(tom overskrift {i + 1})" for i, h in enumerate(header)]
    body = rows[skip + 1 :]
    for number, row in enumerate(body, start=skip + 2):
        if any(v is not None for v in row[width:]):
            raise FileRefused(
                f"{file_name}, række {number}: der står noget uden for tabellen (til højre for sidste overskrift)."
            )
    columns = {name: [row[i] if i < len(row) else None for row in body] for i, name in enumerate(names)}
    if len(set(names)) != len(names):
        raise FileRefused(
            f"{file_name}: samme overskrift står flere gange: "
            f"{', '.join(sorted({n for n in names if names.count(n) > 1}))}."
        )
    frame = pl.DataFrame(columns, schema=dict.fromkeys(names, pl.String))
    frame = frame.with_row_index(LINE, offset=skip + 2).with_columns(pl.col(LINE).cast(pl.Int64))
    return _finish(file_name, frame, True, f"Excel (.xlsx), arket »{sheet.title}«", skip)


def _finish(file_name: str, frame: pl.DataFrame, danish: bool, described: str, skip: int) -> RawTable:
    notes = []
    if skip:
        notes.append(f"{skip} linje(r) over overskriften (titel) er sprunget over.")
    columns = [c for c in frame.columns if c != LINE]
    longest = limits()["max_cell_chars"]
    if (
        columns
        and (frame.select(pl.max_horizontal(pl.col(c).str.len_chars().max() for c in columns)).item() or 0) > longest
    ):
        long = frame.filter(pl.any_horizontal(pl.col(c).str.len_chars() > longest for c in columns))[LINE][0]
        raise FileRefused(
            f"{file_name}, linje {long}: en celle har over {_n(longest)} tegn; så lange celler er "
            "ikke data. Tjek anførselstegnene i den linje (et manglende afsluttende anførselstegn "
            "gør resten af filen til én celle)."
        )
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
    if frame.height > limits()["max_rows"]:
        raise _too_many_rows(file_name)
    return RawTable(file_name, frame.drop("_filled"), danish, described, notes)
