"""Word-processor documents: DOCX, DOC, RTF.

- DOCX: python-docx, the maintained standard reader; paragraphs and tables in body order.
- DOC (Word 97-2003): read straight from the OLE2 container with olefile (pure Python,
  maintained, also used for MSG): the FIB points to the piece table, which lists where each run
  of text lives. This avoids antiword/catdoc (unmaintained C tools) and LibreOffice (hundreds of MB).
- RTF: striprtf, a small pure-Python converter that handles code pages and unicode escapes.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path

from .model import Extraction, failed
from .textutil import tidy


def extract_docx(path: Path, content_type: str) -> Extraction:
    import docx
    from docx.table import Table

    with open(path, "rb") as stream:  # a file object: raw files have no extension
        document = docx.Document(stream)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(table_rows(block))
            lines.append("")
        else:
            lines.append(block.text)
    # Headers and footers often carry the force's FOI reference number.
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                lines.extend(p.text for p in part.paragraphs)
    return Extraction(content_type, "office", text=tidy("\n".join(lines)))


def table_rows(table) -> list[str]:
    """Rows as 'cell | cell'; a merged cell appears once, not once per grid column it spans."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def extract_rtf(path: Path, content_type: str) -> Extraction:
    from striprtf.striprtf import rtf_to_text

    raw = path.read_bytes().decode("latin-1")  # RTF is 7-bit; \'xx escapes carry the code page
    codepage = re.search(r"\\ansicpg(\d+)", raw[:2000])
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1252"
    try:
        text = rtf_to_text(raw, encoding=encoding, errors="replace")
    except LookupError:
        text = rtf_to_text(raw, encoding="cp1252", errors="replace")
    return Extraction(content_type, "office", text=tidy(text))


# --- Word 97-2003 -------------------------------------------------------------------------------

_FIELD_CODE = re.compile("\x13[^\x13\x14\x15]*\x14")  # field instructions; keep only the result
_DOC_CONTROL = str.maketrans({"\x07": "\t", "\x0b": "\n", "\x0c": "\n", "\x0d": "\n", "\x1e": "-",
                              "\x1f": None, "\x01": None, "\x08": None, "\x05": None,
                              "\x13": None, "\x14": None, "\x15": None, "\x02": None})


def extract_doc(path: Path, content_type: str) -> Extraction:
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        wd = ole.openstream("WordDocument").read()
        if len(wd) < 0x200 or struct.unpack_from("<H", wd, 0)[0] != 0xA5EC:
            return failed(content_type, "damaged DOC file: no Word 97 file information block")
        flags = struct.unpack_from("<H", wd, 0x0A)[0]
        if flags & 0x0100:
            return failed(content_type, "encrypted DOC file: it needs a password to open")
        table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            return failed(content_type, f"damaged DOC file: the {table_name} stream is missing")
        table = ole.openstream(table_name).read()
    text = _doc_text(wd, table)
    text = _FIELD_CODE.sub("", text).translate(_DOC_CONTROL)
    # Table cells end with \x07 (now a tab) and rows with a second one: show them as 'a | b'.
    text = "\n".join(" | ".join(c.strip() for c in line.split("\t") if c.strip()) if "\t" in line
                     else line for line in text.split("\n"))
    return Extraction(content_type, "office", text=tidy(text))


def _doc_text(wd: bytes, table: bytes) -> str:
    """Concatenate the pieces listed in the piece table (the CLX in the table stream)."""
    # The FIB has variable-length arrays before the fc/lcb pairs; walk their counts.
    csw = struct.unpack_from("<H", wd, 32)[0]
    pos = 34 + csw * 2
    cslw = struct.unpack_from("<H", wd, pos)[0]
    pos += 2 + cslw * 4 + 2  # skip fibRgLw and cbRgFcLcb
    fc_clx, lcb_clx = struct.unpack_from("<II", wd, pos + 33 * 8)  # fcClx is pair number 33
    clx = table[fc_clx: fc_clx + lcb_clx]
    i = 0
    while i < len(clx) and clx[i] == 1:  # Prc entries (formatting) come first
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise ValueError("damaged DOC file: no piece table")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5: i + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    parts = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        count = cps[k + 1] - cps[k]
        if fc & 0x40000000:  # "compressed": one byte per character, Windows-1252
            start = (fc & ~0x40000000) // 2
            parts.append(wd[start: start + count].decode("cp1252", "replace"))
        else:
            parts.append(wd[fc: fc + 2 * count].decode("utf-16-le", "replace"))
    return "".join(parts)
