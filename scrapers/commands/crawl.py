"""`scrapy crawl`, exiting non-zero when the crawl report's monitors fail (scrapers/report.py)."""

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        report = getattr(crawler, "crawl_report", None)
        if self.crawler_process.bootstrap_failed or (report and not report["ok"]):
            self.exitcode = 1
