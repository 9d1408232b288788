"""Police Scotland's FOI disclosure log (FOISA, not FOIA): selectors, words and URL rules in one
place. Spec §3.4.

The log `/access-to-information/freedom-of-information/disclosure-log/` lists items below it
(e.g. `.../disclosure-log/0/2019/may/19-0954-data02`) with "next" pages. References are
`YY-NNNN`; an item gives it as "Reference:", the response date, then "Request" and "Response".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers import logpage

FORCE_ID = "police-scotland"
LOG_PATH = "/access-to-information/freedom-of-information/disclosure-log/"
# An item is at least three folders below the log (year, month, item); the index's own paging
# links stay on the log path.
ITEM_PATH = re.compile("^" + re.escape(LOG_PATH) + r"(?:[^/]+/){2,}[^/]+/?$")
NEWEST_FIRST = True
FILES = re.compile(r"\.(?:pdf|xlsx?|docx?|csv)$", re.IGNORECASE)
SLUG_REFERENCE = re.compile(r"/(\d{2}-\d{4})[^/]*/?$")

RULES = logpage.PageRules(
    boilerplate=logpage.patterns(r"\bcookies?\b", r"^home\s*>"),
    request_starts=logpage.patterns(r"^(?:your )?request\s*:?$"),
    response_starts=logpage.patterns(r"^(?:our )?response\s*:?$"),
    received=logpage.patterns(r"date (?:of request|received)\s*:?\s*([^\n]+)"),
    responded=logpage.patterns(r"date of (?:response|reply)\s*:?\s*([^\n]+)"),
)



def fallback_reference(page: dict, page_url: str) -> str | None:
    slug = SLUG_REFERENCE.search(urlsplit(page_url).path)
    return slug.group(1) if slug else None
