"""WhatDoTheyKnow (Alaveteli + WDTK theme): every selector and URL rule the spider uses.

A maintainer fixing the spider after a site change edits this module only; `python -m
scrapers.check_live` checks each selector in SELECTORS against real pages. Section numbers refer
to the format spec (../shared/specs/whatdotheyknow.md). The functions here are pure: HTML or a URL
in, plain data out, so the parser tests run on saved responses without Scrapy.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html
from parsel import Selector

from scrapers import logpage

BASE_URL = "https://www.whatdotheyknow.com"
PAGE_SIZE = 25          # requests per listing page (§1.5)
MAX_PAGES = 20          # page 21 is a 404 ("Sorry. No pages after 20.")
FIRST_REQUEST_DATE = date(2008, 1, 1)   # WDTK opened in 2008: no request is older

# Every CSS selector, by name; check_live reports which still match on the live site.
SELECTORS = {
    # body listing page (§4.5, §4.6)
    "listing_item": "div.request_listing",
    "listing_head_link": "span.head a::attr(href)",
    "listing_title": "span.head a",
    "listing_time": "div.requester time::attr(datetime)",
    "listing_status_icon": "i[class*='icon_']::attr(class)",
    "listing_results": "div.authority__body__foi-results",
    "next_page": "div.pagination a.next_page::attr(href)",
    # request page (§4.2-§4.4)
    "title": "div.request-header h1",
    "status": "div#request_status::attr(class)",
    "batch_link": "p.request-header__subtitle a[href*='/info_request_batch/']::attr(href), "
                  "div.sidebar__part-of-batch a[href*='/info_request_batch/']::attr(href)",
    "body_link": "p.request-header__subtitle a[href*='/body/']::attr(href)",
    "correspondence": "div#left_column div.correspondence, div#left_column div.comment_in_request",
    "author": "span.correspondence__header__author",
    "date": "a.correspondence__header__date time::attr(datetime)",
    "hidden_message": "p.hidden_message",
    "message_text": "div.correspondence_text",
    "message_body": "div.correspondence_text > div:not(.attachments)",
    "attachment": "ul.list-of-attachments > li.attachment",
    "attachment_name": "p.attachment__name",
    "attachment_meta": "p.attachment__meta",
    "attachment_links": "a::attr(href)",
    "hidden_attachment": "span.hidden_attachment",
    "erased_attachment": "p.attachment__meta em",
    "comment_author": "h2 a[href*='/user/']",
    "comment_date": "h2 time::attr(datetime)",
    "comment_text": "div.comment_in_request_text",
    # "show quoted sections": the folded text is on the ?unfold=1 page only (§10.4)
    "unfold_link": "span.unfold_link a[href*='unfold=1']::attr(href)",
}

# Selectors the parsers apply inside another selector's match (check_live does the same).
SELECTOR_SCOPE = {
    "listing_head_link": "listing_item", "listing_title": "listing_item", "listing_time": "listing_item",
    "listing_status_icon": "listing_item",
    "author": "correspondence", "date": "correspondence", "hidden_message": "correspondence",
    "message_text": "correspondence", "message_body": "correspondence", "attachment": "correspondence",
    "attachment_name": "attachment", "attachment_meta": "attachment", "attachment_links": "attachment",
    "hidden_attachment": "attachment", "erased_attachment": "attachment",
    "comment_author": "correspondence", "comment_date": "correspondence", "comment_text": "correspondence",
    "unfold_link": "correspondence",
}
# Selectors that match only on some pages (a batch member, a hidden message, a long listing...);
# check_live reports them without failing when the pages it sampled lack them.
OPTIONAL_SELECTORS = {"next_page", "batch_link", "hidden_message", "hidden_attachment", "erased_attachment",
                      "attachment", "attachment_name", "attachment_meta", "attachment_links",
                      "comment_author", "comment_date", "comment_text", "unfold_link"}
LISTING_SELECTORS = {"listing_item", "listing_head_link", "listing_title", "listing_time",
                     "listing_status_icon", "listing_results", "next_page"}
# The request JSON keys the spider reads (§2.1).
JSON_KEYS = ("id", "url_title", "title", "created_at", "updated_at", "described_state",
             "awaiting_description", "prominence", "law_used", "public_body", "info_request_events")

# Query parameters that never change what a page shows (§8.4).
NOISE_PARAMS = {"cookie_passthrough", "nocache", "cachebust", "unfold", "locale"}
# robots.txt (§7.1) forbids these; the spider checks every URL it builds against them as well as
# obeying robots.txt, so a mistake here cannot send it to /search/ or /feed/.
FORBIDDEN_PATHS = re.compile(
    r"/(search|feed|annotate|new|similar|track|upload|profile|signin|tor|change_request)(/|$)"
    r"|/request/[^/]+/(download|feed|followups/new|similar|track|upload|annotate)"
    r"|/outgoing_messages/"
    r"|/user/contact/"
)
# robots.txt allows every attachment, `/attach/html/` included: its `Allow:
# */request/*/response/*/attach/*` is longer than each Disallow it competes with, and the longest
# rule wins. So a file named "new", "feed" or "track" (the filename ends the URL) is allowed.
ATTACHMENT_PATH = re.compile(r"^/request/[^/]+/response/\d+/attach/")
# Alaveteli's own 403 pages: a hidden request ("Request has been removed") or a hidden or erased
# attachment. Any other 403 page is someone else refusing us (§10.3).
ALAVETELI_403 = re.compile(r"Request has been removed|attachment has been (hidden|erased)", re.I)


# ---------------------------------------------------------------------------------------------
# URLs

def canonical_url(url: str, base: str = BASE_URL) -> str:
    """The one form of a WDTK URL used as a key and recorded in items (§8.4): absolute on
    `base`, no fragment, no /cy/ or /en/ prefix, no utm_*, cookie_passthrough, nocache,
    cachebust, unfold or locale parameters, and no page=1."""
    parts = urlsplit(urljoin(base + "/", url))
    path = re.sub(r"^/(cy|en)(?=/|$)", "", parts.path) or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("utm_") and k not in NOISE_PARAMS and not (k == "page" and v == "1")
    ]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query, quote_via=quote), ""))


def rebase(url: str, old_base: str, new_base: str) -> str:
    """Swap the scheme and host of `url` from one site base to another (real site <-> mirror)."""
    old, new = urlsplit(old_base), urlsplit(new_base)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (old.scheme, old.netloc):
        return url
    return urlunsplit((new.scheme, new.netloc, parts.path, parts.query, parts.fragment))


def is_allowed_route(url: str) -> bool:
    path = urlsplit(url).path
    return bool(ATTACHMENT_PATH.match(path)) or not FORBIDDEN_PATHS.search(path)


def listing_url(base: str, url_name: str, query: str, page: int = 1,
                after: date | None = None, before: date | None = None) -> str:
    """A body page filtered by a search query (§1.3), optionally split by request date (§1.5,
    dd/mm/yyyy, the form Xapian reads day-first) to get round the 20-page cap."""
    params = [("query", query)]
    if after:
        params.append(("request_date_after", after.strftime("%d/%m/%Y")))
    if before:
        params.append(("request_date_before", before.strftime("%d/%m/%Y")))
    if page > 1:
        params.append(("page", str(page)))
    return f"{base}/body/{url_name}?{urlencode(params)}"


def request_json_url(base: str, url_title: str) -> str:
    return f"{base}/request/{url_title}.json"


def request_html_url(base: str, url_title: str, unfold: bool = False) -> str:
    """A request page; with `unfold`, the one that shows the quoted sections folded away (§10.4)."""
    return f"{base}/request/{url_title}" + ("?unfold=1" if unfold else "")


def url_title_from_link(href: str) -> str | None:
    match = re.search(r"/request/([^/?#.]+)", href)
    return match.group(1) if match else None


def is_wait_page(url: str) -> bool:
    """The masking-delay holding page an attachment download may redirect to (§8.1)."""
    return urlsplit(url).path.startswith("/attachments/")


def display_filename(filename: str) -> str:
    """The filename WDTK puts in attachment URLs (§1.2, foi_attachment.rb#display_filename):
    every character other than [A-Za-z0-9.] becomes a space, spaces next to dots go, runs of
    spaces collapse. Censor rules (step 1) are the site's own and cannot be reproduced."""
    name = unquote(filename)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"[^A-Za-z0-9.]", " ", name)
    name = re.sub(r" *\. *", ".", name)
    return re.sub(r" +", " ", name).strip()


