"""The crawl benchmark's baseline: the least a Scrapy spider can do to fetch a list of URLs.

Run with ``scrapy runspider`` outside the project (no project settings, pipelines, robots.txt,
HTTP cache or redirects), at the same concurrency as our spider, so the time ratio between the
two is what our spider's parsing, raw-layer writing and politeness machinery cost.
"""
import scrapy


class MinimalSpider(scrapy.Spider):
    name = "minimal"

    def __init__(self, urls_file: str, **kwargs):
        super().__init__(**kwargs)
        with open(urls_file) as f:
            self.urls = [line.strip() for line in f if line.strip()]

    async def start(self):
        for url in self.urls:
            # Every URL is fetched once, whatever it answers (some are 301s or 304s in our crawl).
            yield scrapy.Request(url, dont_filter=True, meta={"handle_httpstatus_all": True})

    def parse(self, response):
        self.crawler.stats.inc_value("minimal/bytes", len(response.body))
