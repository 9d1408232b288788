"""Avon and Somerset Constabulary's previous FOI requests: selectors, words and URL rules in one
place. Spec §3.3.

The index `/about/freedom-of-information/previous-foi-requests/` lists items
(`.../requests/<title-slug>/`) with "next" pages. An item has the title, "Date of request:
8 April 2025", "Reference: 490-25", then "Request" and the response.
"""

from __future__ import annotations

import re

from scrapers import logpage

FORCE_ID = "avon-and-somerset"
ITEM_PATH = re.compile(r"/previous-foi-requests/requests/[a-z0-9-]+/?$")
NEWEST_FIRST = True
FILES = re.compile(r"\.(?:pdf|xlsx?|docx?|csv)$", re.IGNORECASE)

RULES = logpage.PageRules(
    boilerplate=logpage.patterns(r"\bcookies?\b", r"^home\s*>"),
    request_starts=logpage.patterns(r"^(?:your )?request\s*:?$"),
    response_starts=logpage.patterns(r"^(?:our )?response\s*:?$"),
    received=logpage.patterns(r"date of request\s*:?\s*([^\n]+)"),
    responded=logpage.patterns(r"date of (?:response|reply)\s*:?\s*([^\n]+)", r"date responded\s*:?\s*([^\n]+)"),
)
