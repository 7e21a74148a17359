"""Export renderers for tables: Excel with numeric cells shown in Danish format, and CSV the way
Danish spreadsheets read it (semicolon, decimal comma). Only aggregate tables are passed here.

Spreadsheets are inert: text that begins with = + - @, a tab or a carriage return (a school name,
an agreement someone typed) would be read as a formula. In Excel every text cell is written as
text with the quote prefix (shown as typed, never evaluated, not even after it is edited); in
CSV, which has no types, such text gets a leading apostrophe (OWASP's advice). Numbers stay
numbers, negative ones included."""

from __future__ import annotations

import io
import re

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from components.formatting import MINUS, number

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_AS_TEXT = re.compile(r"-?\d[\d.,]*")  # -1,5 or 1.234: no operator, nothing to run


def starts_like_formula(text: str) -> bool:
    stripped = text.lstrip(" \u00a0")
    return stripped.startswith(FORMULA_START) and not _NUMBER_AS_TEXT.fullmatch(stripped)


def inert(value: object) -> object:
    """A CSV value no spreadsheet runs: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def _excel_value(value: object) -> object:
    """Control characters Excel cannot hold (openpyxl refuses them) are left out of text."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _as_text(ws) -> None:
    """Every text cell of the sheet stays text: openpyxl makes '=...' a formula and '#N/A' an error."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if starts_like_formula(cell.value):
                    cell.quotePrefix = True


def to_xlsx(frame: pl.DataFrame, sheet: str, title: str, source: str, decimals: dict[str, int]) -> bytes:
    """Numbers stay numbers (so they can be sorted and summed); their format shows one or two
    decimals, which Excel displays with the reader's (Danish) decimal comma."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([_excel_value(title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_excel_value(source)])
    ws.append([])
    ws.append([_excel_value(c) for c in frame.columns])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in frame.iter_rows():
        ws.append([_excel_value(v) for v in row])
    _as_text(ws)
    for col_index, column in enumerate(frame.columns, start=1):
        if column in decimals:
            fmt = "0" if decimals[column] == 0 else "0." + "0" * decimals[column]
            for cells in ws.iter_rows(min_row=5, min_col=col_index, max_col=col_index):
                cells[0].number_format = fmt
        ws.column_dimensions[ws.cell(row=4, column=col_index).column_letter].width = max(12, len(column) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(frame: pl.DataFrame, decimals: dict[str, int]) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM so Excel opens æ, ø and å correctly.
    Text columns are made inert; the numbers formatted here are not touched, and a negative one
    is written with a hyphen so it is read as a number."""
    texts = [c for c, dtype in frame.schema.items() if dtype == pl.String and c not in decimals]
    text = frame.with_columns(
        [
            pl.col(c).map_elements(lambda v, d=d: number(v, d).replace(MINUS, "-"), return_dtype=pl.String)
            for c, d in decimals.items()  # a hyphen, not the screen's minus sign, or Excel reads text
        ]
        + [pl.col(c).map_elements(inert, return_dtype=pl.String) for c in texts]
    ).fill_null("")
    buffer = io.StringIO()
    text.write_csv(buffer, separator=";")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
