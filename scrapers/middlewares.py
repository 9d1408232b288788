"""Downloader middlewares."""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.retry import RetryMiddleware

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, plus exponential back-off: a retryable status (429, 5xx) doubles the
    site's download delay, at least RETRY_BACKOFF_BASE and at least what Retry-After asks, up
    to RETRY_BACKOFF_MAX. Each good answer halves it again, down to DOWNLOAD_DELAY, so a site
    that has recovered is not crawled slowly for the rest of the run."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")
        self.floor = settings.getfloat("DOWNLOAD_DELAY")

    def process_response(self, request, response, spider=None):
        slot = self._slot(request)
        if slot is not None:
            if response.status in self.retry_http_codes and not request.meta.get("dont_retry"):
                retry_after = _seconds(response.headers.get(b"Retry-After"))
                slot.delay = min(self.cap, max(slot.delay * 2, self.base, retry_after))
                logger.info("HTTP %s from %s: delay for this site now %.1f s",
                            response.status, request.url, slot.delay)
            elif response.status < 400 and slot.delay > self.floor:
                slot.delay = max(self.floor, slot.delay / 2)
        return super().process_response(request, response)

    def _slot(self, request):
        downloader = self.crawler.engine.downloader
        return downloader.slots.get(downloader.get_slot_key(request))


def _seconds(value: bytes | None) -> float:
    try:
        return float(value.decode()) if value else 0.0
    except ValueError:
        return 0.0  # an HTTP-date: the doubled delay is a fair approximation
