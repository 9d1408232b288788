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

LISTER_PATH = "/foi-ai/af/accessing-information/published-items/"
# Spec §2.5: several terms, because titles vary; every hit is then filtered by its text. The
# terms are the technology registry's (reference/technologies/, search_terms: logs).
SEARCH_TERMS = technologies.search_terms("logs")
ITEM_PATH = re.compile(r"^/(?:cy-GB/)?foi-ai/(?P<slug>[a-z0-9-]+)/.+")
# The Welsh copy of a page (South Wales) is the same item: keep the English path.
WELSH_PREFIX = re.compile(r"^/cy-GB(?=/foi-ai/)")
ATTACHMENT_PATH = re.compile(r"/SysSiteAssets/", re.IGNORECASE)

RULES = logpage.PageRules(
    # Platform furniture that can sit inside the main content (spec §2.4): dropped by what it says.
    boilerplate=logpage.patterns(
        r"^quickly exit this site", r"^leave this site", r"\bcookies?\b.*\b(?:accept|reject|settings|preferences)\b",
        r"^(?:accept|reject) (?:all|optional|additional)? ?cookies", r"^we use (?:some )?(?:essential )?cookies",
        r"^beta\b", r"this is a new (?:website|service)", r"your feedback will help us improve",
        r"^was this page helpful", r"^share this page", r"^back to top$", r"^skip to (?:main )?content",
        r"^(?:home|freedom of information|accessing information)$", r"^published items$",
        r"^(?:cymraeg|english)$",
    ),
    # Where the requester's words start and where the force's start again (spec §2.4: Met,
    # Warwickshire / West Mercia, Cleveland, North Yorkshire, South Wales, Dyfed-Powys; Essex
    # has no heading, see ESSEX_PUB).
    request_starts=logpage.patterns(
        r"^i note you seek access to the following information",
        r"^(?:request|your request|information requested)(?:\s+\d+(?:\s*-\s*\d+)?)?\s*:?$",
        r"^request(?:\s+\d+(?:\s*-\s*\d+)?)?\s*:\s*\S",
        r"^q\d+[a-z]?\b",
    ),
    response_starts=logpage.patterns(
        r"^(?:response|our response|in response|answer)(?:\s+(?:to\s+)?(?:q(?:uestion)?\s*)?\d+[a-z]?)?\s*:?(?:\s|$)",
        r"^decision\s*:?$", r"^reason for decision", r"^extent and result of searches",
        r"^(?:section 17|section 1\b)", r"^(?:yours sincerely|disclosed on)",
    ),
    received=logpage.patterns(
        r"received (?:by [^\n]{0,80}? )?on\s+([^\n]+)",
        r"date (?:of request|request received|received)\s*:?\s*([^\n]+)",
    ),
    responded=logpage.patterns(
        r"^date\s*:\s*([^\n]+)", r"date (?:of response|responded|of disclosure)\s*:?\s*([^\n]+)",
        r"disclosed on\s+([^\n]+)",
    ),
)
# The page's own publication line, outside the force's text: the response date when none is printed.
PUBLISHED = re.compile(r"^published\s*:?\s*(.+)$", re.IGNORECASE | re.MULTILINE)

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


def read_item(body: bytes, link_texts: list[str] = ()) -> dict:
    """Title, dates, request and response text of an SOH item page; ``link_texts`` are the
    attachment links' texts, which are not part of either text."""
    page = logpage.read_page(body, RULES, link_texts)
    lines = [line for line in page["lines"] if not PUBLISHED.search(line)]
    page["published"] = logpage.labelled_date(page["lines"], [PUBLISHED])
    essex = _essex_header(lines)
    if essex:
        header, rest, dates = essex
        page.update(request_text="\n".join(rest), response_text="\n".join(header), received=dates[0],
                    responded=dates[1])
    else:
        sections = logpage.split_sections(lines, RULES.request_starts, RULES.response_starts)
        page.update(request_text=sections.request_text, response_text=sections.response_text)
    page["responded"] = page["responded"] or page["published"]
    return page


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
