"""A force's own FOI reference number: finding it in a response, and comparing two of them.

The same request turns up on WhatDoTheyKnow and in the force's disclosure log under the force's
reference number (spec §1), printed in many ways: "Reference No: 174439", "Our ref: 762/22",
"Enquiry Reference: 667 - 24", "Request Number: FOI/00013725", "01.FOI.22.022487". Requests are
matched on (force, normalised reference), never on URL or title.
"""

from __future__ import annotations

import re

# A label the force puts before its own number. "Your ref" is the requester's, never the force's.
_LABEL = (
    r"(?<![Yy]our\s)(?<![Yy]our)"
    r"\b(?:(?:foi|freedom\s+of\s+information|enquiry|request|our|case)\s+)?(?:request\s+)?"
    r"(?:(?:reference|ref)(?:\s*(?:no\b\.?|number|num\b))?|(?<=foi\s)(?:number|no\b\.?)|(?<=request\s)(?:number|no\b\.?))"
)
# The number itself: up to four letters glued on ("FOI/00013725", "FOI 2023/0456"), then
# digits, letters and separators; "667 - 24" keeps its spaced dash.
_VALUE = r"((?:[A-Za-z]{2,4}\s)?[\w./\-]*\d[\w./\-]*(?:\s+[-/]\s+\d+\b)?)"
LABELLED = re.compile(_LABEL + r"\s*[:.\-\u2013]?\s*" + _VALUE, re.IGNORECASE)

# Numbers recognisable without a label: the Met's "01.FOI.22.022487" and "FOI 2023/0456".
UNLABELLED = [
    re.compile(r"\b(\d{2}\.FOI\.\d{2}\.\d{4,})\b"),
    re.compile(r"\b(FOI\s?\d{4}/\d+)\b"),
]


def find_reference(text: str | None) -> str | None:
    """The first force reference printed in ``text``, as printed (trailing punctuation
    trimmed), or None."""
    if not text:
        return None
    for match in LABELLED.finditer(text):
        value = match.group(1).rstrip(".-/_")
        if re.search(r"\d", value) and not re.fullmatch(r"(?:FOI\s?)?2000", value, re.IGNORECASE):
            return value
    for pattern in UNLABELLED:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def normalise_reference(ref: str) -> str:
    """A key under which the printed forms of one reference compare equal: 382/23, 382-23 and
    "382 - 23" all give "382/23"; "FOI/00013725" gives "13725"; "208-2023" gives "208/23"."""
    value = ref.strip().upper()
    value = re.sub(r"^(?:FOIA?|FOISA|REF|PUB)[\s/.:\-]*(?=\d)", "", value)
    parts = [p for p in re.split(r"[\s/._\-\u2013]+", value) if p]
    parts = [(p.lstrip("0") or "0") if p.isdigit() else p for p in parts]
    # "N/2023" and "N/23" are the same request: a two-part reference ends with its year.
    if len(parts) == 2 and re.fullmatch(r"20\d\d", parts[1]):
        parts[1] = parts[1][2:]
    return "/".join(parts)
