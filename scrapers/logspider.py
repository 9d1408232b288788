"""What every disclosure-log spider shares: targets, polite fetching, blocked sites, the Internet
Archive fallback, attachment downloads and the `request` items they write.

A family spider (scrapers/spiders/soh.py, or a line of scrapers/spiders/listing_logs.py)
subclasses ``DisclosureLogSpider``, says which forces it covers (``targets``), where discovery
starts (``start_pages``) and how its pages read (its scrapers/sites/<family>.py module). URLs
are always handled on the *real* site and only rebased onto the crawl base (a mirror in tests
and demo) when fetched, so items look the same either way.

Blocked sites (spec §2.3): a 403 (JavaScript challenge or plain) or a 429 that outlived the
retry middleware's back-off marks that force's site blocked for the rest of the run
(scrapers/spiderbase.py). A `source_blocked` item is written once, nothing more is fetched from
that site, and, unless ``-a archive=no``, each page still wanted is read from its latest
Internet Archive capture instead, whose URL is kept as the evidence link (scrapers/archive.py, a
downloader middleware).

Refreshes (docs/disclosure-logs.md, "Refreshes"): listing pages are asked for with
If-None-Match / If-Modified-Since when the site sent a validator last time (the HTTP cache of
scrapers/httpcache.py, as for WhatDoTheyKnow's listings); an entry whose listing signature
(what the listing shows of it) is unchanged since a crawl dealt with it is not fetched again
(scrapers/logstate.py, and the raw layer's items); and a newest-first listing stops paginating
at a page whose entries are all known, once a crawl has walked it to the end without an error
(at least every LOG_FULL_WALK_DAYS it is walked to the end again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy import signals
from scrapy.spidermiddlewares.httperror import HttpError

from reference.registry import Force, load_forces
from scrapers import logpage, logstate, logstatus, rawstore
from scrapers.archive import ARCHIVE_BASE, ArchiveUnavailable
from scrapers.items import LogRequest, SourceBlocked
from scrapers.report import failure_text
from scrapers.siteurls import crawl_base, site_mapping
from scrapers.spiderbase import SpiderBase
from scrapers.sniff import sniff_content_type
from transform.references import find_reference

# Finish an item's pages and files before reading more listing pages.
PRIORITY_ITEM, PRIORITY_ATTACHMENT = 10, 20


@dataclass
class Target:
    """One force's log on one site."""

    force: Force
    real_base: str  # scheme://host of the real site
    base: str  # where it is fetched from (the same, or a mirror)

    @property
    def force_id(self) -> str:
        return self.force.force_id


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def site_base(url_or_host: str) -> str:
    """``https://host`` from a registry value, which may be a bare host ("met.police.uk") or a URL.
    A bare registry host gets ``www.``, as the forces' sites are served there."""
    if "://" not in url_or_host:
        host = url_or_host.strip().strip("/")
        return f"https://{host if host.startswith('www.') else 'www.' + host}"
    parts = urlsplit(url_or_host)
    return f"{parts.scheme}://{parts.netloc}"