# ---------------------------------------------------------------------------------------------
# Listing pages

def parse_listing(html: str | bytes) -> dict:
    """A body listing page: its items and the next-page link. A body page prints no count of
    its results (§10.1): whether a listing passes the 20-page cap is read from page 20 itself."""
    sel = _selector(html)
    items = []
    for node in sel.css(SELECTORS["listing_item"]):
        href = node.css(SELECTORS["listing_head_link"]).get()
        if not href:
            continue
        items.append({
            "url_title": url_title_from_link(href),
            "title": _text(node.css(SELECTORS["listing_title"])),
            "listing_signature": listing_signature(
                href, node.css(SELECTORS["listing_time"]).get(),
                node.css(SELECTORS["listing_status_icon"]).get()),
        })
    return {
        "items": items,
        "next_page": sel.css(SELECTORS["next_page"]).get(),
        # Even an empty listing has its results block: a page without one is not a listing.
        "is_listing": bool(sel.css(SELECTORS["listing_results"])),
    }


def passes_page_cap(page: int, listing: dict) -> bool:
    """Page 20 of a listing that still links a next page, or is full (a pager capped at 20 pages
    may not link page 21, which is a 404 anyway): more requests match than the site will list,
    so the listing must be split by date (§1.5, §10.1)."""
    return page == MAX_PAGES and bool(listing["next_page"] or len(listing["items"]) >= PAGE_SIZE)


