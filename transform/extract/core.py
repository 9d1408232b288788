"""extract_file: sniff the type, pick the extractor, and turn every failure into an error row."""
from __future__ import annotations

import importlib
import os
import zipfile
from pathlib import Path

from . import sniff as s
from .model import Extraction, failed

# Bump when any extractor's output changes: the cache key includes it, so a new version
# re-extracts everything once.
EXTRACTOR_VERSION = "1"

# content type -> (module, function). Modules are imported on first use so a worker that only
# sees PDFs never loads the Office libraries.
EXTRACTORS: dict[str, tuple[str, str]] = {
    s.PDF: ("pdf", "extract_pdf"),
    s.HTML: ("html", "extract_html"),
    s.TEXT: ("plain", "extract_text"),
    s.CSV: ("plain", "extract_csv"),
    s.RTF: ("word", "extract_rtf"),
    s.DOCX: ("word", "extract_docx"),
    s.DOC: ("word", "extract_doc"),
    s.ODT: ("odf", "extract_odf"),
    s.ODS: ("odf", "extract_odf"),
    s.XLSX: ("sheets", "extract_xlsx"),
    s.XLS: ("sheets", "extract_xls"),
    s.PPTX: ("slides", "extract_pptx"),
    s.EML: ("mail", "extract_eml"),
    s.MSG: ("mail", "extract_msg"),
    s.ZIP: ("archive", "extract_zip"),
    **{t: ("ocr", "extract_image") for t in s.IMAGE_TYPES},
}


def extract_file(path: Path, name_hint: str | None = None, depth: int = 0, budget=None) -> Extraction:
    """Text of one file. Never raises: a failure is an Extraction with `error` set.

    `name_hint` (the file name as published) is accepted so callers can pass what they have,
    but it never decides the type: only the bytes do. `depth` and `budget` (archive nesting level and the limits left) are
    set by the archive and e-mail extractors for the files they contain.
    """
    path = Path(path)
    try:
        size = os.path.getsize(path)
    except OSError as e:
        return failed(s.UNKNOWN, f"cannot read file: {e.strerror or e}")
    if size == 0:
        return failed(s.EMPTY, "empty file (zero bytes)")
    try:
        content_type = s.sniff(path)
    except OSError as e:
        return failed(s.UNKNOWN, f"cannot read file: {e.strerror or e}")
    return extract_typed(path, content_type, depth, budget)


def extract_typed(path: Path, content_type: str, depth: int = 0, budget=None) -> Extraction:
    if content_type == s.ENCRYPTED_OFFICE:
        return failed(content_type, "encrypted Office document: it needs a password to open")
    target = EXTRACTORS.get(content_type)
    if target is None:
        return failed(content_type, f"unsupported file type {content_type}")
    module_name, func_name = target
    try:
        func = getattr(importlib.import_module(f".{module_name}", __package__), func_name)
        kwargs = {"depth": depth, "budget": budget} if module_name in ("archive", "mail") else {}
        return func(path, content_type, **kwargs)
    except MemoryError:
        return failed(content_type, "ran out of memory (file too large or a decompression bomb)")
    except RecursionError:
        return failed(content_type, "file is nested too deeply to parse")
    except Exception as e:  # a library choking on a damaged file must not stop the build
        return failed(content_type, describe_error(content_type, e))


def describe_error(content_type: str, e: Exception) -> str:
    """A message a maintainer can act on: what kind of file, what went wrong."""
    name = type(e).__name__
    detail = str(e).strip().splitlines()[0][:300] if str(e).strip() else ""
    kind = s.NAMES.get(content_type, content_type)
    if isinstance(e, (zipfile.BadZipFile, EOFError)) or "truncat" in detail.lower():
        return f"damaged or truncated {kind} file: {detail or name}"
    if name in ("DecompressionBombError", "DecompressionBombWarning"):
        return f"image too large to OCR safely: {detail}"
    return f"cannot extract {kind}: {name}: {detail}" if detail else f"cannot extract {kind}: {name}"
