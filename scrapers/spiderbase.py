"""What every spider does the same way (issue 16.9), in one place: the base class of the
WhatDoTheyKnow spider (scrapers/spiders/wdtk.py) and the disclosure-log spiders
(scrapers/logspider.py).

- Politeness: scrapers/settings.py for all; a crawl of our own loopback mirror drops the delays
  (``crawl_bases`` says where a spider fetches from; scrapers/siteurls.relax_for_loopback).
- The contact check and its user agent: scrapers/contact.py (an extension and an add-on).
- Failures: one wording (report.failure_text), one record (``error``), one crawl report
  (scrapers/report.py), whose counters every spider increments under the same names.
- Items: their declared shapes (``item_shapes``, scrapers/items.py), checked before the raw layer;
  the bodies they name are stored through ``self.files`` (rawstore.FileStore).
- Blocked sites (``self.blocks``, below): which responses mean a site refuses us is the site
  family's rule; what follows is the same for all: the site is marked blocked once, its forces
  are named in the crawl report, and nothing more is sent to it in this crawl.
- The Internet Archive fallback for a blocked site's pages: scrapers/archive.py, a downloader
  middleware (the disclosure-log spiders ask for it; WhatDoTheyKnow pages are not archived).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from scrapers import rawstore
from scrapers.report import record_failure
from scrapers.siteurls import relax_for_loopback

logger = logging.getLogger(__name__)


class SiteBlocks:
    """The sites blocking ``spider``'s crawl. ``reason_of(status, body)`` is the family's rule:
    why a response means the site refuses us, or None."""

    def __init__(self, spider, reason_of: Callable[[int, bytes], str | None]):
        self.spider = spider
        self.reason_of = reason_of
        self.reasons: dict[str, str] = {}  # site -> why it is blocked

    def reason(self, failure) -> str | None:
        """Why a failed request's answer means its site refuses us; None for any other failure."""
        response = getattr(failure.value, "response", None) if failure.check(HttpError) else None
        return self.reason_of(response.status, response.body) if response is not None else None

    def block(self, site: str, force_ids: Iterable[str], url: str, reason: str, advice: str = "") -> bool:
        """Mark ``site`` blocked for the rest of the crawl and name ``force_ids`` blocked in the
        crawl report (they cannot be known complete; the next refresh tries again). True the
        first time, when the spider has anything to add (a `source_blocked` item)."""
        stats = self.spider.crawler.stats
        stats.inc_value("blocked/responses")
        if site in self.reasons:
            return False
        self.reasons[site] = reason
        force_ids = list(force_ids)
        for force_id in force_ids:
            stats.set_value(f"force/{force_id}/blocked", 1)
        stats.inc_value("blocked/sites")
        logger.warning("%s: %s answered %s: the site is blocking the crawler; nothing more is sent to it in this "
                       "crawl%s", ", ".join(force_ids), url, reason, advice)
        return True

    def blocked(self, site: str) -> bool:
        return site in self.reasons


class SpiderBase(scrapy.Spider):
    """Subclasses set ``item_shapes`` (item_type -> its shape in scrapers/items.py), say where they
    fetch from (``crawl_bases``) and which answers mean a site blocks them (``blocked_reason``)."""

    item_shapes: dict[str, type] = {}

    @classmethod
    def crawl_bases(cls, settings) -> list[str]:
        """The base URLs this spider fetches from, as crawled (a mirror's in a demo)."""
        raise NotImplementedError

    @staticmethod
    def blocked_reason(status: int, body: bytes) -> str | None:
        raise NotImplementedError

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        relax_for_loopback(settings, cls.crawl_bases(settings))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = SiteBlocks(self, self.blocked_reason)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Every body the crawl keeps goes to the raw layer through here (synced off the crawl's
        # thread; the item pipeline waits for them before an item that names them).
        spider.files = rawstore.FileStore(crawler.settings.get("DATA_DIR"))
        return spider

    def error(self, force_id: str | None, url: str, text: str) -> None:
        """An error of the crawl: counted, listed in the crawl report and logged."""
        record_failure(self.crawler, force_id, url, text)
        self.logger.error("%s: %s failed: %s", force_id, url, text)
