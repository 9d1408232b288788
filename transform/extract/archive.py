"""ZIP archives, expanded recursively with the stdlib zipfile module (it streams members and
reports encryption; nothing outside the stdlib is needed).

Zip bombs are stopped three ways: the declared size of each member is checked against the
remaining byte budget and a maximum compression ratio before inflating, and inflation itself
reads at most the budget, because declared sizes can lie.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from . import limits
from .containers import Budget, combine, extract_child, take_member
from .model import Extraction, failed

_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


def extract_zip(path: Path, content_type: str, depth: int = 0, budget: Budget | None = None) -> Extraction:
    budget = budget or Budget()
    if depth >= limits.MAX_ARCHIVE_DEPTH:
        message = f"archive nested deeper than {limits.MAX_ARCHIVE_DEPTH} levels; not expanded"
        budget.note(message)  # reported on the top-level document too
        return failed(content_type, message, method="archive")
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        return failed(content_type, f"damaged or truncated ZIP archive: {e}", method="archive")
    children, errors = [], []
    with z:
        for info in z.infolist():
            if info.is_dir() or any(j in info.filename for j in _JUNK):
                continue
            name = info.filename
            if not take_member(budget):
                break
            if info.flag_bits & 0x1:
                children.append((name, failed("application/octet-stream", "encrypted ZIP member: needs a password")))
                continue
            if info.file_size > budget.bytes_left:
                budget.note(f"archive size limit ({limits.MAX_ARCHIVE_BYTES} bytes uncompressed) reached")
                children.append((name, failed("application/octet-stream",
                                              f"not expanded: {info.file_size} bytes would exceed the archive size limit")))
                continue
            if info.compress_size and info.file_size / info.compress_size > limits.MAX_COMPRESSION_RATIO:
                message = (f"not expanded: compression ratio {info.file_size // info.compress_size}:1 "
                           "looks like a zip bomb")
                budget.note(f"{name}: {message}")
                children.append((name, failed("application/octet-stream", message)))
                continue
            try:
                data = _read_capped(z, info, budget.bytes_left)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as e:
                children.append((name, failed("application/octet-stream", f"damaged ZIP member: {e}")))
                continue
            if data is None:
                budget.note("archive size limit reached while inflating (declared sizes were false)")
                children.append((name, failed("application/octet-stream",
                                              "not expanded: inflates beyond the archive size limit")))
                continue
            budget.bytes_left -= len(data)
            children.append((name, extract_child(data, name, depth + 1, budget)))
    return combine(content_type, "archive", "", children, budget, errors)


def _read_capped(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The member's bytes, or None if it inflates beyond `cap`."""
    out = bytearray()
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            out += chunk
            if len(out) > cap:
                return None
    return bytes(out)
