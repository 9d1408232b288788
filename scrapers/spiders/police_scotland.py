"""Police Scotland's disclosure log: listing pages -> items.

    scrapy crawl police_scotland [-a archive=no] [-s DATA_DIR=... -s SITE_URLS_FILE=...]

Selectors and URL rules: scrapers/sites/police_scotland.py; crawling: scrapers/logspider.ListingLogSpider.
"""

from scrapers.logspider import ListingLogSpider
from scrapers.sites import police_scotland


class PoliceScotlandSpider(ListingLogSpider):
    name = "police_scotland"
    source = "police_scotland"
    site = police_scotland
