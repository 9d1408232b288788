"""Northumbria's disclosure log: listing pages -> items.

    scrapy crawl northumbria [-a archive=no] [-s DATA_DIR=... -s SITE_URLS_FILE=...]

Selectors and URL rules: scrapers/sites/northumbria.py; crawling: scrapers/logspider.ListingLogSpider.
"""

from scrapers.logspider import ListingLogSpider
from scrapers.sites import northumbria


class NorthumbriaSpider(ListingLogSpider):
    name = "northumbria"
    source = "northumbria"
    site = northumbria
