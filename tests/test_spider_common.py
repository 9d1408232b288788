"""What every spider does the same way (scrapers/siteurls.py, scrapers/report.py): the delays
dropped only for a crawl of our own loopback mirror, and one wording of why a request failed."""

from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scrapers.report import failure_text
from scrapers.settings import DOWNLOAD_DELAY
from scrapers.siteurls import LOOPBACK_SETTINGS, relax_for_loopback


def settings_after(bases) -> Settings:
    settings = Settings({"DOWNLOAD_DELAY": DOWNLOAD_DELAY, "AUTOTHROTTLE_ENABLED": True})
    relax_for_loopback(settings, bases)
    return settings


def test_delays_are_dropped_only_when_every_site_is_our_loopback_mirror():
    relaxed = settings_after(["http://127.0.0.1:8100", "http://localhost:8101"])
    assert {name: relaxed[name] for name in LOOPBACK_SETTINGS} == LOOPBACK_SETTINGS
    for bases in (["https://www.whatdotheyknow.com"], ["http://127.0.0.1:8100", "https://www.met.police.uk"], []):
        assert settings_after(bases).getfloat("DOWNLOAD_DELAY") == DOWNLOAD_DELAY, bases


def test_a_setting_given_on_the_command_line_still_wins():
    settings = Settings()
    settings.set("DOWNLOAD_DELAY", 7, priority="cmdline")
    relax_for_loopback(settings, ["http://127.0.0.1:8100"])
    assert settings.getfloat("DOWNLOAD_DELAY") == 7


def failed(error, url="http://127.0.0.1:8100/b", redirected_from=None) -> Failure:
    request = Request(url, meta={"redirect_urls": [redirected_from]} if redirected_from else {})
    failure = Failure(error)
    failure.request = request
    return failure


def test_why_a_request_failed_reads_the_same_from_every_spider():
    response = Response("http://127.0.0.1:8100/b", status=503, request=Request("http://127.0.0.1:8100/b"))
    assert failure_text(failed(HttpError(response))) == "HTTP 503"
    assert failure_text(failed(HttpError(response), redirected_from="http://127.0.0.1:8100/a")) == \
        "HTTP 503 (redirected to http://127.0.0.1:8100/b)"
    assert failure_text(failed(TimeoutError("took too long"))) == "TimeoutError: took too long"


def test_an_attachment_not_downloaded_is_tried_again_unless_it_is_hidden():
    from scrapers.rawstore import download_failed

    assert download_failed({"url": "https://example.org/a.pdf", "sha256": None, "error": "HTTP 503"})
    assert not download_failed({"url": "https://example.org/a.pdf", "sha256": "ab" * 32, "error": None})
    assert not download_failed({"url": "https://example.org/a.pdf", "sha256": None, "hidden": True})
    assert not download_failed({"url": None, "sha256": None})


def test_each_line_of_the_listing_logs_table_is_a_spider_scrapy_lists():
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from scrapers.spiders.listing_logs import LISTING_LOGS

    loader = SpiderLoader.from_settings(get_project_settings())
    for name, site in LISTING_LOGS.items():
        spider = loader.load(name)
        assert (spider.name, spider.source, spider.site) == (name, name, site)
    assert len(loader.list()) == len(set(loader.list()))


def test_every_spider_stands_on_the_one_base():
    """Each spider Scrapy lists shares the base (scrapers/spiderbase.py): the same blocked-site
    handling, errors and declared item shapes (a new spider is covered without editing this)."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from scrapers.spiderbase import SpiderBase

    loader = SpiderLoader.from_settings(get_project_settings())
    for name in loader.list():
        spider = loader.load(name)
        assert issubclass(spider, SpiderBase) and "request" in spider.item_shapes, name


def test_a_blocked_site_is_marked_once_and_names_its_forces():
    from types import SimpleNamespace

    from scrapy.statscollectors import MemoryStatsCollector

    from scrapers.logpage import blocked_reason
    from scrapers.sites.wdtk import blocked_reason as wdtk_blocked_reason
    from scrapers.spiderbase import SiteBlocks

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    blocks = SiteBlocks(SimpleNamespace(crawler=SimpleNamespace(stats=stats)), blocked_reason)
    response = Response("http://127.0.0.1:8100/b", status=429, request=Request("http://127.0.0.1:8100/b"))
    reason = blocks.reason(failed(HttpError(response)))
    assert reason == "HTTP 429 Too Many Requests"
    assert blocks.block("site", ["kent", "essex"], response.url, reason)
    assert not blocks.block("site", ["kent", "essex"], response.url, reason)  # once
    assert blocks.blocked("site") and not blocks.blocked("other")
    assert stats.get_value("force/kent/blocked") == stats.get_value("force/essex/blocked") == 1
    assert stats.get_value("blocked/sites") == 1 and stats.get_value("blocked/responses") == 2
    assert blocks.reason(failed(TimeoutError("took too long"))) is None
    # WhatDoTheyKnow's rule: a 429 outliving the retries is an error, an empty 403 a hidden request
    assert wdtk_blocked_reason(429, b"") is None and wdtk_blocked_reason(403, b"") is None
