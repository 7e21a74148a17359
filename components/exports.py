"""Export renderers for tables: Excel with numeric cells shown in Danish format, and CSV the way
Danish spreadsheets read it (semicolon, decimal comma). Only aggregate tables are passed here."""
from __future__ import annotations

import io

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font

from components.formatting import number


def to_xlsx(frame: pl.DataFrame, sheet: str, title: str, source: str, decimals: dict[str, int]) -> bytes:
    """Numbers stay numbers (so they can be sorted and summed); their format shows one or two
    decimals, which Excel displays with the reader's (Danish) decimal comma."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([source])
    ws.append([])
    ws.append(frame.columns)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in frame.iter_rows():
        ws.append(list(row))
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
    """Semicolon-separated, decimal comma, UTF-8 with BOM so Excel opens æ, ø and å correctly."""
    text = frame.with_columns([
        pl.col(c).map_elements(lambda v, d=d: number(v, d), return_dtype=pl.String) for c, d in decimals.items()
    ]).fill_null("")
    buffer = io.StringIO()
    text.write_csv(buffer, separator=";")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
