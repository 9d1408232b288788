"""Item pipelines: every scraped item is checked against its declared shape (scrapers/items.py),
then goes to the raw layer through rawstore.ItemWriter."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scrapers import rawstore
from scrapers.items import problems
from scrapers.report import record_failure


class ValidateItemPipeline:
    """Refuses an item that is not of a shape its spider declares (the spider's ``item_shapes``,
    item_type -> dataclass): it is not written, and it is an error of the crawl, listed in the
    crawl report with the spider, the item's URL and what is wrong. The crawl goes on; the next
    one fetches the request again, as nothing of it was stored."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        spider = self.crawler.spider
        adapter = ItemAdapter(item)
        shapes = getattr(spider, "item_shapes", {})
        shape = shapes.get(adapter.get("item_type"))
        found = problems(adapter.asdict(), shape) if shape else [
            f"item_type {adapter.get('item_type')!r} is none of {sorted(shapes)}"]
        if found:
            reason = f"{spider.name} item refused, not written: " + "; ".join(found)
            record_failure(self.crawler, adapter.get("force_id"), adapter.get("url"), reason)
            raise DropItem(f"{reason} ({adapter.get('url')})")
        return item


class RawItemPipeline:
    """Appends each item, whole, to raw/items/<spider>/<run_id>.jsonl (one file per crawl). A
    spider's working keys (a leading underscore) are not written."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        self.writer = rawstore.ItemWriter(self.crawler.settings.get("DATA_DIR"), spider.name, spider.run_id)

    def close_spider(self):
        self.crawler.spider.files.close()
        self.writer.close()

    async def process_item(self, item):
        # The files the item names are in place before the item is (rawstore.FileStore).
        await self.crawler.spider.files.durable()
        adapter = ItemAdapter(item)
        self.writer.write({key: value for key, value in adapter.items() if not key.startswith("_")})
        self.crawler.stats.inc_value(f"items/{adapter.get('item_type', 'item')}")
        return item