def renamed_body(url: str, url_name: str) -> str | None:
    """The body's current url_name when a listing request for `url_name` was redirected to
    another body page (a renamed body, §10.2), else None."""
    path = urlsplit(url).path
    current = path.split("/")[2] if path.startswith("/body/") else url_name
    return current if current != url_name else None


def forbidden_reason(status: int, body: bytes) -> str | None:
    """A 403 is a hidden request or attachment (an empty body, or Alaveteli's own "removed" or
    "hidden" page): None. Anything else, a bot-protection challenge above all, is the site
    refusing us: the reason, for the crawl report (§8.1, §10.3)."""
    text = body[:20000].decode("utf-8", "replace")
    if not text.strip() or (ALAVETELI_403.search(text) and not logpage.CHALLENGE_TEXT.search(text)):
        return None
    return logpage.blocked_reason(status, body)


def blocked_reason(status: int, body: bytes) -> str | None:
    """Why an answer means the site is blocking us (a 403 that is not a hidden request), or None.
    A 429 is not: the retries' back-off deals with it, and one that outlives them is an error."""
    return forbidden_reason(status, body) if status == 403 else None


def listing_signature(head_href: str, time_iso: str | None, icon_class: str | None) -> str:
    """What the listing shows about a request's latest matching event: the head link's anchor
    (which message), its time and the calculated status. If it equals the stored one the request
    has not changed in any way the listing can show, and the spider need not fetch it again."""
    anchor = urlsplit(head_href).fragment
    status = ""
    match = re.search(r"\bicon_([a-z_]+)", icon_class or "")
    if match:
        status = match.group(1)
    return f"{anchor}|{time_iso or ''}|{status}"


# ---------------------------------------------------------------------------------------------
# Request pages

def parse_request_page(html: str | bytes, base: str = BASE_URL) -> dict:
    """Correspondence, attachments, batch id and calculated status of a request page (§4).
    URLs come back canonical on `base` (pass the real site's base, not a mirror's)."""
    sel = _selector(html)
    status_class = sel.css(SELECTORS["status"]).get() or ""
    status = re.search(r"request-status-message--([a-z_]+)", status_class)
    batch = None
    for href in sel.css(SELECTORS["batch_link"]).getall():
        match = re.search(r"/info_request_batch/(\d+)", href)
        if match:
            batch = match.group(1)
            break
    body_href = sel.css(SELECTORS["body_link"]).get()
    messages, seen = [], set()
    for node in sel.css(SELECTORS["correspondence"]):
        dom_id = node.attrib.get("id", "")
        classes = node.attrib.get("class", "").split()
        if "outgoing" in classes and "box" in classes:
            continue  # a "sent again" notice for a resent message, not a message (§4.3)
        if not dom_id or dom_id in seen:
            continue  # a resent message renders a second block with the same id (§8.4)
        seen.add(dom_id)
        if "comment_in_request" in classes:
            messages.append(_annotation(node, dom_id))
        else:
            messages.append(_message(node, dom_id, classes, base))
    return {
        "title": _text(sel.css(SELECTORS["title"])),
        "calculated_status": status.group(1) if status else None,
        "batch_id": batch,
        "body_url_name": _last_path_part(body_href) if body_href else None,
        # Some reply has quoted sections folded away: the whole text is on the ?unfold=1 page.
        "folded": bool(sel.css(SELECTORS["correspondence"]).css(SELECTORS["unfold_link"])),
        "messages": messages,
    }


