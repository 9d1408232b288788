"""Avon and Somerset's disclosure log: listing pages -> items.

    scrapy crawl avon_and_somerset [-a archive=no] [-s DATA_DIR=... -s SITE_URLS_FILE=...]

Selectors and URL rules: scrapers/sites/avon_and_somerset.py; crawling: scrapers/logspider.ListingLogSpider.
"""

from scrapers.logspider import ListingLogSpider
from scrapers.sites import avon_and_somerset


class AvonAndSomersetSpider(ListingLogSpider):
    name = "avon_and_somerset"
    source = "avon_and_somerset"
    site = avon_and_somerset
