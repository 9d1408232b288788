"""Spreadsheets: XLSX (openpyxl) and XLS (xlrd). Every sheet, one line per non-empty row,
cells joined by ' | ', so a table answer ("Live facial recognition | No") reads as a sentence.

openpyxl in read-only mode streams rows without loading the whole workbook; xlrd is the
maintained reader for the old binary format (2.x reads only .xls, which is all we ask of it).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import limits
from .model import Extraction
from .textutil import tidy


def format_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2023.0 -> 2023
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return " ".join(str(value).split())


def rows_to_lines(sheet_name: str, rows, notes: list[str]) -> list[str]:
    lines = [f"Sheet: {sheet_name}"]
    count = 0
    for row in rows:
        cells = [format_cell(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        count += 1
        if count > limits.MAX_SHEET_ROWS:
            notes.append(f"sheet {sheet_name!r} cut at {limits.MAX_SHEET_ROWS} rows")
            break
        lines.append(" | ".join(cells))
    lines.append("")
    return lines


def extract_xlsx(path: Path, content_type: str) -> Extraction:
    import openpyxl

    # data_only: the cached value of a formula, which is what the reader of the sheet saw.
    # A file object, not a path: openpyxl refuses paths without an .xlsx extension, and raw
    # files are stored under their hash.
    stream = open(path, "rb")
    wb = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    lines, notes = [], []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                lines.append(f"(hidden sheet) {ws.title}")
            lines += rows_to_lines(ws.title, ws.iter_rows(values_only=True), notes)
    finally:
        wb.close()
        stream.close()
    return Extraction(content_type, "office",
                      text=tidy("\n".join(lines)), error="; ".join(notes) or None)


def extract_xls(path: Path, content_type: str) -> Extraction:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    lines, notes = [], []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = ([_xls_value(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows))
            lines += rows_to_lines(sheet.name, rows, notes)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return Extraction(content_type, "office",
                      text=tidy("\n".join(lines)), error="; ".join(notes) or None)


def _xls_value(book, cell):
    import xlrd
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value
