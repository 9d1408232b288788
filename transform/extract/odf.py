"""OpenDocument text and spreadsheets (ODT, ODS).

Both are a ZIP with content.xml; walking that XML with lxml takes a few lines and is much faster
than odfpy, which builds a full object tree. Repeated empty rows and cells (ODS stores
"1,048,000 empty rows" as one element) are never expanded.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from . import limits
from .model import Extraction
from .textutil import tidy

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = "{%s}" % TEXT
_TB = "{%s}" % TABLE


def extract_odf(path: Path, content_type: str) -> Extraction:
    with zipfile.ZipFile(path) as z:
        xml = z.read("content.xml")
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=False))
    body = root.find("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}body")
    lines: list[str] = []
    _blocks(body if body is not None else root, lines)
    return Extraction(content_type, "office", text=tidy("\n".join(lines)))


def _blocks(el, lines: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag in (_T + "p", _T + "h"):
            lines.append(_inline(child))
        elif tag == _TB + "table":
            name = child.get(_TB + "name")
            if name:
                lines.append(f"Sheet: {name}")
            rows = 0
            for row in child.iter(_TB + "table-row"):
                cells = [" ".join(_inline(p) for p in cell.iter(_T + "p"))
                         for cell in row if cell.tag == _TB + "table-cell"]
                while cells and not cells[-1].strip():
                    cells.pop()
                if cells:
                    lines.append(" | ".join(c.strip() for c in cells))
                    rows += 1
                    if rows >= limits.MAX_SHEET_ROWS:
                        break
            lines.append("")
        else:
            _blocks(child, lines)


def _inline(el) -> str:
    """Text of a paragraph, with ODF's space, tab and line-break elements restored."""
    out = [el.text or ""]
    for child in el:
        if child.tag == _T + "s":
            out.append(" " * int(child.get(_T + "c", "1")))
        elif child.tag == _T + "tab":
            out.append("\t")
        elif child.tag == _T + "line-break":
            out.append("\n")
        elif child.tag in (_T + "note",):
            pass  # footnote bodies would break the sentence they sit in
        else:
            out.append(_inline(child))
        out.append(child.tail or "")
    return "".join(out)
