"""Findings -> ``force_status`` (one row per force x technology x question) and its wide form,
``force_status_wide`` (one row per force).

The rules (also in docs/rollup.md):
1. For each force and question, only determinate answers count (for use: yes, no, ncnd, withheld,
   not_held; for planned: yes, no, ncnd; for documents: provided, withheld, not_held, exists).
   If a force has only ``unclear`` answers, its status is ``unclear``; with none, it is empty.
2. The latest dated determinate answer wins; older answers stay in ``findings`` as history.
3. Two answers from different requests whose response dates lie within ``CONFLICT_WINDOW_DAYS``
   of the latest, and that disagree, make the status ``conflicting``: they go to the review queue
   rather than into the table as fact.
4. An override always wins (it is a maintainer's reviewed answer).
5. Only confident answers are shown as fact: when the finding behind the status is below the
   review threshold (``transform.overrides.REVIEW_THRESHOLD``) and is not an override, the status
   is ``needs_review`` and its answer is kept beside it as the candidate; an implicit answer
   (method ``implicit_*``) that another request of the force gives too is shown as the answer.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from reference import technologies
from transform.overrides import OVERRIDE_METHOD, REVIEW_THRESHOLD

CONFLICT_WINDOW_DAYS = 90
CONFLICTING = "conflicting"
NEEDS_REVIEW = "needs_review"
# Rules whose answer is inferred rather than stated (transform/answers: implicit_own_use, ...).
IMPLICIT_PREFIX = "implicit_"
# Statuses that are not an answer of the force: the finding behind them is only a candidate.
UNSETTLED = {CONFLICTING, NEEDS_REVIEW}

DETERMINATE = {
    "use": {"yes", "no", "ncnd", "withheld", "not_held"},
    "planned": {"yes", "no", "ncnd"},
    "dpia": {"provided", "withheld", "not_held", "exists"},
}

# force_status_wide column -> (question, technology) of the findings it summarises.
STATUS_FIELDS = {f.field: (f.question, f.technology) for f in technologies.status_fields()}


def _as_date(value) -> date | None:
    if value is None or value != value:  # None or NaN
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def is_confident(finding: dict) -> bool:
    """An override, or a finding at or above the review threshold. A finding without a confidence
    is doubtful: nothing vouches for it."""
    if finding["method"] == OVERRIDE_METHOD:
        return True
    confidence = finding.get("confidence")
    return confidence is not None and confidence == confidence and confidence >= REVIEW_THRESHOLD


def corroborated(finding: dict, findings: list[dict]) -> bool:
    """An implicit answer (inferred from records that exist only if the force uses the technology)
    that another of the force's replies gives too: two independent replies agreeing."""
    return str(finding["method"]).startswith(IMPLICIT_PREFIX) and any(
        f["request_id"] != finding["request_id"] and f["answer"] == finding["answer"] for f in findings)


def latest_answer(findings: list[dict], question: str) -> tuple[str | None, dict | None]:
    """The answer a force's status shows for one question, and the finding behind it (for
    ``conflicting`` and ``needs_review``, the candidate answer's finding)."""
    if not findings:
        return None, None
    determinate = [f for f in findings if f["answer"] in DETERMINATE[question]]
    if not determinate:
        return "unclear", max(findings, key=lambda f: _as_date(f["response_date"]) or date.min)
    ordered = sorted(determinate, key=lambda f: (_as_date(f["response_date"]) or date.min, f["finding_id"]))
    latest = ordered[-1]
    latest_date = _as_date(latest["response_date"])
    if latest_date is not None and latest["method"] != OVERRIDE_METHOD:
        recent = [f for f in ordered if (d := _as_date(f["response_date"])) and (latest_date - d).days <= CONFLICT_WINDOW_DAYS]
        if len({f["answer"] for f in recent}) > 1 and len({f["request_id"] for f in recent}) > 1:
            return CONFLICTING, latest
    if not is_confident(latest) and not corroborated(latest, determinate):
        return NEEDS_REVIEW, latest
    return latest["answer"], latest


