"""A disclosure-log item's status from its own text: what the force says it did with the request
(docs/disclosure-logs.md, "Status"). The phrasings are data, in scrapers/sites/log_status.yaml.

The outcomes found are combined so that the strongest one wins: a partial disclosure, or
information given with something refused or neither confirmed nor denied, is
``partially_successful``; a full disclosure ``successful``; otherwise a refusal ``rejected``,
then ``neither_confirm_nor_deny``, then ``not_held``; no phrasing found, None.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

PHRASINGS = Path(__file__).resolve().parent / "sites" / "log_status.yaml"
OUTCOMES = ("disclosed_in_full", "disclosed_in_part", "refused", "neither_confirm_nor_deny", "not_held")
STATUSES = ("successful", "partially_successful", "rejected", "neither_confirm_nor_deny", "not_held")


@lru_cache(maxsize=1)
def phrasings() -> dict[str, re.Pattern]:
    data = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))
    if set(data) != set(OUTCOMES):
        raise ValueError(f"{PHRASINGS}: expected the outcomes {OUTCOMES}, found {sorted(data)}")
    return {outcome: re.compile("|".join(f"(?:{p})" for p in data[outcome]), re.IGNORECASE) for outcome in OUTCOMES}


def outcomes(text: str) -> set[str]:
    """The outcomes the text states."""
    text = re.sub(r"\s+", " ", text or "")
    return {outcome for outcome, pattern in phrasings().items() if pattern.search(text)}


def status(text: str) -> str | None:
    """One of STATUSES, or None when the text states no outcome."""
    found = outcomes(text)
    withheld = found & {"refused", "neither_confirm_nor_deny"}
    if "disclosed_in_part" in found or ("disclosed_in_full" in found and withheld):
        return "partially_successful"
    if "disclosed_in_full" in found:
        return "successful"
    for outcome, value in (("refused", "rejected"), ("neither_confirm_nor_deny", "neither_confirm_nor_deny"),
                           ("not_held", "not_held")):
        if outcome in found:
            return value
    return None
