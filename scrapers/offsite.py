"""Nothing is fetched off the sites a spider crawls (issue 8): a downloader middleware that refuses
any request, first or reached by a redirect, whose scheme, host and port are not one of the
spider's crawl bases or a known attachment host.

Scrapy's own OffsiteMiddleware compares host names only; the local mirror serves every site on
127.0.0.1 with one port each, so here the whole ``scheme://host:port`` counts. The bases are read
from the spider (``base`` for WhatDoTheyKnow; ``targets``, ``archive_base`` and the site's
ALTERNATE_BASES for disclosure logs) and from the setting ATTACHMENT_HOSTS (real base URLs that
serve a site's files, mapped to the mirror like every other base).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from scrapers.siteurls import crawl_base

logger = logging.getLogger(__name__)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(spider, attachment_hosts: list[str], sites_file: str | None) -> set[str]:
    """Where ``spider`` may fetch from: its crawl bases and the known attachment hosts."""
    bases = [getattr(spider, "base", None)]
    bases += [target.base for target in getattr(spider, "targets", {}).values()]
    if getattr(spider, "archive_fallback", False):
        bases.append(getattr(spider, "archive_base", None))
    site = getattr(spider, "site", None)
    for url in [*getattr(site, "ALTERNATE_BASES", {}), *attachment_hosts]:
        mapped = crawl_base(url, sites_file)
        # A crawl of the mirror never reaches a real site that the sites file does not map.
        if not sites_file or mapped != url.rstrip("/"):
            bases.append(mapped)
    return {origin(base) for base in bases if base}


class SameSiteMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self._allowed: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def allowed(self) -> set[str]:
        # Read on first use: the spider's bases are set in its from_crawler.
        if self._allowed is None:
            settings = self.crawler.settings
            self._allowed = allowed_origins(self.crawler.spider, settings.getlist("ATTACHMENT_HOSTS"),
                                            settings.get("SITE_URLS_FILE") or None)
        return self._allowed

    def process_request(self, request, spider=None):
        allowed = self.allowed()
        if not allowed or origin(request.url) in allowed:
            return None
        self.crawler.stats.inc_value("offsite/refused")
        referer = request.headers.get(b"Referer", b"").decode("latin-1")
        logger.warning("refusing off-site request %s%s", request.url, f" (from {referer})" if referer else "")
        raise IgnoreRequest(f"off-site: {origin(request.url)} is not a site this crawl may fetch from")
