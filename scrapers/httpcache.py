"""Conditional requests for pages that must be read on every refresh (WDTK body listings).

The raw layer already keeps request pages and files, so the HTTP cache is used only where it
saves the site work: a page a spider opts in with `meta={"revalidate": True}` is stored, and
the next crawl asks for it with If-None-Match / If-Modified-Since; a 304 reuses the stored copy.
It never answers from the cache without asking (a listing older than its max-age could hide a
new response), and never serves a stored page in place of a server error (that is retried and
reported instead).
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy

logger = logging.getLogger(__name__)


class RevalidatePolicy(RFC2616Policy):
    def should_cache_request(self, request):
        return bool(request.meta.get("revalidate")) and super().should_cache_request(request)

    def is_cached_response_fresh(self, cachedresponse, request):
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse, response, request):
        return response.status == 304


class SafeFilesystemCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache, kept under DATA_DIR (a relative HTTPCACHE_DIR is read from
    there, beside the raw layer it serves), treating an entry a killed crawl left half-written
    as absent."""

    def __init__(self, settings):
        settings = settings.copy()
        settings.frozen = False  # a private copy: the crawler's own settings stay as they are
        settings.set("HTTPCACHE_DIR", str(Path(settings.get("DATA_DIR")).resolve() / settings.get("HTTPCACHE_DIR")))
        super().__init__(settings)

    def retrieve_response(self, spider, request):
        try:
            return super().retrieve_response(spider, request)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError) as error:
            logger.warning("ignoring a damaged HTTP cache entry for %s: %s", request.url, error)
            return None
