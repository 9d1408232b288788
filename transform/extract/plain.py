"""Plain text and CSV."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .model import Extraction
from .textutil import decode, tidy


def extract_text(path: Path, content_type: str) -> Extraction:
    return Extraction(content_type, "text", text=tidy(decode(path.read_bytes())))


def extract_csv(path: Path, content_type: str) -> Extraction:
    """CSV rows become ' | '-joined lines, the same shape as spreadsheet rows."""
    raw = decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(raw[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(raw), dialect)
    lines = [" | ".join(cell.strip() for cell in row) for row in rows if any(c.strip() for c in row)]
    return Extraction(content_type, "text", text=tidy("\n".join(lines)))
