"""Item pipeline: every scraped item goes to the raw layer through rawstore.ItemWriter."""

from __future__ import annotations

from itemadapter import ItemAdapter

from scrapers import rawstore


class RawItemPipeline:
    """Appends each item, whole, to raw/items/<spider>/<run_id>.jsonl (one file per crawl)."""

    def open_spider(self, spider):
        self.writer = rawstore.ItemWriter(spider.settings.get("DATA_DIR"), spider.name, spider.run_id)

    def close_spider(self, spider):
        self.writer.close()

    def process_item(self, item, spider):
        self.writer.write(ItemAdapter(item).asdict())
        spider.crawler.stats.inc_value(f"items/{ItemAdapter(item).get('item_type', 'item')}")
        return item
