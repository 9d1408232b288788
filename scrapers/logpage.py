"""Reading disclosure-log pages by structure and text, shared by every log family.

Real log markup is not known here (spec §2.4: SOH has no structured fields), so nothing in this
module relies on class names: a page becomes lines of text from its main content, boilerplate is
dropped by what it says, and the request is told from the response by the headings forces print
("Request", "Response", "You asked:", "Decision" ...). Each family's own words and URL rules
live in its module in scrapers/sites/; this module only applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from reference import technologies

# Elements that never hold an item's own words: page furniture and controls.
FURNITURE = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "form",
             "aside", "button", "select", "iframe")
BLOCKS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
          "h4", "h5", "h6", "table", "tr", "blockquote", "pre", "address", "figure", "figcaption", "hr"}

# What an item about a tracked technology says somewhere in its title or text, and the broader
# words that make a listing entry (title and first lines) worth fetching: both from the technology
# registry (reference/technologies/, log_items).
_ABOUT, _CANDIDATE = technologies.log_item_patterns()
ABOUT_TEXT = re.compile(_ABOUT, re.IGNORECASE)
CANDIDATE_TEXT = re.compile(_CANDIDATE, re.IGNORECASE)

# A Cloudflare-style challenge page: served with 403 (or 503) to clients without JavaScript.
CHALLENGE_TEXT = re.compile(
    r"just a moment|enable javascript and cookies|checking (?:your|if the site connection is) |"
    r"challenge-platform|cf-chl|attention required", re.IGNORECASE)

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE_PATTERNS = [
    # 20th February 2023, 8 April 2025, 8 Apr. 2025
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})\b", re.I), "dmy"),
    # January 28, 2025
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    # 2025-04-08
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
    # 06/02/26, 28/05/2025, 28.05.2025: UK order, day first
    (re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b"), "numeric"),
]


def parse_date(text: str | None) -> str | None:
    """The first date written in ``text`` as an ISO date, or None."""
    if not text:
        return None
    found = []
    for pattern, kind in DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append((match.start(), kind, match.groups()))
    for _, kind, groups in sorted(found):
        try:
            if kind == "dmy":
                value = date(int(groups[2]), _month(groups[1]), int(groups[0]))
            elif kind == "mdy":
                value = date(int(groups[2]), _month(groups[0]), int(groups[1]))
            elif kind == "iso":
                value = date(int(groups[0]), int(groups[1]), int(groups[2]))
            else:
                year = int(groups[2]) + (2000 if len(groups[2]) == 2 else 0)
                value = date(year, int(groups[1]), int(groups[0]))
        except (ValueError, KeyError):
            continue
        return value.isoformat()
    return None


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    for full, number in MONTHS.items():
        if full.startswith(name[:3]):
            return number
    raise KeyError(name)


def labelled_date(lines: list[str], patterns: list[re.Pattern]) -> str | None:
    """The date after the first label that matches, e.g. "received on 20th February 2023" or
    "Date of request: 8 April 2025". Each pattern's first group holds the date text."""
    text = "\n".join(lines)
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            value = parse_date(match.group(1))
            if value:
                return value
    return None


# ---------------------------------------------------------------------------------------------
# page -> lines

def page_lines(body: bytes | str, roots: tuple[str, ...] = ("//main", "//*[@role='main']", "//article", "//body"),
               ) -> list[str]:
    """The visible text of the page's main content, one line per block, furniture removed."""
    tree = _tree(body)
    root = None
    for xpath in roots:
        found = tree.xpath(xpath)
        if found:
            root = found[0]
            break
    if root is None:
        return []
    for junk in root.xpath(" | ".join(f".//{tag}" for tag in FURNITURE)):
        junk.drop_tree()
    for element in root.iter():
        # Source line breaks are only spaces in HTML; lines come from <br> and blocks below.
        if isinstance(element.tag, str) and element.tag != "pre" and not element.xpath("ancestor::pre"):
            element.text = re.sub(r"\s+", " ", element.text) if element.text else element.text
            element.tail = re.sub(r"\s+", " ", element.tail) if element.tail else element.tail
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        elif element.tag in ("td", "th"):
            element.tail = " " + (element.tail or "")  # cells of one row stay on one line, apart
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in root.text_content().split("\n")]
    return [line for line in lines if line]


