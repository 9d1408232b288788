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
