"""West Midlands Police's FOI log (WordPress): year archives -> posts -> items.

    scrapy crawl wmp [-a archive=no] [-s DATA_DIR=... -s SITE_URLS_FILE=...]

Selectors and URL rules: scrapers/sites/wmp.py; crawling: scrapers/logspider.ListingLogSpider.
"""

from scrapers.logspider import ListingLogSpider
from scrapers.sites import wmp


class WmpSpider(ListingLogSpider):
    name = "wmp"
    source = "wmp"
    site = wmp
