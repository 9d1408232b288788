"""Downloader middlewares."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, plus exponential back-off: a retryable status (429, 5xx) doubles the
    site's download delay, at least RETRY_BACKOFF_BASE and at least what Retry-After asks, up
    to RETRY_BACKOFF_MAX. Each good answer halves it again, down to DOWNLOAD_DELAY, so a site
    that has recovered is not crawled slowly for the rest of the run.

    Retry-After is also a time before which the site is not asked again: the delay alone
    cannot promise that, because the slot sends its next queued request the moment a download
    finishes (before this middleware sees the 429), and that request's good answer halves the
    delay. So every request that reaches the downloader for that site waits out the time first."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")
        self.floor = settings.getfloat("DOWNLOAD_DELAY")
        self.not_before: dict[str, float] = {}  # slot key -> time.monotonic() the site asked for

    async def process_request(self, request, spider=None):
        key = self._slot_key(request)
        wait = self.not_before.get(key, 0.0) - time.monotonic()
        if wait > 0:
            await sleep(wait)

    def process_response(self, request, response, spider=None):
        key = self._slot_key(request)
        slot = self.crawler.engine.downloader.slots.get(key)
        if response.status in self.retry_http_codes and not request.meta.get("dont_retry"):
            retry_after = min(self.cap, retry_after_seconds(response.headers.get(b"Retry-After")))
            if retry_after > 0:
                self.not_before[key] = max(self.not_before.get(key, 0.0), time.monotonic() + retry_after)
            if slot is not None:
                slot.delay = min(self.cap, max(slot.delay * 2, self.base, retry_after))
                logger.info("HTTP %s from %s: delay for this site now %.1f s",
                            response.status, request.url, slot.delay)
        elif slot is not None and response.status < 400 and slot.delay > self.floor:
            slot.delay = max(self.floor, slot.delay / 2)
        return super().process_response(request, response)

    def _slot_key(self, request) -> str:
        return self.crawler.engine.downloader.get_slot_key(request)


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float:
    """Seconds a Retry-After header asks for: a number of seconds or an HTTP-date (RFC 9110
    §10.2.3). Anything unreadable asks for nothing; the doubled delay still applies."""
    if not value:
        return 0.0
    text = value.decode("latin-1").strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when - (time.time() if now is None else now))
