"""The back-off of scrapers.middlewares.BackoffRetryMiddleware on a downloader slot."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from types import SimpleNamespace

from scrapy import Request
from scrapy.http import Response
from scrapy.settings import Settings

from scrapers import settings as project_settings
from scrapers.middlewares import BackoffRetryMiddleware, retry_after_seconds


def middleware(delay):
    settings = Settings()
    settings.setmodule(project_settings)
    settings.set("DOWNLOAD_DELAY", delay)
    mw = BackoffRetryMiddleware(settings)
    slot = SimpleNamespace(delay=delay)
    downloader = SimpleNamespace(slots={"site": slot}, get_slot_key=lambda request: "site")
    stats = SimpleNamespace(inc_value=lambda *args, **kwargs: None)
    spider = SimpleNamespace(name="wdtk", crawler=SimpleNamespace(settings=settings, stats=stats))
    mw.crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader), spider=spider, stats=stats)
    return mw, slot


def answer(mw, status, headers=None):
    request = Request("https://www.whatdotheyknow.com/body/the_met")
    return mw.process_response(request, Response(request.url, status=status, headers=headers or {}))


def test_retryable_answers_double_the_delay_and_good_ones_halve_it_back():
    mw, slot = middleware(3.0)
    answer(mw, 503)
    assert slot.delay == 6.0
    answer(mw, 429, {"Retry-After": "30"})
    assert slot.delay == 30.0
    for _ in range(10):
        answer(mw, 429)
    assert slot.delay == 120.0  # RETRY_BACKOFF_MAX
    answer(mw, 200)
    assert slot.delay == 60.0
    for _ in range(10):
        answer(mw, 200)
    assert slot.delay == 3.0  # never below DOWNLOAD_DELAY


def test_a_mirror_with_no_delay_backs_off_from_the_base():
    mw, slot = middleware(0.0)
    answer(mw, 500)
    assert slot.delay == 2.0  # RETRY_BACKOFF_BASE
    answer(mw, 404)
    assert slot.delay == 2.0  # an error that is not retried does not count as recovery


def test_retry_after_holds_the_site_even_after_a_good_answer_halves_the_delay():
    # The request already queued for the site when the 429 arrives is answered 200, which halves
    # the delay; the time Retry-After asked for must still hold for the retry.
    mw, slot = middleware(0.0)
    before = time.monotonic()
    answer(mw, 429, {"Retry-After": "30"})
    after = time.monotonic()
    answer(mw, 200)
    assert slot.delay == 15.0
    # 30 s from the moment the 429 was read, which lies between the two clock readings, however
    # long the test takes to get here.
    assert before + 30 <= mw.not_before["site"] <= after + 30


def test_retry_after_may_be_seconds_or_an_http_date():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc).timestamp()
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(b"Mon, 30 Nov 2026 12:01:30 GMT", now=now) == 90.0
    assert retry_after_seconds(b"Mon, 30 Nov 2026 11:00:00 GMT", now=now) == 0.0  # already past
    assert retry_after_seconds(b"soon") == 0.0
    assert retry_after_seconds(None) == 0.0
