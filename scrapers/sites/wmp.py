"""West Midlands Police's FOI log, https://foi.west-midlands.police.uk/ (a WordPress site apart
from the force's SOH site): selectors, words and URL rules in one place. Spec §3.1.

Discovery: the home page's year-archive links (WordPress "Archives" widget, /<yyyy>/), each
archive followed through its "Older posts" / next pages (/<yyyy>/page/N/); entries are the
listing's posts, screened on their title and first lines. Items are /<title-slug>-<ref>/ with
"Request" and "Response" headings; older ones only say the response is attached, and link
<ref>_ATTACHMENT_01 and <ref>_PIT_01 files from the uploads folder.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers import logpage

FORCE_ID = "west-midlands"
YEAR_ARCHIVE = re.compile(r"^/\d{4}/$")
# /facial-recognition-330a-23/, /facial-recognition-13457_18/: the reference ends the slug.
ITEM_PATH = re.compile(r"^/[a-z0-9-]+-(?P<number>\d+[a-z]?)[-_](?P<year>\d{2})/$")
FILES = re.compile(r"/wp-content/uploads/")
# WordPress archives list posts newest first ("Older posts" pages, spec §3.1), and the home page
# lists every post: the year archives only repeat it.
NEWEST_FIRST = True
INDEX_LISTS_ALL = True
# "Facial Recognition 330A/23", "Facial Recognition - 13457_18", "Facial Recognition (11998/19)"
# (spec §2.6): the reference ends the title, in brackets or not.
TITLE_REFERENCE = re.compile(r"\(?(\d+[A-Za-z]?[/_]\d{2})\)?\s*$")

RULES = logpage.PageRules(
    boilerplate=logpage.patterns(r"^skip to content$", r"^posted (?:on|in)\b", r"^(?:share|tags?|categories)\s*:",
                                 r"^(?:previous|next) (?:post|item)\b", r"^leave a comment"),
    request_starts=logpage.patterns(r"^(?:the )?request\s*:?$"),
    response_starts=logpage.patterns(r"^(?:the )?response\s*:?$", r"^(?:please find|the response is) .*attached"),
    received=logpage.patterns(r"(?:date received|received on)\s*:?\s*([^\n]+)"),
    responded=logpage.patterns(r"(?:date responded|response date|date of response)\s*:?\s*([^\n]+)"),
)


def sub_listings(body: bytes, page_url: str) -> list[str]:
    """Year archives, linked from the sidebar of every page."""
    return [href for href, _text, _attrs in logpage.links(body, page_url, within=("//body",))
            if YEAR_ARCHIVE.match(urlsplit(href).path)]


def fallback_reference(page: dict, page_url: str) -> str | None:
    """The reference when the text prints none: it ends the title, else the slug."""
    title = TITLE_REFERENCE.search(page["title"] or "")
    slug = ITEM_PATH.match(urlsplit(page_url).path)
    return (title and title.group(1)) or (slug and f"{slug['number'].upper()}/{slug['year']}") or None


def published(body: bytes) -> str | None:
    """WordPress prints the post date in a <time> element: the response date when none is printed."""
    return logpage.parse_date(" ".join(logpage.xpath_values(body, "//main//time/@datetime")))
