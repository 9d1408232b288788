"""Remove personal data that the dataset does not need (DESIGN rule 7).

The raw layer keeps what the site published. The published text has e-mail addresses, phone
numbers and the names of the people in the correspondence replaced by marks of the kind
WhatDoTheyKnow itself uses, so redactions stay recognisable and are never read as content words.
Names come from the correspondence headers (requester, officer) and from salutations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 01xxx / 02x / 07xxx / +44 forms, with the spacing people actually type.
PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
# "Dear Mr Smith", "Dear Ms J. Smith": the salutation names the person even when no header does.
SALUTATION = re.compile(r"\b(Dear\s+(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?)\s+((?:[A-Z]\.?\s+)*[A-Z][\w'-]+)")
NAME_MARK = "[name removed]"

# Words that appear in correspondence headers but are not people's names.
NOT_NAMES = {
    "police", "constabulary", "force", "service", "team", "unit", "information", "compliance", "freedom",
    "disclosure", "the", "and", "of", "for", "foi", "data", "protection", "office", "department", "records",
    "management", "access", "request", "requests", "officer", "decision", "maker", "legal", "services",
}


def names_in_headers(authors: Iterable[str | None]) -> set[str]:
    """People's names among correspondence authors: "Jane Example" or "J Smith, Kent Police"
    yield the personal part; department names such as "Information Compliance" yield nothing."""
    names = set()
    for author in authors:
        if not author:
            continue
        person = author.split(",")[0].strip()
        words = re.findall(r"[A-Za-z][\w'-]*", person)
        if words and not any(w.casefold() in NOT_NAMES for w in words) and not person.startswith("["):
            names.add(person)
    return names


def _name_pattern(names: set[str]) -> re.Pattern | None:
    parts = set()
    for name in names:
        parts.add(re.escape(name))
        # A surname alone ("Mr Example") identifies the person too; single letters do not.
        parts.update(re.escape(w) for w in name.split() if len(w) > 2 and w[0].isupper())
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\b")


def redact(text: str, names: set[str] = frozenset()) -> str:
    text = EMAIL.sub("[email address]", text)
    text = PHONE.sub("[phone number]", text)
    text = SALUTATION.sub(lambda m: f"{m.group(1)} {NAME_MARK}", text)
    pattern = _name_pattern(set(names))
    return pattern.sub(NAME_MARK, text) if pattern else text
