"""Single Online Home ("foi-ai") disclosure logs: every selector, word and URL rule in one place.

Spec: ../shared/specs/disclosure-logs.md §2. One platform, one module, every SOH force: the lister
`/foi-ai/af/accessing-information/published-items/?q=` is searched with the FR terms, result
links under `/foi-ai/<force-slug>/` are followed as found (item URLs are never built from a
template: each force names its own folders), and each page's free text is read by the headings
of the force's template. A maintainer who finds the live markup different after
`make check-live` fixes it here.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from reference import technologies
from scrapers import logpage
from transform.references import find_reference

LISTER_PATH = "/foi-ai/af/accessing-information/published-items/"
# Spec §2.5: several terms, because titles vary; every hit is then filtered by its text. The
# terms are the technology registry's (reference/technologies/, search_terms: logs).
SEARCH_TERMS = technologies.search_terms("logs")
ITEM_PATH = re.compile(r"^/(?:cy-GB/)?foi-ai/(?P<slug>[a-z0-9-]+)/.+")
# The Welsh copy of a page (South Wales) is the same item: keep the English path.
WELSH_PREFIX = re.compile(r"^/cy-GB(?=/foi-ai/)")
ATTACHMENT_PATH = re.compile(r"/SysSiteAssets/", re.IGNORECASE)

RULES = logpage.PageRules(
    # Platform furniture that can sit inside the main content (spec §2.4, §2.6), each on its own
    # line, dropped by what it says; Welsh-locale pages (/cy-GB/) print the same lines in Welsh.
    boilerplate=logpage.patterns(
        r"^quickly exit this site", r"^leave this site", r"\bcookies?\b.*\b(?:accept|reject|settings|preferences)\b",
        r"^(?:accept|reject) (?:all|optional|additional)? ?cookies", r"^we use (?:some )?(?:essential )?cookies",
        r"^you can manage your (?:cookie )?preferences", r"^your cookie (?:preferences|choices|settings)\b",
        r"^sorry, (?:there was )?a technical problem", r"^this site is a beta\b",
        r"^beta\b", r"this is a new (?:website|service)", r"your feedback will help us improve",
        r"^was this page helpful", r"^share this page", r"^back to top$", r"^skip to (?:main )?content",
        r"^(?:home|freedom of information|accessing information)$", r"^published items$",
        r"^(?:cymraeg|english)$",
        # Welsh
        r"^allanfa gyflym", r"^gadael y wefan", r"^rydym yn defnyddio (?:rhai )?cwcis",
        r"^gallwch reoli eich dewisiadau", r"^mae eich dewisiadau cwcis wedi", r"^mae'n ddrwg gennym, roedd problem",
        r"^diolch am roi cynnig ar fersiwn", r"^(?:derbyn|gwrthod) cwcis",
    ),
    # Where the requester's words start and where the force's start again (spec §2.4, §2.6: Met
    # with or without "Decision", Warwickshire / West Mercia, Cleveland, North Yorkshire, South
    # Wales, Dyfed-Powys; Essex has no heading, see ESSEX_PUB; Devon and Cornwall has none at
    # all, so its split is unknown).
    request_starts=logpage.patterns(
        r"^i note you seek access to the following information",
        r"\breceived on\b.*\bas follows:?$",
        r"\bbelow is your request and our response|\byour request and our (?:response|reply) (?:follow|are set out) below",
        r"^(?:request|your request|information requested)(?:\s+\d+(?:\s*-\s*\d+)?)?\s*:?$",
        r"^request(?:\s+\d+(?:\s*-\s*\d+)?)?\s*:\s*\S",
        r"^q\d+[a-z]?\b",
    ),
    response_starts=logpage.patterns(
        r"^(?:response|our response|in response|answer)(?:\s+(?:to\s+)?(?:q(?:uestion)?\s*)?\d+[a-z]?"
        r"(?:\s*(?:and|&|,)\s*\d+)*)?\s*:?(?:\s|$)",
        r"^response\s*:\s*\d+$",
        r"^decision\s*:?$", r"^reason for decision", r"^extent and result of searches",
        r"^i have (?:today )?decided to\b", r"^please find the .{0,60}response set out below",
        r"^we consulted (?:with )?(?:our|the)\b", r"^the .{0,60} department (?:was|were|has been) consulted",
        r"^(?:section 17|section 1\b)", r"^(?:yours sincerely|disclosed on)",
    ),
    received=logpage.patterns(
        r"received (?:by [^\n]{0,80}? )?on\s+([^\n]+)",
        r"date (?:of request|request received|received)\s*:?\s*([^\n]+)",
    ),
    # The response's own date lines (spec §2.6); "received on ..." is the request's date.
    responded=logpage.patterns(
        r"^date\s*:\s*([^\n]+)", r"^version date\s*:\s*([^\n]+)", r"^response date\s*:?\s*([^\n]+)",
        r"date (?:of response|responded|of disclosure)\s*:?\s*([^\n]+)", r"disclosed on\s+([^\n]+)",
    ),
)
# A dated letter head: a line that is only a date, among the first lines of the page.
LETTER_HEAD_LINES = 4
LETTER_HEAD = re.compile(r"^(?:\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4}|\d{1,2}/\d{1,2}/\d{2,4})$")
# The folder's month (spec §2.2, §2.6): /disclosure-2024/august/, /2025/march/, /july-2025/,
# /d/may-2022/. A month segment carries its year or follows a segment that ends with one.
MONTH_SEGMENT = re.compile(r"^(?P<month>[a-z]+)(?:-(?P<year>\d{4}))?$")
YEAR_AT_END = re.compile(r"(?P<year>(?:19|20)\d\d)$")

# Essex: "PUB nnnn", the FOI number, the title, an outcome, then two dates (received,
# responded); the request text follows the second date without a heading.
ESSEX_PUB = re.compile(r"^PUB\s?\d+$", re.IGNORECASE)

# The reference in the slug, force by force (spec §2.2), used only when the page prints none:
# South Wales "foi-28525" is 285/25, Cleveland "foi-66724-facewatch" is 667/24, Dyfed-Powys
# "-6712022" is 671/2022. Other forces' slugs are not decodable (West Mercia's foi-141620 is 141620).
SLUG_REFERENCES = {
    "south-wales-police": re.compile(r"^foi-(?P<number>\d+)(?P<year>\d\d)$"),
    "cleveland-police": re.compile(r"^foi-(?P<number>\d+)(?P<year>\d\d)-"),
    "dyfed-powys-police": re.compile(r"-(?P<number>\d+?)(?P<year>20\d\d)$"),
}


def lister_url(real_base: str, term: str) -> str:
    return f"{real_base}{LISTER_PATH}?{urlencode({'q': term})}"


def result_links(body: bytes, page_url: str, host: str, slug: str | None) -> list[str]:
    """Item pages linked from a lister page: links under /foi-ai/<slug>/ on the force's own host
    (with or without www.), the lister itself and its paging excluded. With no known slug, any
    force slug but the platform's own `af` folder."""
    return list(result_entries(body, page_url, host, slug))


