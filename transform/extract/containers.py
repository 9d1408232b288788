"""What ZIP archives and e-mails share: limits across the whole tree of contained files, and
extracting one contained file through the ordinary extract_file path."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .model import Extraction


@dataclass
class Budget:
    """Limits shared by every archive and attachment under one top-level document, so a zip of
    zips cannot multiply them."""
    members_left: int = field(default_factory=lambda: limits.MAX_ARCHIVE_MEMBERS)
    bytes_left: int = field(default_factory=lambda: limits.MAX_ARCHIVE_BYTES)
    notes: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


def extract_child(data: bytes, name: str, depth: int, budget: Budget) -> Extraction:
    from .core import extract_file
    with tempfile.TemporaryDirectory(prefix="extract-") as tmp:
        path = Path(tmp) / "member"
        path.write_bytes(data)
        return extract_file(path, name_hint=name, depth=depth, budget=budget)


def take_member(budget: Budget) -> bool:
    """Count one more contained file; False once the file limit is spent."""
    if budget.members_left <= 0:
        budget.note(f"stopped after {limits.MAX_ARCHIVE_MEMBERS} files (archive file limit)")
        return False
    budget.members_left -= 1
    return True


def attach(children: list, name: str, data: bytes, depth: int, budget: Budget) -> None:
    """Extract an attachment's bytes as a child, unless the size budget is spent."""
    if len(data) > budget.bytes_left:
        budget.note(f"archive size limit ({limits.MAX_ARCHIVE_BYTES} bytes uncompressed) reached")
        children.append((name, Extraction("application/octet-stream", "none",
                                          error="not extracted: over the size limit")))
        return
    budget.bytes_left -= len(data)
    children.append((name, extract_child(data, name, depth + 1, budget)))


def combine(content_type: str, method: str, own_text: str, children: list, budget: Budget,
            errors: list[str]) -> Extraction:
    """The container's text is its own text followed by each child's, under a marker line, so
    the pipeline can search one text; children keep their own records for per-file detail."""
    parts = [own_text] if own_text else []
    for name, child in children:
        if child.text:
            parts.append(f"--- {name} ---\n{child.text}")
    failed = [name for name, child in children if child.error]
    if failed:
        errors.append(f"{len(failed)} of {len(children)} contained files had errors: "
                      + ", ".join(failed[:5]) + (" ..." if len(failed) > 5 else ""))
    errors.extend(budget.notes)
    return Extraction(content_type, method, text="\n\n".join(parts), children=children,
                      error="; ".join(dict.fromkeys(errors)) or None)
