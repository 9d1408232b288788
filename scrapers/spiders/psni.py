"""PSNI's disclosure log: listing pages -> items.

    scrapy crawl psni [-a archive=no] [-s DATA_DIR=... -s SITE_URLS_FILE=...]

Selectors and URL rules: scrapers/sites/psni.py; crawling: scrapers/logspider.ListingLogSpider.
"""

from scrapers.logspider import ListingLogSpider
from scrapers.sites import psni


class PsniSpider(ListingLogSpider):
    name = "psni"
    source = "psni"
    site = psni
