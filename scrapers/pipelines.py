"""Item pipeline: every scraped item goes to the raw layer through rawstore.ItemWriter."""

from __future__ import annotations

from itemadapter import ItemAdapter

from scrapers import rawstore


class RawItemPipeline:
    """Appends each item, whole, to raw/items/<spider>/<run_id>.jsonl (one file per crawl)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        self.writer = rawstore.ItemWriter(self.crawler.settings.get("DATA_DIR"), spider.name, spider.run_id)

    def close_spider(self):
        self.writer.close()

    def process_item(self, item):
        self.writer.write(ItemAdapter(item).asdict())
        self.crawler.stats.inc_value(f"items/{ItemAdapter(item).get('item_type', 'item')}")
        return item