def conflicts(findings: list[dict]) -> list[dict]:
    """Findings behind every ``conflicting`` status, for the review queue."""
    grouped = defaultdict(list)
    for f in findings:
        grouped[(f["force_id"], f["question"], f["technology"])].append(f)
    rows = []
    for (_, question, _), group in grouped.items():
        if question in DETERMINATE and latest_answer(group, question)[0] == CONFLICTING:
            rows += group
    return rows


def status_rows(forces: list[dict], findings: list[dict], date_precision: dict[str, str] | None = None) -> list[dict]:
    """``force_status``: one row per force x technology x question, with the answer its page shows.
    ``date_precision``: request id -> the precision of its response date (day, or month for a
    disclosure-log item dated by its folder), carried so pages show "2025-07", not "2025-07-01"."""
    date_precision = date_precision or {}
    by_force = defaultdict(lambda: defaultdict(list))
    for f in findings:
        by_force[f["force_id"]][(f["question"], f["technology"])].append(f)
    rows = []
    for force in forces:
        fid = force["force_id"]
        for question, technology in STATUS_FIELDS.values():
            answer, finding = latest_answer(by_force[fid][(question, technology)], question)
            rows.append({
                "status_id": f"{fid}:{technology}:{question}", "force_id": fid, "technology": technology,
                "question": question, "status": answer,
                "candidate": finding["answer"] if answer in UNSETTLED else None,
                "answer_date": finding["response_date"] if finding else None,
                "answer_date_precision": date_precision.get(finding["request_id"], "day") if finding else None,
                "evidence_quote": finding["evidence_quote"] if finding else None,
                "evidence_url": finding["evidence_url"] if finding else None,
                "finding_id": finding["finding_id"] if finding else None,
            })
    return rows


# force_status_wide column suffix -> force_status column it comes from.
WIDE_FROM_LONG = {"": "status", "_candidate": "candidate", "_date": "answer_date",
                  "_date_precision": "answer_date_precision", "_quote": "evidence_quote",
                  "_url": "evidence_url", "_finding_id": "finding_id"}


def wide_rows(forces: list[dict], requests: list[dict], statuses: list[dict],
              suppliers: list[dict], exemptions: list[dict]) -> list[dict]:
    """``force_status_wide``: ``force_status`` pivoted to one row per force, with its suppliers,
    exemptions, request count and latest response date."""
    column_of = {key: column for column, key in STATUS_FIELDS.items()}
    status_by_force = defaultdict(dict)
    for row in statuses:
        status_by_force[row["force_id"]][column_of[(row["question"], row["technology"])]] = row
    requests_by_force = defaultdict(list)
    for r in requests:
        requests_by_force[r["force_id"]].append(r)
    suppliers_by_force = defaultdict(set)
    for s in suppliers:
        suppliers_by_force[s["force_id"]].add(s["supplier_id"])
    exemptions_by_force = defaultdict(set)
    for e in exemptions:
        exemptions_by_force[e["force_id"]].add(e["section"])

    rows = []
    for force in forces:
        fid = force["force_id"]
        row = {"force_id": fid, "name": force["name"], "country": force["country"]}
        for column, status in status_by_force[fid].items():
            row.update({column + suffix: status[field] for suffix, field in WIDE_FROM_LONG.items()})
        dates = [d for r in requests_by_force[fid] if (d := _as_date(r["response_date"]))]
        row.update(
            suppliers=sorted(suppliers_by_force[fid]),
            exemptions=sorted(exemptions_by_force[fid], key=lambda s: int(s[1:]) if s[1:].isdigit() else 999),
            requests=len(requests_by_force[fid]),
            last_response_date=max(dates) if dates else None,
        )
        rows.append(row)
    return rows


def force_status_rows(forces: list[dict], requests: list[dict], findings: list[dict],
                      suppliers: list[dict], exemptions: list[dict]) -> tuple[list[dict], list[dict]]:
    """(``force_status``, ``force_status_wide``) from the build's rows."""
    precision = {r["request_id"]: r.get("response_date_precision") or "day" for r in requests}
    statuses = status_rows(forces, findings, precision)
    return statuses, wide_rows(forces, requests, statuses, suppliers, exemptions)