def _message(node: Selector, dom_id: str, classes: list[str], base: str) -> dict:
    direction = "incoming" if "incoming" in classes else "outgoing"
    text_node = node.css(SELECTORS["message_text"])
    hidden = bool(node.css(SELECTORS["hidden_message"])) or not text_node \
        or bool({"hidden", "requester_only"} & set(classes))
    body_nodes = node.css(SELECTORS["message_body"])
    return {
        "message_id": dom_id,
        "direction": direction,
        "author": _text(node.css(SELECTORS["author"])) or None,
        "sent_at": node.css(SELECTORS["date"]).get(),
        "text": "\n\n".join(t for t in (block_text(b) for b in body_nodes) if t),
        "hidden": hidden,
        "attachments": [_attachment(li, base) for li in node.css(SELECTORS["attachment"])],
    }


def _annotation(node: Selector, dom_id: str) -> dict:
    return {
        "message_id": dom_id,
        "direction": "annotation",
        "author": _text(node.css(SELECTORS["comment_author"])) or None,
        "sent_at": node.css(SELECTORS["comment_date"]).get(),
        "text": "\n\n".join(t for t in (block_text(b) for b in node.css(SELECTORS["comment_text"])) if t),
        "hidden": False,  # hidden annotations are not rendered at all (§8.1)
        "attachments": [],
    }


def _attachment(li: Selector, base: str) -> dict:
    meta = li.css(SELECTORS["attachment_meta"])
    # The download link (icon or "Download"): an /attach/ path, not the /attach/html/ view and
    # not the "Explore in Datasette" link, whose query string holds the download URL.
    links = [h for h in li.css(SELECTORS["attachment_links"]).getall()
             if "/attach/" in urlsplit(h).path and "/attach/html/" not in urlsplit(h).path]
    erased = "erased" in _text(li.css(SELECTORS["erased_attachment"])).lower()
    hidden = bool(li.css(SELECTORS["hidden_attachment"])) or erased or not links
    size = (meta.xpath("./text()").get() or "").strip()
    match = re.search(r"attachment-(\d+)", li.attrib.get("id", ""))
    return {
        "attachment_id": match.group(1) if match else None,
        "name": _text(li.css(SELECTORS["attachment_name"])) or None,
        "display_size": size.split()[0] if size else None,
        "url": None if hidden else canonical_url(links[0], base),
        "hidden": hidden,
        "error": "This file has been erased." if erased else None,
    }


def block_text(node: Selector) -> str:
    """Plain text of a message body: one paragraph per <p> (or block), separated by a blank
    line, <br> kept as a newline, the "show quoted sections" link dropped."""
    tree = lxml_html.fromstring(node.get())
    for junk in tree.xpath(".//*[contains(concat(' ', @class, ' '), ' unfold_link ')]"):
        junk.drop_tree()
    # Source newlines are only whitespace in HTML; the line breaks are the <br>s.
    for element in tree.iter():
        if element.text:
            element.text = re.sub(r"\s+", " ", element.text)
        if element.tail:
            element.tail = re.sub(r"\s+", " ", element.tail)
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = tree.xpath(".//p | .//blockquote[not(.//p)] | .//pre") or [tree]
    paragraphs = []
    for block in blocks:
        lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in block.text_content().split("\n")]
        # <br><br> inside a paragraph is a paragraph break: keep one blank line, never more.
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# helpers

def _selector(html: str | bytes) -> Selector:
    return Selector(text=html.decode("utf-8", "replace") if isinstance(html, bytes) else html)


def _text(nodes) -> str:
    return re.sub(r"\s+", " ", " ".join(nodes.xpath(".//text()").getall())).strip()


def _last_path_part(href: str) -> str:
    return urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]
