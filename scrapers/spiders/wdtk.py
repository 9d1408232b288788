"""The WhatDoTheyKnow spider: FOI requests to police forces matching a query.

    scrapy crawl wdtk [-a query="facial recognition,live facial recognition"] [-a forces=metropolitan,kent]
                      [-s DATA_DIR=data/demo -s SITE_URLS_FILE=sites.json]

Discovery uses robots-allowed body listings only (`/body/{url_name}?query=...&page=N`, split by
request date when a listing passes the 20-page cap). Each listed request is fetched as JSON and
HTML, its attachments are downloaded into the raw layer, and one `request` item is written per
request (docs/ARCHITECTURE.md). Selectors and URL rules live in scrapers/sites/wdtk.py.

The corrections of spec §10 (scrapers/README-wdtk.md): a renamed body's redirect drops the
search, so the listing is asked again under the new name; the 20-page cap is read from page 20
(body pages print no count); a 403 is a hidden request (skipped) or a blocked site (reported,
nothing more asked); a reply with folded quoted sections is read from its ?unfold=1 page.

Incremental and resumable through the raw layer, which survives SIGKILL (Scrapy's JOBDIR does
not): a listed request whose listing signature equals the stored one is not fetched (unless the
stored fetch is older than WDTK_RECHECK_DAYS); one whose JSON `updated_at` is unchanged is
re-parsed from the stored HTML instead of being fetched; an attachment whose id is already
stored is not downloaded again.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from reference import technologies
from reference.registry import load_forces
from scrapers import rawstore
from scrapers.items import WdtkRequest
from scrapers.report import failure_text, record_failure
from scrapers.siteurls import crawl_base
from scrapers.spiderbase import SpiderBase
from scrapers.sites import wdtk
from scrapers.sniff import sniff_content_type

# Priorities: finish the request in hand (JSON, page, attachments) before reading more listing
# pages, so a killed crawl loses at most the request in flight.
PRIORITY_JSON, PRIORITY_HTML, PRIORITY_ATTACHMENT = 10, 20, 30


class WdtkSpider(SpiderBase):
    name = "wdtk"
    source = "wdtk"
    item_shapes = {"request": WdtkRequest}
    blocked_reason = staticmethod(wdtk.blocked_reason)

    @classmethod
    def crawl_bases(cls, settings):
        return [crawl_base(settings.get("WDTK_BASE_URL"), settings.get("SITE_URLS_FILE"))]

    def __init__(self, query: str = "", forces: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without -a query, the technology registry's WhatDoTheyKnow search terms.
        self.queries = [q.strip() for q in query.split(",") if q.strip()] or technologies.search_terms("wdtk")
        wanted = [f.strip() for f in forces.split(",") if f.strip()]
        registry = {f.force_id: f for f in load_forces() if f.wdtk_url_name}
        unknown = [f for f in wanted if f not in registry]
        if unknown:
            raise ValueError(f"forces not in the registry (or without a wdtk_url_name): {unknown}")
        self.forces = [registry[f] for f in wanted] if wanted else list(registry.values())
        self.run_id = rawstore.new_run_id()
        self.seen_slugs: set[str] = set()
        self.seen_ids: set[str] = set()
        self.renamed: dict[str, str] = {}  # url_name in the registry -> the site's current one

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.real_base = settings.get("WDTK_BASE_URL").rstrip("/")
        spider.base = crawl_base(spider.real_base, settings.get("SITE_URLS_FILE"))
        if settings.get("SITE_URLS_FILE") and spider.base == spider.real_base:
            raise ValueError(f"{settings.get('SITE_URLS_FILE')} does not map {spider.real_base} to a mirror: "
                             f"a demo crawl never falls back to the live site")
        spider.data_dir = settings.get("DATA_DIR")
        spider.wait_retries = settings.getint("WDTK_WAIT_RETRIES")
        spider.recheck_before = datetime.now(timezone.utc) - timedelta(days=settings.getfloat("WDTK_RECHECK_DAYS"))
        spider._load_state()
        # The crawl report (scrapers/report.py) accounts for each of these forces.
        spider.report_forces = [f.force_id for f in spider.forces]
        return spider

    def _load_state(self):
        """What the raw layer already holds: the newest item per request and every stored
        attachment, so unchanged requests and stored files are not fetched again."""
        self.stored_by_slug, self.stored_by_id, self.stored_attachments = {}, {}, {}
        for (source, source_id), item in rawstore.latest_items(self.data_dir).items():
            if source != self.source:
                continue
            self.stored_by_id[source_id] = item
            self.stored_by_slug[item["url_title"]] = item
            for attachment in _attachments(item):
                if attachment.get("sha256") and rawstore.file_path(self.data_dir, attachment["sha256"]).exists():
                    self.stored_attachments[attachment["attachment_id"]] = attachment
        self.logger.info("raw layer holds %d WDTK requests and %d attachments",
                         len(self.stored_by_id), len(self.stored_attachments))

    # -----------------------------------------------------------------------------------------
    # listings

    async def start(self):
        self.logger.info("crawling %s for %d forces, queries %s", self.base, len(self.forces), self.queries)
        for force in self.forces:
            for query in self.queries:
                if self.blocks.blocked(self.base):
                    return
                yield self._listing(force.force_id, force.wdtk_url_name, query, page=1)

    def _listing(self, force_id, url_name, query, page, after=None, before=None, split=False):
        url_name = self.renamed.get(url_name, url_name)
        url = wdtk.listing_url(self.base, url_name, query, page, after, before)
        # Read on every refresh: ask with If-None-Match. A renamed body redirects to its unfiltered
        # page (spec §10.2): read the new name from the Location header rather than fetch a page
        # of unrelated requests.
        meta = {"revalidate": True, "dont_redirect": True, "handle_httpstatus_list": [301, 302]}
        return self._request(url, self.parse_listing, errback=self.listing_failed, meta=meta, cb_kwargs=dict(
            force_id=force_id, url_name=url_name, query=query, page=page,
            after=after, before=before, split=split))

    def parse_listing(self, response, force_id, url_name, query, page, after, before, split):
        if response.status in (301, 302):
            # A renamed body's redirect keeps the path only (spec §10.2): it leads to the unfiltered
            # page 1, not to our results. Ask again under the new name, query, page and dates.
            location = response.urljoin(response.headers.get(b"Location", b"").decode("latin-1"))
            new_name = wdtk.renamed_body(location, url_name)
            if not new_name or new_name in self.renamed:
                record_failure(self.crawler, force_id, response.url, f"listing redirected to {location}")
                self.logger.error("%s: %s redirects to %s, not to another body page: check the force's "
                                  "wdtk_url_name in reference/forces.csv", force_id, response.url, location)
                if page == 1 and not split:
                    self.crawler.stats.set_value(f"force/{force_id}/listing_failed", 1)
                return
            self._body_renamed(force_id, url_name, new_name)
            yield self._listing(force_id, new_name, query, page, after, before, split)
            return
        listing = wdtk.parse_listing(response.body)
        stats = self.crawler.stats
        if not listing["is_listing"]:
            # A maintenance page or HTML cut short, answered 200: which requests exist is unknown.
            record_failure(self.crawler, force_id, response.url, "not a listing page")
            self.logger.error("%s: %s is not a listing page", force_id, response.url)
            if page == 1 and not split:
                stats.set_value(f"force/{force_id}/listing_failed", 1)
            return
        stats.inc_value("wdtk/listing_pages")
        self.logger.info("%s: %r page %d%s: %d requests listed", force_id, query, page,
                         f" [{after}..{before}]" if split else "", len(listing["items"]))

        too_many = wdtk.passes_page_cap(page, listing)
        # The range ends at the end of this year, not today, so that the halves (and so which
        # event each listing item shows) stay the same from one refresh to the next.
        halves = _split_range(after or wdtk.FIRST_REQUEST_DATE, before or date(date.today().year, 12, 31))
        if too_many and halves:
            # Past the 20-page cap: list each half of the date range separately (spec §1.5); the
            # halves list again the requests of these 20 pages, which are read once (seen_slugs).
            for lo, hi in halves:
                yield self._listing(force_id, url_name, query, 1, lo, hi, split=True)
        elif too_many:
            self.logger.warning("%s: more than %d requests on %s alone; some cannot be listed",
                                force_id, wdtk.PAGE_SIZE * wdtk.MAX_PAGES, after)

        for entry in listing["items"]:
            stats.inc_value(f"force/{force_id}/listed")
            yield from self._listed_request(force_id, url_name, entry)
        if listing["next_page"] and page < wdtk.MAX_PAGES:
            yield self._listing(force_id, url_name, query, page + 1, after, before, split)

    def _body_renamed(self, force_id, old, new):
        """Use the new name for the rest of the crawl; the crawl report names the rename once."""
        if self.renamed.get(old) == new:
            return
        self.renamed[old] = new
        renames = self.crawler.stats.get_value("renamed_bodies") or []
        renames.append({"force_id": force_id, "old": old, "new": new})
        self.crawler.stats.set_value("renamed_bodies", renames)
        self.logger.warning("%s: WDTK url_name %r redirects to %r (its search dropped); asking again under "
                            "the new name. Update wdtk_url_name in reference/forces.csv", force_id, old, new)

    def _listed_request(self, force_id, url_name, entry):
        slug = entry["url_title"]
        if not slug or slug in self.seen_slugs:
            return
        self.seen_slugs.add(slug)
        if self._unchanged(self.stored_by_slug.get(slug), entry):
            self.crawler.stats.inc_value(f"force/{force_id}/unchanged")
            return
        listed = dict(entry, force_id=force_id, url_name=url_name)
        yield self._request(wdtk.request_json_url(self.base, slug), self.parse_request_json,
                            errback=self.request_failed, priority=PRIORITY_JSON, cb_kwargs={"listed": listed})

    def _unchanged(self, stored, entry) -> bool:
        """Skip a listed request when the listing shows what the stored item showed, the stored
        item is recent, and none of its downloads failed. A change the listing item cannot show
        (a new message that does not match the query) is caught by the age limit: after
        WDTK_RECHECK_DAYS the JSON is fetched again, and the page only if updated_at moved."""
        if not stored or stored.get("listing_signature") != entry["listing_signature"] or _failed_downloads(stored):
            return False
        fetched = datetime.fromisoformat(stored["fetched_at"].replace("Z", "+00:00"))
        return fetched > self.recheck_before

    def listing_failed(self, failure):
        kwargs = failure.request.cb_kwargs
        if self._forbidden(failure, kwargs["force_id"]) == "blocked":
            return  # named in the crawl report as blocked, not a failed crawl (refresh exits 2)
        self._error(failure, kwargs["force_id"])
        if kwargs["page"] == 1 and not kwargs["split"]:
            self.crawler.stats.set_value(f"force/{kwargs['force_id']}/listing_failed", 1)

    # -----------------------------------------------------------------------------------------
    # one request: JSON, page, attachments

    def parse_request_json(self, response, listed):
        try:
            data = json.loads(response.text)
        except ValueError:
            # Not JSON (a maintenance or challenge page answered with 200): an error, not a crash.
            record_failure(self.crawler, listed["force_id"], response.url, "not JSON")
            self.logger.error("%s: %s did not answer JSON", listed["force_id"], response.url)
            return
        source_id = str(data["id"])
        if source_id in self.seen_ids:
            return  # the same request under a second slug or query: keyed on the numeric id
        self.seen_ids.add(source_id)
        json_sha256 = self.files.store(response.body)
        stored = self.stored_by_id.get(source_id)
        if stored and stored.get("updated_at") == data.get("updated_at") and stored.get("html_sha256") \
                and rawstore.file_path(self.data_dir, stored["html_sha256"]).exists():
            # Nothing changed since the stored fetch: read the page from the raw layer.
            self.crawler.stats.inc_value("wdtk/request_pages_reused")
            html = rawstore.file_path(self.data_dir, stored["html_sha256"]).read_bytes()
            yield from self._read_request_page(html, stored["html_sha256"], listed, data, json_sha256)
            return
        yield self._page_request(listed, data, json_sha256, unfold=False)

    def _page_request(self, listed, data, json_sha256, unfold):
        return self._request(wdtk.request_html_url(self.base, data["url_title"], unfold), self.parse_request_page,
                             errback=self.request_failed, priority=PRIORITY_HTML,
                             cb_kwargs={"listed": listed, "data": data, "json_sha256": json_sha256, "unfold": unfold})

    def parse_request_page(self, response, listed, data, json_sha256, unfold):
        yield from self._read_request_page(response.body, None, listed, data, json_sha256, unfold)

    def _read_request_page(self, html, html_sha256, listed, data, json_sha256, unfold=False):
        """The item from a request page (fetched, or stored when nothing changed). A reply with
        quoted sections folded away (spec §10.4) is read from the ?unfold=1 page instead: one more
        request, whose page is then the one stored and reused."""
        page = wdtk.parse_request_page(html, base=self.real_base)
        if page["folded"] and not unfold:
            self.crawler.stats.inc_value("wdtk/request_pages_unfolded")
            yield self._page_request(listed, data, json_sha256, unfold=True)
            return
        html_sha256 = html_sha256 or self.files.store(html)
        yield from self._request_item(listed, data, json_sha256, html_sha256, page)

    def _request_item(self, listed, data, json_sha256, html_sha256, page):
        if not page["messages"]:
            # Every request page shows at least the request itself: this one was cut short or is
            # not the page. No item, so the next refresh fetches it again.
            record_failure(self.crawler, listed["force_id"], wdtk.request_html_url(self.base, data["url_title"]),
                           "request page without correspondence")
            self.logger.error("%s: the page of request %s shows no correspondence", listed["force_id"], data["id"])
            return
        messages = _with_events(page["messages"], data.get("info_request_events") or [])
        item = {
            "item_type": "request",
            "source": self.source,
            "source_id": str(data["id"]),
            "force_id": listed["force_id"],
            "body_url_name": (data.get("public_body") or {}).get("url_name") or listed["url_name"],
            "site": self.base,
            "url": wdtk.canonical_url(wdtk.request_html_url(self.real_base, data["url_title"])),
            "url_title": data["url_title"],
            "title": data.get("title") or page["title"],
            "created_at": data.get("created_at"),
            "updated_at": data.get("updated_at"),
            "described_state": data.get("described_state"),
            "awaiting_description": data.get("awaiting_description"),
            "calculated_status": page["calculated_status"],
            "prominence": data.get("prominence"),
            "law_used": data.get("law_used"),
            "batch_id": page["batch_id"],
            "reference": None,  # the force's own FOI number is in the response text: transform reads it
            "listing_signature": listed["listing_signature"],
            "json_sha256": json_sha256,
            "html_sha256": html_sha256,
            "messages": messages,
        }
        pending = []
        for attachment in _attachments(item):
            stored = self.stored_attachments.get(attachment["attachment_id"])
            if stored:
                for key in ("sha256", "size", "served_content_type", "sniffed_content_type", "filename"):
                    attachment[key] = stored.get(key)
                attachment["error"] = None
                self.crawler.stats.inc_value("attachments/reused")
            elif attachment["url"]:
                pending.append(attachment)
            else:
                attachment.update(sha256=None, size=None, served_content_type=None,
                                  sniffed_content_type=None, filename=None)
        yield from self._next_attachment(item, pending)

    def _next_attachment(self, item, pending, wait_retries=0):
        """Download attachments one after another; the item is written after the last one."""
        if not pending:
            yield self._finish(item)
            return
        yield self._request(wdtk.rebase(pending[0]["url"], self.real_base, self.base), self.parse_attachment,
                            errback=self.attachment_failed, priority=PRIORITY_ATTACHMENT,
                            cb_kwargs={"item": item, "pending": pending, "wait_retries": wait_retries})

    def parse_attachment(self, response, item, pending, wait_retries):
        attachment = pending[0]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip()
        if wdtk.is_wait_page(response.url) and content_type == "text/html":
            # The site is still masking the file (spec §8.1): ask again, a bounded number of times.
            self.crawler.stats.inc_value("wdtk/attachment_wait_pages")
            if wait_retries < self.wait_retries:
                yield from self._next_attachment(item, pending, wait_retries + 1)
                return
            self._attachment_error(attachment, item, f"still being prepared after {wait_retries} retries")
        elif "/attach/" not in urlsplit(response.url).path:
            # A filename that no longer matches sends 303 to the request page (spec §1.2).
            self._attachment_error(attachment, item, f"redirected to {response.url}")
        else:
            attachment.update(
                sha256=self.files.store(response.body),
                size=len(response.body),
                served_content_type=content_type or None,
                sniffed_content_type=sniff_content_type(response.body),
                filename=_filename(response),
                error=None,
            )
            self.stored_attachments[attachment["attachment_id"]] = attachment
            self.crawler.stats.inc_value("attachments/downloaded")
        yield from self._next_attachment(item, pending[1:])

    def attachment_failed(self, failure):
        kwargs = failure.request.cb_kwargs
        item, pending = kwargs["item"], kwargs["pending"]
        forbidden = self._forbidden(failure, item["force_id"])
        if forbidden == "hidden":
            # Hidden or erased since the page was rendered: as if the page had said so.
            _not_downloaded(pending[0], error=None)
            pending[0]["hidden"] = True
        elif forbidden == "blocked":
            # Kept as failed, so the next refresh downloads it; the report names the force blocked.
            _not_downloaded(pending[0], error=failure_text(failure))
        else:
            self._attachment_error(pending[0], item, failure_text(failure))
        yield from self._next_attachment(item, pending[1:])

    def _attachment_error(self, attachment, item, error):
        _not_downloaded(attachment, error)
        record_failure(self.crawler, item["force_id"], attachment["url"], error)
        self.crawler.stats.inc_value("attachments/errors")
        self.logger.error("%s: attachment %s of request %s not downloaded: %s", item["force_id"],
                          attachment["attachment_id"], item["source_id"], error)

    def request_failed(self, failure):
        listed = failure.request.cb_kwargs["listed"]
        status = getattr(getattr(failure.value, "response", None), "status", None)
        forbidden = self._forbidden(failure, listed["force_id"])
        if forbidden == "hidden":
            self.crawler.stats.inc_value("requests/hidden")
            self.logger.warning("%s: request %s is hidden (HTTP 403, empty or 'removed' page): skipped",
                                listed["force_id"], listed["url_title"])
        elif failure.check(HttpError) and status in (404, 410):
            # Embargoed or removed since it was listed: not an error of ours.
            self.crawler.stats.inc_value(f"wdtk/requests_unavailable_{status}")
            self.logger.warning("%s: request %s is unavailable (HTTP %s)", listed["force_id"],
                                listed["url_title"], status)
        elif forbidden is None:
            self._error(failure, listed["force_id"])

    def _forbidden(self, failure, force_id) -> str | None:
        """"hidden", "blocked" or None (not a 403). Two meanings of a 403 (spec §10.3): a hidden
        request or file is skipped; anything else (a challenge page above all) means the site is
        blocking the crawler. Then nothing more is asked of it in this crawl (requests already
        queued still go), and every force is named blocked in the crawl report, since none can
        be known complete (refresh exits 2); what was not read is fetched by the next refresh."""
        response = getattr(failure.value, "response", None)
        if not failure.check(HttpError) or response.status != 403:
            return None
        reason = self.blocks.reason(failure)
        if reason is None:
            return "hidden"
        self.blocks.block(self.base, [force.force_id for force in self.forces], response.url, reason,
                          ". Refresh later; if it goes on, check the contact and ask the site's operators")
        return "blocked"

    def _finish(self, item):
        item["fetched_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.crawler.stats.inc_value(f"force/{item['force_id']}/items")
        self.logger.info("%s: request %s %r (%d messages, %d attachments)", item["force_id"],
                         item["source_id"], item["title"], len(item["messages"]), len(list(_attachments(item))))
        return item

    # -----------------------------------------------------------------------------------------

    def _request(self, url, callback, errback, priority=0, cb_kwargs=None, meta=None):
        """The request to yield; None (which Scrapy ignores) once the site has blocked the crawler:
        nothing more is asked of it in this crawl."""
        if not wdtk.is_allowed_route(url):
            raise ValueError(f"refusing a route robots.txt forbids: {url}")
        if self.blocks.blocked(self.base):
            return None
        return scrapy.Request(url, callback=callback, errback=errback, priority=priority,
                              cb_kwargs=cb_kwargs or {}, meta=meta or {}, dont_filter=True)

    def _error(self, failure, force_id):
        self.error(force_id, failure.request.url, failure_text(failure))


def _split_range(after: date, before: date):
    """Two halves of an inclusive date range, or None for a single day."""
    if after >= before:
        return None
    middle = after + timedelta(days=(before - after).days // 2)
    return [(after, middle), (middle + timedelta(days=1), before)]


def _attachments(item):
    for message in item.get("messages", []):
        yield from message.get("attachments", [])


def _not_downloaded(attachment, error):
    attachment.update(sha256=None, size=None, served_content_type=None, sniffed_content_type=None,
                      filename=None, error=error)


def _failed_downloads(item) -> bool:
    return any(map(rawstore.download_failed, _attachments(item)))


def _with_events(messages, events):
    """Add each message's event type from the JSON, and a date for hidden messages (whose
    header, with its date, is not rendered)."""
    by_dom_id = {}
    for event in events:
        for key, prefix in (("outgoing_message_id", "outgoing"), ("incoming_message_id", "incoming"),
                            ("comment_id", "comment")):
            if event.get(key) is not None:
                by_dom_id.setdefault(f"{prefix}-{event[key]}", event)
    for message in messages:
        event = by_dom_id.get(message["message_id"], {})
        message["event_type"] = event.get("event_type")
        if not message["sent_at"]:
            message["sent_at"] = event.get("created_at")
    return messages


def _filename(response) -> str:
    """The filename from Content-Disposition, else the last part of the URL."""
    disposition = response.headers.get(b"Content-Disposition")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition.decode("latin-1")
        if message.get_filename():
            return message.get_filename()
    return unquote(Path(urlsplit(response.url).path).name)

