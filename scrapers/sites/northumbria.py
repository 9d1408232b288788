"""Northumbria Police's disclosure log: selectors, words and URL rules in one place. Spec §3.2.

The log index lists categories (`.../disclosure-log/<category>/`), each category lists items
(`.../<category>/<title-slug><refdigits>/`) with "next" pages. An item's title carries the
reference ("Facial Recognition - 382/23"), then "Date Responded 22 March 2023", a preamble,
"You asked:" and "In Response:". The `beta.` host may have moved to `www.`: both are tried.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers import logpage

FORCE_ID = "northumbria"
LOG_PATH = "/about-us/publications-and-documents/accessing-information/disclosure-log/"
CATEGORY_PATH = re.compile("^" + re.escape(LOG_PATH) + r"[a-z0-9-]+/$")
ITEM_PATH = re.compile("^" + re.escape(LOG_PATH) + r"[a-z0-9-]+/[a-z0-9-]+/$")
ALTERNATE_BASES = {"https://beta.northumbria.police.uk": "https://www.northumbria.police.uk",
                   "https://www.northumbria.police.uk": "https://beta.northumbria.police.uk"}
NEWEST_FIRST = True
FILES = re.compile(r"\.(?:pdf|xlsx?|docx?|csv)$", re.IGNORECASE)
TITLE_REFERENCE = re.compile(r"[-\u2013]\s*(\d+/\d{2,4})\s*$")
SLUG_REFERENCE = re.compile(r"-(\d+)(\d{2})/$")

RULES = logpage.PageRules(
    boilerplate=logpage.patterns(r"\bcookies?\b", r"^home\s*>"),
    request_starts=logpage.patterns(r"^you asked\s*:?$"),
    response_starts=logpage.patterns(r"^in response\s*:?$"),
    received=logpage.patterns(r"date received\s*:?\s*([^\n]+)", r"received on\s+([^\n]+)"),
    responded=logpage.patterns(r"date responded\s*:?\s*([^\n]+)"),
)


def sub_listings(body: bytes, page_url: str) -> list[str]:
    """The categories' first pages (a category's own paging is its "next" link, not a category)."""
    return [href for href, _text, _attrs in logpage.links(body, page_url)
            if CATEGORY_PATH.match(urlsplit(href).path) and not urlsplit(href).query]


def fallback_reference(page: dict, page_url: str) -> str | None:
    """The reference when the text prints none: from the title, else from the slug's digits."""
    title = TITLE_REFERENCE.search(page["title"] or "")
    slug = SLUG_REFERENCE.search(urlsplit(page_url).path)
    return (title and title.group(1)) or (slug and f"{slug.group(1)}/{slug.group(2)}") or None