class DisclosureLogSpider(SpiderBase):
    """Base class; has no ``name`` so Scrapy does not list it as a spider."""

    source = ""
    item_shapes = {"request": LogRequest, "source_blocked": SourceBlocked}
    blocked_reason = staticmethod(logpage.blocked_reason)

    @classmethod
    def crawl_bases(cls, settings):
        return list(site_mapping(settings.get("SITE_URLS_FILE")).values())

    def __init__(self, query: str = "", forces: str = "", archive: str = "yes", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_terms = [q.strip() for q in query.split(",") if q.strip()]
        self.wanted = {f.strip() for f in forces.split(",") if f.strip()}
        self.archive_fallback = archive.lower() not in ("no", "0", "false", "off")
        self.run_id = rawstore.new_run_id()
        self.seen_pages: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.data_dir = settings.get("DATA_DIR")
        sites_file = settings.get("SITE_URLS_FILE") or None
        mapped = site_mapping(sites_file)
        spider.targets = {}
        covered = spider.force_sites(load_forces())
        unknown = spider.wanted - {force.force_id for force, _base in covered}
        if unknown:
            raise ValueError(f"{spider.name} does not cover these forces (see reference/forces.csv): {sorted(unknown)}")
        for force, real_base in covered:
            if spider.wanted and force.force_id not in spider.wanted:
                continue
            if mapped and real_base not in mapped:
                # Crawling a mirror: a site it does not serve is skipped, never fetched live.
                spider.logger.info("%s: %s is not mirrored; skipped", force.force_id, real_base)
                continue
            spider.targets[force.force_id] = Target(force, real_base, crawl_base(real_base, sites_file))
        spider.archive_base = crawl_base(ARCHIVE_BASE, sites_file)
        if mapped and ARCHIVE_BASE not in mapped:
            spider.archive_fallback = False
        spider.report_forces = list(spider.targets)
        spider.stored_items, spider.stored_files = spider._stored()
        spider.state = logstate.ListingState(spider.data_dir, spider.name, settings.getfloat("LOG_FULL_WALK_DAYS"))
        # Whether this crawl reads each force's listings to the end (else it stops at known entries).
        spider.walks_all = {force_id: not (spider.newest_first and spider.state.incremental(force_id))
                            for force_id in spider.targets}
        crawler.signals.connect(spider._written, signal=signals.item_scraped)
        return spider

    # Whether listings are newest first, so a crawl may stop at a page of known entries: False
    # here (SOH's listings are searches); a ListingLogSpider reads it from its family's module.
    newest_first = False

    # -- to be provided by each family --------------------------------------------------------

    def force_sites(self, forces: list[Force]) -> list[tuple[Force, str]]:
        """(force, real base URL) for every force this family covers."""
        raise NotImplementedError

    def start_pages(self, target: Target):
        """The first requests for one target (built with ``self.fetch``)."""
        raise NotImplementedError

    # -- fetching -----------------------------------------------------------------------------

    async def start(self):
        for target in self.targets.values():
            for request in self.start_pages(target):
                yield request

    def fetch(self, target: Target, real_url: str, callback, priority: int = 0, on_fail: str | None = None,
              revalidate: bool = False, **cb_kwargs):
        """Yield the request for ``real_url`` (a URL on the real site), fetched from the crawl
        base, or from the archive once the site is blocked; nothing more is sent to a blocked
        site. ``on_fail`` names a method called with (target, cb_kwargs, reason) when the page
        cannot be had at all. ``revalidate``: a page read on every refresh (a listing), asked for
        with the validators the site sent last time (scrapers/httpcache.py)."""
        meta = {"force_id": target.force_id, "real_url": real_url, "on_fail": on_fail, "revalidate": revalidate,
                # a blocked site's page from the Internet Archive (scrapers/archive.py); a page
                # capture read before is read again from the raw layer, a file is fetched again
                "archive": self.archive_fallback, "archive_reuse": callback != self._attachment_done}
        if self.blocks.blocked(target.force_id) and not self.archive_fallback:
            yield from self._give_up(meta, cb_kwargs, "the site is blocking us")
            return
        url = target.base + _path_and_query(real_url) if real_url.startswith(target.real_base) else real_url
        yield scrapy.Request(url, callback=callback, errback=self._failed, priority=priority,
                             cb_kwargs=cb_kwargs, meta=meta, dont_filter=True)

    def target_of(self, response) -> Target:
        return self.targets[response.meta["force_id"]]

    def real_url(self, response) -> str:
        """The page's URL on the real site, after any redirect (never the mirror's)."""
        if response.meta.get("archive_url"):
            return response.meta["real_url"]
        target = self.target_of(response)
        if response.url.startswith(target.base):
            return target.real_base + _path_and_query(response.url)
        return response.url

    def _failed(self, failure):
        request = failure.request
        target = self.targets[request.meta["force_id"]]
        response = getattr(failure.value, "response", None) if failure.check(HttpError) else None
        reason = self.blocks.reason(failure)
        if failure.check(ArchiveUnavailable):
            reason = str(failure.value)  # the archive's own failure is recorded by scrapers/archive.py
        elif reason:
            yield from self._blocked(target, request.meta["real_url"], response.status, reason)
            if self.archive_fallback:
                # Asked again, now of the Internet Archive (scrapers/archive.py).
                yield from self.fetch(target, request.meta["real_url"], request.callback, request.priority,
                                      request.meta["on_fail"], request.meta["revalidate"], **request.cb_kwargs)
                return
        elif response is not None and response.status in (404, 410):
            # Removed since it was listed: the log's business, not an error of the crawl.
            self.crawler.stats.inc_value("logs/pages_gone")
            self.logger.warning("%s: %s is gone (HTTP %s)", target.force_id, request.meta["real_url"], response.status)
            if "listing_signature" in request.cb_kwargs:
                self.state.handle(target.force_id, request.meta["real_url"], request.cb_kwargs["listing_signature"])
        else:
            self.error(target.force_id, request.meta["real_url"], failure_text(failure))
            if request.meta.get("revalidate"):
                # A listing page that could not be had: the force's listing failed (as wdtk's).
                self.crawler.stats.set_value(f"force/{target.force_id}/listing_failed", 1)
        yield from self._give_up(request.meta, request.cb_kwargs, reason or failure_text(failure))

    def _blocked(self, target: Target, real_url: str, status: int, reason: str):
        advice = "; its pages are read from the Internet Archive" if self.archive_fallback else ""
        if not self.blocks.block(target.force_id, [target.force_id], real_url, reason, advice):
            return
        yield {"item_type": "source_blocked", "source": self.source, "force_id": target.force_id,
               "url": real_url, "status": status, "reason": reason, "site": target.base,
               "archive_fallback": self.archive_fallback, "fetched_at": now_iso()}

    def is_listing(self, response) -> bool:
        """False, with the force's listing failed (the crawl exits 1, docs/faults.md), for a listing
        page with no content at all (cut short, or not the page): never read as "nothing listed"."""
        if logpage.page_lines(response.body):
            return True
        target = self.target_of(response)
        self.error(target.force_id, self.real_url(response), "not a listing page")
        self.crawler.stats.set_value(f"force/{target.force_id}/listing_failed", 1)
        return False

    def _give_up(self, meta, cb_kwargs, reason):
        if meta.get("on_fail"):
            yield from getattr(self, meta["on_fail"])(self.targets[meta["force_id"]], cb_kwargs, reason) or []

    # -- items and attachments ----------------------------------------------------------------

    def new_item(self, response, *, source_id: str, title: str | None, reference: str | None,
                 received: str | None, responded: str | None, request_text: str, response_text: str,
                 attachments: list[dict], request_split: str, responded_precision: str | None = None,
                 **extra) -> dict:
        """A `request` item (docs/ARCHITECTURE.md) for one log page: an outgoing message with the
        request, an incoming one with the response and the attachments. ``responded_precision``
        is "day" unless said otherwise; a month-precise date is the item's ``response_date`` only,
        never a message's ``sent_at``."""
        target = self.target_of(response)
        url = self.real_url(response)
        page_url = response.meta.get("archive_url") or url
        return {
            "item_type": "request",
            "source": self.source,
            "source_id": source_id,
            "force_id": target.force_id,
            "site": target.base if not response.meta.get("archive_url") else self.archive_base,
            "url": url,
            "archive_url": response.meta.get("archive_url"),
            "title": title,
            "reference": reference,
            "created_at": received,
            "response_date": responded,
            "response_date_precision": (responded_precision or "day") if responded else None,
            "request_split": request_split,
            "described_state": None,
            "text_status": logstatus.status(response_text),
            "batch_id": None,
            "page_sha256": self.files.store(response.body),
            "listing_signature": response.cb_kwargs.get("listing_signature"),
            "_listed_url": response.meta["real_url"],  # the entry's URL as listed; not written
            "messages": [
                {"message_id": "log-request", "direction": "outgoing", "event_type": "sent", "author": None,
                 "sent_at": received, "text": request_text, "hidden": False, "attachments": [],
                 "url": page_url},
                {"message_id": "log-response", "direction": "incoming", "event_type": "response",
                 "author": target.force.name, "sent_at": responded if responded_precision != "month" else None,
                 "text": response_text, "hidden": False,
                 "attachments": attachments, "url": page_url},
            ],
            **extra,
        }

    def attachment(self, real_url: str, name: str) -> dict:
        """An attachment found on a page, before its download."""
        path = urlsplit(real_url).path
        return {"attachment_id": f"{self.source}:{path}", "name": name or unquote(path.rsplit('/', 1)[-1]),
                "url": real_url, "hidden": False}

    def finish_with_attachments(self, target: Target, item: dict):
        """Download the item's attachments one after another, then yield the item."""
        pending = list(item["messages"][1]["attachments"])
        yield from self._next_attachment(target, item, pending)

    def _next_attachment(self, target, item, pending):
        while pending and self._reuse(pending[0]):
            pending = pending[1:]
        if not pending:
            yield self._finish(item)
            return
        yield from self.fetch(target, pending[0]["url"], self._attachment_done, priority=PRIORITY_ATTACHMENT,
                         on_fail="_attachment_failed", item=item, pending=pending)

    def _attachment_done(self, response, item, pending):
        attachment = pending[0]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip()
        sha256 = self.files.store(response.body)
        attachment.update(sha256=sha256, size=len(response.body), served_content_type=content_type or None,
                          sniffed_content_type=sniff_content_type(response.body),
                          filename=unquote(urlsplit(attachment["url"]).path.rsplit("/", 1)[-1]),
                          archive_url=response.meta.get("archive_url"), error=None)
        self.stored_files[attachment["url"]] = attachment
        self.crawler.stats.inc_value("attachments/downloaded")
        yield from self._next_attachment(self.target_of(response), item, pending[1:])

    def _attachment_failed(self, target, kwargs, reason):
        item, pending = kwargs["item"], kwargs["pending"]
        pending[0].update(sha256=None, size=None, served_content_type=None, sniffed_content_type=None,
                          filename=None, error=reason)
        self.crawler.stats.inc_value("attachments/errors")
        yield from self._next_attachment(target, item, pending[1:])

    def _reuse(self, attachment: dict) -> bool:
        """An attachment already in the raw layer (same URL) is not downloaded again."""
        stored = self.stored_files.get(attachment["url"])
        if not stored:
            return False
        for key in ("sha256", "size", "served_content_type", "sniffed_content_type", "filename", "archive_url"):
            attachment[key] = stored.get(key)
        attachment["error"] = None
        self.crawler.stats.inc_value("attachments/reused")
        return True

    def _stored(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """This source's newest item per page (by URL) and its stored attachments (by URL)."""
        items, files = {}, {}
        for (source, _), item in rawstore.latest_items(self.data_dir).items():
            if source != self.source:
                continue
            items[item["url"]] = item
            for message in item.get("messages", []):
                for attachment in message.get("attachments", []):
                    if attachment.get("sha256") and rawstore.file_path(self.data_dir, attachment["sha256"]).exists():
                        files[attachment["url"]] = attachment
        return items, files

    def _finish(self, item):
        item["fetched_at"] = now_iso()
        self.crawler.stats.inc_value(f"force/{item['force_id']}/items")
        self.logger.info("%s: %s %r ref %s (%d attachments)", item["force_id"], item["source_id"], item["title"],
                         item["reference"], len(item["messages"][1]["attachments"]))
        return item

    def _written(self, item):
        """An entry is dealt with once its item is in the raw layer (not when it is yielded: the
        item pipeline may refuse it), and all its files with it: one that failed is tried again
        next time."""
        if item.get("item_type") == "request" and not _attachment_missing(item):
            self.state.handle(item["force_id"], item["_listed_url"], item.get("listing_signature"))

    def first_visit(self, target: Target, real_url: str) -> bool:
        """True the first time an item page is seen (searches overlap)."""
        if real_url in self.seen_pages:
            return False
        self.seen_pages.add(real_url)
        self.crawler.stats.inc_value(f"force/{target.force_id}/listed")
        return True

    def listed(self, target: Target, real_url: str, signature: str):
        """A candidate entry of a listing: its item page is fetched unless an earlier crawl
        dealt with it and the listing shows it unchanged."""
        if not self.first_visit(target, real_url):
            return
        if self.unchanged(target, real_url, signature):
            self.crawler.stats.inc_value(f"force/{target.force_id}/unchanged")
            self.state.handle(target.force_id, real_url, signature)
            return
        yield from self.fetch(target, real_url, self.parse_item, priority=PRIORITY_ITEM, listing_signature=signature)

    def unchanged(self, target: Target, real_url: str, signature: str) -> bool:
        if self.state.known(target.force_id, real_url, signature):
            return True
        # Also from the raw layer, e.g. after a crawl killed before it could save its state.
        stored = self.stored_items.get(real_url)
        return bool(stored and stored.get("force_id") == target.force_id
                    and stored.get("listing_signature") == signature
                    and not _attachment_missing(stored))

    def not_candidate(self, target: Target, real_url: str, signature: str):
        """An entry whose listing text has no candidate word: dealt with, never fetched."""
        self.crawler.stats.inc_value(f"{self.source}/entries_not_candidates")
        self.state.handle(target.force_id, real_url, signature)

    def not_about_fr(self, target: Target, real_url: str, signature: str):
        """A fetched item that is not about facial recognition: dealt with, nothing written."""
        self.crawler.stats.inc_value(f"{self.source}/items_not_about_fr")
        self.logger.info("%s: %s is not about facial recognition; skipped", target.force_id, real_url)
        self.state.handle(target.force_id, real_url, signature)

    def all_known(self, target: Target, entries: list[tuple[str, str, str]]) -> bool:
        """True when this crawl may stop paginating after a listing page: the listing is newest
        first (the page's dates say so), the last finished crawl walked it without an error, and
        every entry (url, signature, text) on the page is known and unchanged."""
        if self.walks_all[target.force_id] or not entries:
            return False
        if not logpage.newest_first([text for _url, _sig, text in entries]):
            self.logger.warning("%s: a listing page is not in newest-first order; reading on", target.force_id)
            return False
        return all(self.state.known(target.force_id, url, sig) for url, sig, _text in entries)

    def closed(self, reason):
        """Remember what this crawl dealt with; a force is complete when its pages were read
        without an error (a blocked site counts when the archive was asked instead)."""
        stats = self.crawler.stats
        complete = {force_id: reason == "finished" and not stats.get_value(f"force/{force_id}/errors")
                    and not stats.get_value(f"force/{force_id}/listing_failed")
                    and (not self.blocks.blocked(force_id) or self.archive_fallback)
                    for force_id, target in self.targets.items()}
        self.state.save(complete, self.walks_all)


def _attachment_missing(item: dict) -> bool:
    """Whether a file of the item's response could not be downloaded."""
    return any(map(rawstore.download_failed, item["messages"][1]["attachments"]))


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class ListingLogSpider(DisclosureLogSpider):
    """A force's own log site: listing pages (with sub-listings such as categories or year
    archives, and next pages) lead to item pages. An entry whose listing text (title and first
    lines) has none of the candidate words is never fetched; a fetched item is kept only if its
    text is about facial recognition.

    Subclasses set ``site``, the family's module in scrapers/sites/. It provides FORCE_ID,
    ITEM_PATH (listing links to follow as items), FILES (links that are attachments) and RULES
    (logpage.PageRules), and optionally ``sub_listings(body, url)`` (categories, year archives),
    ``fallback_reference(page, url)`` when the text prints none, ``published(body)`` when the
    page dates itself, ALTERNATE_BASES {base: other base to try when the first cannot be read},
    NEWEST_FIRST and INDEX_LISTS_ALL (both False when absent).

    NEWEST_FIRST = True: the listings are newest first (the spec does not state the order; the
    mirror and disclosure logs generally list newest first), so a refresh may stop paginating at
    a page of known entries. Each page's dates are still checked (logpage.newest_first): a page
    out of order stops nothing. INDEX_LISTS_ALL = True: the index lists every item, so the
    sub-listings only repeat it and are read on a full walk only, not on a refresh that stops at
    known entries.
    """

    site = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.newest_first = lists_newest_first(self.site)

    def force_sites(self, forces):
        force = next(f for f in forces if f.force_id == self.site.FORCE_ID)
        return [(force, site_base(force.disclosure_log_url or force.website))]

    def start_pages(self, target):
        self.seen_listings = getattr(self, "seen_listings", set())
        start = target.real_base + _path_and_query(target.force.disclosure_log_url or "/")
        yield from self.fetch(target, start, self.parse_listing, on_fail="_start_failed", revalidate=True)

    def _start_failed(self, target, kwargs, reason):
        """The log's host may have moved (Northumbria's beta. to www.): try the other one once."""
        other = getattr(self.site, "ALTERNATE_BASES", {}).get(target.real_base)
        if not other or self.blocks.blocked(target.force_id):
            return
        mapped = site_mapping(self.settings.get("SITE_URLS_FILE") or None)
        if mapped and other not in mapped:
            return
        self.logger.warning("%s: %s could not be read (%s); trying %s", target.force_id, target.real_base,
                            reason, other)
        target.real_base, target.base = other, crawl_base(other, self.settings.get("SITE_URLS_FILE") or None)
        # The listing is now the other host's: it fails only if that one fails too.
        self.crawler.stats.set_value(f"force/{target.force_id}/listing_failed", 0)
        yield from self.start_pages(target)

    def parse_listing(self, response):
        if not self.is_listing(response):
            return
        target = self.target_of(response)
        page_url = self.real_url(response)
        host = urlsplit(target.real_base).hostname
        self.seen_listings.add(page_url)
        self.crawler.stats.inc_value(f"{self.source}/listing_pages")
        entries = [(logpage.on_base(url, target.real_base), logstate.signature(text), text)
                   for url, text in logpage.listing_entries(response.body, page_url, self.site.ITEM_PATH)
                   if logpage.same_site(url, host)]
        following = []
        if self.walks_all[target.force_id] or not getattr(self.site, "INDEX_LISTS_ALL", False):
            # Other views of the log (categories, year archives); with INDEX_LISTS_ALL they only
            # repeat the index, so a crawl stopping at known entries leaves them out.
            following += getattr(self.site, "sub_listings", lambda body, url: [])(response.body, page_url)
        if self.all_known(target, entries):
            self.crawler.stats.inc_value(f"{self.source}/listings_stopped_at_known")
        else:
            following.append(logpage.next_page(response.body, page_url))
        for url in following:
            if url and logpage.same_site(url, host):
                url = logpage.on_base(url, target.real_base)
                if url not in self.seen_listings:
                    self.seen_listings.add(url)
                    yield from self.fetch(target, url, self.parse_listing, revalidate=True)
        for url, signature, text in entries:
            if logpage.is_candidate(text):
                yield from self.listed(target, url, signature)
            else:
                self.not_candidate(target, url, signature)

    def parse_item(self, response, listing_signature=None):
        target = self.target_of(response)
        url = self.real_url(response)
        page = read_log_item(self.site, response.body, url)
        if not logpage.is_about_a_tracked_technology(page["title"], page["request_text"], page["response_text"]):
            self.not_about_fr(target, response.meta["real_url"], listing_signature)
            return
        host = urlsplit(target.real_base).hostname
        attachments = [self.attachment(logpage.on_base(href, target.real_base), text)
                       for href, text in page["attachments"] if logpage.same_site(href, host)]
        item = self.new_item(
            response, source_id=urlsplit(url).path, title=page["title"], reference=page["reference"],
            received=page["received"], responded=page["responded"], request_text=page["request_text"],
            response_text=page["response_text"], attachments=attachments, request_split=page["request_split"])
        yield from self.finish_with_attachments(target, item)


def lists_newest_first(site) -> bool:
    """Whether a family's listings are newest first (its module's NEWEST_FIRST; see ListingLogSpider)."""
    return getattr(site, "NEWEST_FIRST", False)


def read_log_item(site, body: bytes, page_url: str) -> dict:
    """An item page read by its family's rules: title, dates, request and response text, the
    attachment links and the reference (printed in the response, else the family's fallback)."""
    files = logpage.file_links(body, page_url, site.FILES)
    page = logpage.read_page(body, site.RULES, [text for _href, text in files])
    if not page["responded"] and hasattr(site, "published"):
        page["responded"] = site.published(body)
    fallback = getattr(site, "fallback_reference", lambda page, url: None)
    page.update(attachments=files, reference=find_reference(page["response_text"]) or fallback(page, page_url))
    return page