def strip_lines(lines: list[str], boilerplate: list[re.Pattern]) -> list[str]:
    """Lines left after dropping every one that matches a boilerplate pattern."""
    return [line for line in lines if not any(p.search(line) for p in boilerplate)]


def page_title(body: bytes | str) -> str | None:
    tree = _tree(body)
    for xpath in ("//main//h1", "//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            return re.sub(r"\s+", " ", found[0].text_content()).strip() or None
    return None


def links(body: bytes | str, base_url: str, within: tuple[str, ...] = ("//main", "//body")) -> list[tuple[str, str, dict]]:
    """(absolute href, anchor text, attributes) of every link in the main content, in order."""
    tree = _tree(body)
    root = next((found[0] for xpath in within if (found := tree.xpath(xpath))), tree)
    out = []
    for anchor in root.xpath(".//a[@href]"):
        href = anchor.get("href").strip()
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        text = re.sub(r"\s+", " ", anchor.text_content()).strip()
        out.append((urljoin(base_url, href), text, dict(anchor.attrib)))
    return out


def next_page(body: bytes | str, base_url: str) -> str | None:
    """The "next page" link of a listing: rel=next, or a link whose text says next / older."""
    tree = _tree(body)
    for anchor in tree.xpath("//a[@href]"):
        rel = (anchor.get("rel") or "").lower().split()
        text = re.sub(r"\s+", " ", anchor.text_content()).strip().lower()
        if "next" in rel or re.match(r"^(?:next(?: page)?|older (?:posts|entries|items))\b", text):
            return urljoin(base_url, anchor.get("href"))
    return None


def _tree(body: bytes | str):
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return lxml_html.fromstring(body or "<html></html>")


# ---------------------------------------------------------------------------------------------
# request / response

@dataclass
class Sections:
    request: list[str] = field(default_factory=list)
    response: list[str] = field(default_factory=list)
    # "headings": a request heading was found and a response heading after it; "unknown": not,
    # so every line is the response's (the raw items' ``request_split``).
    split: str = "headings"

    @property
    def request_text(self) -> str:
        return "\n".join(self.request)

    @property
    def response_text(self) -> str:
        return "\n".join(self.response)


def split_sections(lines: list[str], request_starts: list[re.Pattern], response_starts: list[re.Pattern],
                   ) -> Sections:
    """Tell the requester's words from the force's by the headings between them.

    A line matching a request pattern opens a request section, one matching a response pattern
    opens a response section; sections may alternate (Q1 / Response / Q2 / Response). Lines
    before the first heading (reference, dates, the force's preamble) are the force's. When no
    response heading follows the last request heading, where the request ends is not known: the
    force's decision could be in it, so the whole text is kept as the response, split "unknown".
    """
    sections, current, answered = Sections(), "response", False
    for line in lines:
        if any(p.search(line) for p in request_starts):
            current, answered = "request", False
        elif any(p.search(line) for p in response_starts):
            current, answered = "response", answered or bool(sections.request)
        (sections.request if current == "request" else sections.response).append(line)
    if not (sections.request and answered):
        return Sections(response=list(lines), split="unknown")
    return sections


def is_about_a_tracked_technology(*texts: str | None) -> bool:
    return any(ABOUT_TEXT.search(t or "") for t in texts)


def is_candidate(*texts: str | None) -> bool:
    return any(CANDIDATE_TEXT.search(t or "") for t in texts)


def blocked_reason(status: int, body: bytes) -> str | None:
    """Why a response means the site is refusing us, or None if it does not."""
    if status == 429:
        return "HTTP 429 Too Many Requests"
    if status in (403, 503) and CHALLENGE_TEXT.search(body[:20000].decode("utf-8", "replace")):
        return f"HTTP {status} with a JavaScript challenge page"
    if status == 403:
        return "HTTP 403 Forbidden"
    return None


def same_site(url: str, host: str) -> bool:
    """True when ``url`` is on ``host`` with or without ``www.`` (both forms occur, spec §2.2)."""
    other = (urlsplit(url).hostname or "").lower()
    return _bare(other) == _bare(host.lower())


def on_base(url: str, real_base: str) -> str:
    """``url`` moved onto ``real_base``'s scheme and host, fragment dropped: one form per page."""
    parts, base = urlsplit(url), urlsplit(real_base)
    return urlunsplit((base.scheme, base.netloc, parts.path or "/", parts.query, ""))


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host



# ---------------------------------------------------------------------------------------------
# whole pages and listings, by a family's rules

@dataclass
class PageRules:
    """How one family's item pages read: furniture to drop by its words, the headings that open
    the request and the response, and the labels of the received and response dates."""

    boilerplate: list[re.Pattern]
    request_starts: list[re.Pattern]
    response_starts: list[re.Pattern]
    received: list[re.Pattern]
    responded: list[re.Pattern]


def patterns(*regexes: str) -> list[re.Pattern]:
    """Case-insensitive patterns whose ^ and $ work per line."""
    return [re.compile(r, re.IGNORECASE | re.MULTILINE) for r in regexes]


# Headings of a page's list of files: part of neither the request nor the response.
FILE_HEADINGS = patterns(r"^(?:documents?|downloads?|attachments?|related documents|files)\s*:?$")


def read_page(body: bytes | str, rules: PageRules, link_texts: list[str] = ()) -> dict:
    """Title, dates, request and response text of an item page. ``link_texts`` (the attachment
    links' texts) belong to neither text."""
    title = page_title(body)
    lines = strip_lines(page_lines(body), FILE_HEADINGS + rules.boilerplate)
    lines = [line for i, line in enumerate(lines) if not (i < 3 and line == title) and line not in link_texts]
    sections = split_sections(lines, rules.request_starts, rules.response_starts)
    return {
        "title": title,
        "lines": lines,
        "received": labelled_date(sections.response, rules.received),
        "responded": labelled_date(sections.response, rules.responded),
        "request_text": sections.request_text,
        "response_text": sections.response_text,
        "request_split": sections.split,
    }


def listing_entries(body: bytes | str, page_url: str, wanted: re.Pattern) -> list[tuple[str, str]]:
    """(URL, entry text) for each link whose path matches ``wanted``; the text is that of the
    nearest enclosing entry (article, list item, table row), else the link's own, so a listing's
    title and first lines can be screened before the item is fetched."""
    tree = _tree(body)
    root = next((found[0] for xpath in ("//main", "//body") if (found := tree.xpath(xpath))), tree)
    out: dict[str, str] = {}
    for anchor in root.xpath(".//a[@href]"):
        url = urljoin(page_url, anchor.get("href").strip())
        if not wanted.search(urlsplit(url).path) or url in out:
            continue
        entry = next(iter(anchor.xpath("ancestor::*[self::article or self::li or self::tr][1]")), anchor)
        # Text nodes joined with spaces: "Title</a></h3><p>2 May 2025" must not run together.
        out[url.split("#")[0]] = re.sub(r"\s+", " ", " ".join(entry.itertext())).strip()
    return list(out.items())


def newest_first(entry_texts: list[str]) -> bool:
    """True when every listing entry shows a date (the first one in its text) and no entry is
    newer than the one above it: the order a crawl may stop reading at known entries in."""
    dates = [parse_date(text) for text in entry_texts]
    return all(dates) and all(a >= b for a, b in zip(dates, dates[1:]))


def file_links(body: bytes | str, page_url: str, wanted: re.Pattern) -> list[tuple[str, str]]:
    """(URL, link text) of the files a page links in its main content, once each, where the
    link's path matches ``wanted`` (an upload folder, or a file extension)."""
    out: dict[str, str] = {}
    for href, text, _attrs in links(body, page_url):
        if wanted.search(urlsplit(href).path) and href not in out:
            out[href] = text
    return list(out.items())


def xpath_values(body: bytes | str, expression: str) -> list[str]:
    """String results of an XPath over the page (attribute values, text nodes)."""
    return [str(value) for value in _tree(body).xpath(expression)]
