"""The Police Service of Northern Ireland's FOI disclosure log: selectors, words and URL rules in
one place. Spec §3.5.

The log `/foi-disclosure-log` lists items (`/foi-disclosure-log/<subject-slug>`) with "next"
pages. An item opens with its date and topic tags ("January 28, 2025 | Organisational
Information and Performance, Policies"), "Request Number: FOI/00013725" (or "FOI/15929"),
"Category:", "Subject:", then "Request and Answer" with numbered "Request N" / "Answer N" blocks.
"""

from __future__ import annotations

import re

from scrapers import logpage

FORCE_ID = "northern-ireland"
ITEM_PATH = re.compile(r"^/foi-disclosure-log/[a-z0-9-]+/?$")
NEWEST_FIRST = True
FILES = re.compile(r"\.(?:pdf|xlsx?|docx?|csv)$", re.IGNORECASE)
# The date that opens the page, before the topic tags: the date the answer was published.
DATE_AND_TAGS = re.compile(r"^([A-Z][a-z]+ \d{1,2}, \d{4})\s*\|", re.MULTILINE)

RULES = logpage.PageRules(
    boilerplate=logpage.patterns(r"\bcookies?\b", r"^home\s*>"),
    request_starts=logpage.patterns(r"^request\s+\d+\s*:?$", r"^request\s+\d+\s*:\s*\S"),
    response_starts=logpage.patterns(r"^answer\s+\d+\s*:?(?:\s|$)"),
    received=logpage.patterns(r"date (?:of request|received)\s*:?\s*([^\n]+)"),
    responded=[DATE_AND_TAGS],
)
