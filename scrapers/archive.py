"""The Internet Archive fallback (spec §2.3): a page of a site that is blocking the crawl is read
from its latest archived capture instead, as a downloader middleware, so a spider's callbacks
read it as they would the page itself.

A request asks for it with ``meta["archive"] = True`` and carries ``force_id`` and ``real_url``
(its URL on the real site). Once the spider has marked that site blocked (``spider.blocks``,
scrapers/spiderbase.py; the site is the force for disclosure logs), no such request is sent to
the site: the CDX API gives the newest capture of exactly that URL answered 200, and the capture
is fetched as it was served (``id_``: no banner, no rewritten links). The response is the
capture's, with ``meta["archive_url"]`` its public address, which items keep as the evidence
link. The capture is kept in the raw layer and remembered in the spider's crawl state
(``spider.state``, scrapers/logstate.py): a capture never changes, so one read by an earlier
crawl is read from the raw layer (pages only, with ``meta["archive_reuse"]``).

No capture, or the archive failing, fails the request with ``ArchiveUnavailable`` (its errback
says what the spider does without the page); the archive's failure is an error of the crawl.
The archive's own requests go through every downloader middleware (robots.txt, retries, the
off-site rule), as any other request.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

from scrapers import rawstore

logger = logging.getLogger(__name__)

ARCHIVE_BASE = "https://web.archive.org"


class ArchiveUnavailable(IgnoreRequest):
    """The page's site is blocking us and the archive has no copy of it, or could not be read."""


class ArchiveFallbackMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        spider = self.crawler.spider
        if not request.meta.get("archive") or not spider.blocks.blocked(request.meta["force_id"]):
            return None
        response = await self._from_archive(spider, request)
        # Scrapy's DownloaderStats counts the response returned here as one more answer; the
        # archive's answers were counted as they came, and the crawl report's HTTP status counts
        # are what servers answered.
        self.crawler.stats.inc_value(f"downloader/response_status_count/{response.status}", -1)
        self.crawler.stats.inc_value("downloader/response_count", -1)
        return response

    async def _from_archive(self, spider, request):
        force_id, real_url = request.meta["force_id"], request.meta["real_url"]
        stats = self.crawler.stats
        # CDX API: the newest capture of exactly this URL that was a 200 (limit=-1 = last row).
        cdx = (f"{spider.archive_base}/cdx/search/cdx?url={quote(real_url, safe='')}"
               "&output=json&fl=timestamp,original,statuscode&filter=statuscode:200&limit=-1")
        found = await self._download(cdx, request)
        try:
            rows = json.loads(found.text or "[]")
        except (ValueError, AttributeError):
            rows = []  # not the CDX answer (an error page): as good as no capture
        if len(rows) < 2:
            stats.inc_value("logs/archive_no_snapshot")
            logger.warning("%s: no archived copy of %s", force_id, real_url)
            raise ArchiveUnavailable("blocked, and no archived copy")
        timestamp, original = rows[-1][0], rows[-1][1]
        stats.inc_value("logs/archive_snapshots")
        raw = f"{spider.archive_base}/web/{timestamp}id_/{original}"
        request.meta["archive_url"] = f"{ARCHIVE_BASE}/web/{timestamp}/{original}"
        # Not the site's page: never stored in the HTTP cache under the site's URL.
        request.meta["_dont_cache"] = True
        kept = spider.state.capture(force_id, real_url)
        if kept and kept[0] == timestamp and request.meta.get("archive_reuse") \
                and rawstore.file_path(spider.data_dir, kept[1]).exists():
            stats.inc_value("logs/archive_captures_reused")
            body = rawstore.file_path(spider.data_dir, kept[1]).read_bytes()
            return HtmlResponse(raw, body=body, encoding="utf-8", request=request)
        capture = await self._download(raw, request)
        sha256 = spider.files.store(capture.body)
        spider.state.read_capture(force_id, real_url, timestamp, sha256)
        return capture.replace(request=request)

    async def _download(self, url, request):
        """One of the archive's answers (2xx), or ArchiveUnavailable with the error recorded."""
        try:
            response = await self.crawler.engine.download_async(
                scrapy.Request(url, priority=request.priority, dont_filter=True))
        except Exception as error:  # what the download raised: an error of the crawl, not a crash
            problem = f"{type(error).__name__}: {error}"
        else:
            if 200 <= response.status < 300:
                return response
            problem = f"HTTP {response.status}"
        self.crawler.spider.error(request.meta["force_id"], url, "Internet Archive: " + problem)
        raise ArchiveUnavailable("blocked, and the archived copy failed")
