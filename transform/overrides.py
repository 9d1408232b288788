"""Corrections by maintainers, and the review queue that tells them where to look.

``reference/overrides.csv`` is committed and applied on every build, so a correction survives
the next refresh (DESIGN.md rule 3). One row per correction:

    request_id,technology,question,field,value,reason,reviewer,date
    wdtk:900001,lfr,use,answer,no,"The reply's 'Yes' answers question 2, not question 1",A. Maintainer,2026-11-30

- ``request_id``, ``technology`` and ``question`` name a finding (the finding is created when the
  reader found no answer);
- ``field`` is the findings column to set (only ``answer`` for now); ``value`` must belong to the
  answer vocabulary of that question;
- ``reason``, ``reviewer`` and ``date`` (ISO) say who changed what and why; all are required.

A row that names an unknown request, technology, question or field, or a value outside the
vocabulary, stops the build with ``OverrideError("reference/overrides.csv:LINE: ...")``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from publish.plugins.csv_formulas import defuse
from reference import technologies
from schema.tables import DOCUMENT_ANSWERS, GOVERNANCE_DOCUMENTS, PLANNED_ANSWERS, TECHNOLOGIES, USE_ANSWERS

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES_CSV = ROOT / "reference" / "overrides.csv"
COLUMNS = ["request_id", "technology", "question", "field", "value", "reason", "reviewer", "date"]
FIELDS = {"answer"}
OVERRIDE_METHOD = "override"


class OverrideError(ValueError):
    """An override row cannot be applied; the message names the file and line."""


@dataclass(frozen=True)
class Override:
    request_id: str
    technology: str
    question: str
    field: str
    value: str
    reason: str
    reviewer: str
    date: str
    line: int
    source: str = "reference/overrides.csv"

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def allowed_values(technology: str, question: str) -> tuple[str, ...]:
    if question == "use":
        return USE_ANSWERS
    if question == "planned":
        return PLANNED_ANSWERS
    return DOCUMENT_ANSWERS


def _display(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def load_overrides(path: Path | str = OVERRIDES_CSV) -> list[Override]:
    """Every override in the file, validated on its own (request ids are checked when applied)."""
    path = Path(path)
    where_file = _display(path)
    if not path.exists():
        return []
    overrides = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise OverrideError(f"{where_file}:1: header lacks columns {missing}")
        seen: dict[tuple[str, str, str, str], int] = {}
        for row in reader:
            line = reader.line_num
            where = f"{where_file}:{line}"
            row = {k: (v or "").strip() for k, v in row.items() if k}
            if not any(row.values()):
                continue
            for column in COLUMNS:
                if not row.get(column):
                    raise OverrideError(f"{where}: {column} is empty")
            technology, question = row["technology"], row["question"]
            if question not in ("use", "planned", *GOVERNANCE_DOCUMENTS):
                raise OverrideError(f"{where}: unknown question {question!r}")
            valid_tech = TECHNOLOGIES if question == "use" else technologies.family_ids()
            if technology not in valid_tech:
                raise OverrideError(f"{where}: unknown technology {technology!r} for question {question!r} "
                                    f"(expected one of {list(valid_tech)})")
            if row["field"] not in FIELDS:
                raise OverrideError(f"{where}: unknown field {row['field']!r} (expected one of {sorted(FIELDS)})")
            if row["value"] not in allowed_values(technology, question):
                raise OverrideError(f"{where}: value {row['value']!r} is not an answer to {question!r} "
                                    f"(expected one of {list(allowed_values(technology, question))})")
            try:
                dt.date.fromisoformat(row["date"])
            except ValueError:
                raise OverrideError(f"{where}: date {row['date']!r} is not an ISO date (YYYY-MM-DD)") from None
            key = (row["request_id"], technology, question, row["field"])
            if key in seen:
                raise OverrideError(f"{where}: duplicates the override on line {seen[key]}")
            seen[key] = line
            overrides.append(Override(**{c: row[c] for c in COLUMNS}, line=line, source=where_file))
    return overrides


def apply_overrides(findings_rows: list[dict], overrides: Iterable[Override],
                    known_request_ids: Iterable[str] | Mapping[str, str]) -> list[dict]:
    """Findings rows with every override applied: the answer set, ``method`` = override,
    confidence 1.0, the evidence (document, quote, offsets) kept. An override for a finding the
    reader did not produce adds it. ``known_request_ids`` may map request id -> force id, used
    for added rows."""
    known = dict(known_request_ids) if isinstance(known_request_ids, Mapping) else {r: None for r in known_request_ids}
    rows = [dict(row) for row in findings_rows]
    index = {(r["request_id"], r["technology"], r["question"]): r for r in rows}
    force_of = {r["request_id"]: r.get("force_id") for r in rows}
    for o in overrides:
        if o.request_id not in known:
            raise OverrideError(f"{o.where}: unknown request_id {o.request_id!r} (not in this build)")
        row = index.get((o.request_id, o.technology, o.question))
        if row is None:
            row = {
                "finding_id": f"{o.request_id}:{o.question}:{o.technology}", "request_id": o.request_id,
                "force_id": known.get(o.request_id) or force_of.get(o.request_id),
                "technology": o.technology, "question": o.question, "answer": None, "response_date": None,
                "evidence_document_id": None, "evidence_quote": None, "evidence_start": None,
                "evidence_end": None, "evidence_url": None,
            }
            rows.append(row)
            index[(o.request_id, o.technology, o.question)] = row
        row[o.field] = o.value
        row["method"] = OVERRIDE_METHOD
        row["confidence"] = 1.0
    return rows


REVIEW_COLUMNS = ["finding_id", "request_id", "force_id", "technology", "question", "answer", "confidence",
                  "method", "reason", "evidence_quote", "evidence_url"]


# Below this confidence a finding is doubtful and goes to the review queue (DESIGN.md rule 3).
REVIEW_THRESHOLD = 0.6


def review_queue(findings_rows: list[dict], threshold: float = REVIEW_THRESHOLD) -> list[dict]:
    """Findings a person should check: confidence below ``threshold``, answers two rules disagreed
    on (method ending in ``+conflict``), and ``unclear`` answers. Overridden rows are done."""
    queue = []
    for row in findings_rows:
        if row.get("method") == OVERRIDE_METHOD:
            continue
        reasons = []
        confidence = row.get("confidence")
        if confidence is not None and confidence < threshold:
            reasons.append(f"confidence {confidence:.2f} below {threshold:.2f}")
        if str(row.get("method") or "").endswith("+conflict"):
            reasons.append("rules disagree")
        if row.get("answer") == "unclear":
            reasons.append("answer unclear")
        if reasons:
            queue.append({**{c: row.get(c) for c in REVIEW_COLUMNS if c != "reason"}, "reason": "; ".join(reasons)})
    return sorted(queue, key=lambda r: (r["confidence"] if r["confidence"] is not None else 0, r["finding_id"] or ""))


def write_review_csv(queue: list[dict], path: Path | str) -> Path:
    """The review queue as CSV (written to a temporary name, then renamed into place); quotes
    that a spreadsheet would run as formulas are defused, as in the downloads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({column: defuse(value) for column, value in row.items()} for row in queue)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m transform.overrides [PATH]``: check the overrides file without building."""
    import sys
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else OVERRIDES_CSV
    try:
        overrides = load_overrides(path)
    except OverrideError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{_display(path)}: {len(overrides)} override(s), valid (request ids are checked at build time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
