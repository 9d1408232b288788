"""`scrapy crawl`, exiting non-zero when the crawl report's monitors fail (scrapers/report.py) or
the crawl refused to start (scrapers/contact.py)."""

import asyncio
import logging

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from scrapers.contact import ContactMissing

logger = logging.getLogger(__name__)


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        crawler = self._create_crawler(args[0])
        started = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, asyncio.Task):
            started.add_done_callback(_refusal_without_traceback)
        self.crawler_process.start()
        report = getattr(crawler, "crawl_report", None)
        if self.crawler_process.bootstrap_failed or (report and not report["ok"]):
            self.exitcode = 1


def _refusal_without_traceback(task: asyncio.Task) -> None:
    """A crawl that refused to start has logged what to do (scrapers/contact.py); a traceback
    after it would bury that. Any other failure to start keeps its traceback."""
    error = None if task.cancelled() else task.exception()  # asking marks it as reported
    if error is not None and not isinstance(error, ContactMissing):
        logger.error("the crawl could not start", exc_info=error)