def result_entries(body: bytes, page_url: str, host: str, slug: str | None) -> dict[str, str]:
    """The lister page's results (``result_links``), each with what identifies its version: the
    title and the date the result shows after it. Not the snippet, which a search engine may
    cut differently for each search term."""
    texts = dict(logpage.listing_entries(body, page_url, ITEM_PATH))
    found: dict[str, str] = {}
    for href, title, _attrs in logpage.links(body, page_url):
        path = urlsplit(href).path
        match = ITEM_PATH.match(path)
        if not match or not logpage.same_site(href, host) or path.startswith(LISTER_PATH):
            continue
        if match["slug"] == "af" or (slug and match["slug"] != slug):
            continue
        canonical = WELSH_PREFIX.sub("", path)
        if canonical not in found:
            entry = texts.get(href.split("#")[0], "")
            found[canonical] = f"{title} | {logpage.parse_date(entry.replace(title, '', 1)) or ''}"
    return found


def attachment_links(body: bytes, page_url: str, host: str) -> list[tuple[str, str]]:
    """(URL, link text) of the files an item links under /SysSiteAssets/ on the force's host."""
    return [(href, text) for href, text in logpage.file_links(body, page_url, ATTACHMENT_PATH)
            if logpage.same_site(href, host)]


def read_item(body: bytes, link_texts: list[str] = (), path: str = "") -> dict:
    """Title, dates, request and response text of an SOH item page; ``link_texts`` are the
    attachment links' texts, which are not part of either text. ``path`` (the item's URL path)
    gives the month of publication when the text prints no response date: ``responded`` is then
    the month's first day and ``responded_precision`` "month" (else "day", or None)."""
    page = logpage.read_page(body, RULES, link_texts)
    lines = page["lines"]
    page["received"] = logpage.labelled_date(lines, RULES.received)
    essex = _essex_header(lines)
    if essex:
        header, rest, dates = essex
        page.update(request_text="\n".join(rest), response_text="\n".join(header), received=dates[0],
                    responded=dates[1], request_split="headings")
    page["responded"] = page["responded"] or _letter_head(lines)
    page["responded_precision"] = "day" if page["responded"] else None
    if not page["responded"]:
        page["responded"] = folder_month(path)
        page["responded_precision"] = "month" if page["responded"] else None
    return page


def _letter_head(lines: list[str]) -> str | None:
    heads = [line for line in lines[:LETTER_HEAD_LINES] if LETTER_HEAD.match(line)]
    return logpage.parse_date(heads[0]) if heads else None


def folder_month(path: str) -> str | None:
    """The first day of the month the item's folders name, as an ISO date, or None."""
    year = None
    for segment in path.strip("/").split("/"):
        match = MONTH_SEGMENT.match(segment)
        if match and match["month"] in logpage.MONTHS and (match["year"] or year):
            return f"{match['year'] or year}-{logpage.MONTHS[match['month']]:02d}-01"
        found = YEAR_AT_END.search(segment)
        year = found["year"] if found else None
    return None


def _essex_header(lines: list[str]):
    """(header lines, request lines, [dates]) for an Essex page, else None."""
    if not any(ESSEX_PUB.match(line) for line in lines[:4]):
        return None
    dates = []
    for index, line in enumerate(lines):
        value = logpage.parse_date(line) if len(line) < 40 else None
        if value:
            dates.append(value)
            if len(dates) == 2:
                return lines[:index + 1], lines[index + 1:], dates
    return None


def slug_reference(path: str) -> str | None:
    """A reference recovered from the item's path by its force's slug rule, or None."""
    match = ITEM_PATH.match(path)
    rule = SLUG_REFERENCES.get(match["slug"]) if match else None
    found = rule.search(path.rstrip("/").rsplit("/", 1)[-1]) if rule else None
    return f"{found['number']}/{found['year']}" if found else None


def read_item_page(body: bytes, url: str, host: str) -> dict:
    """An item page as the crawl reads it: ``read_item`` over its text, its attachment links as
    (href, text) and its reference (from the text, else from the URL's slug)."""
    path = urlsplit(url).path
    links = attachment_links(body, url, host)
    page = read_item(body, [text for _href, text in links], path)
    page.update(attachments=links, reference=find_reference(page["response_text"]) or slug_reference(path))
    return page
