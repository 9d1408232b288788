"""The forces' own disclosure logs that are listing pages leading to item pages: one spider per
log, made from the table below. What differs between them (selectors, URL rules, headings) is
in each family's module in scrapers/sites/; how they crawl is scrapers/logspider.ListingLogSpider.

    scrapy crawl wmp|northumbria|avon_and_somerset|psni|police_scotland [-a archive=no]
                 [-s DATA_DIR=... -s SITE_URLS_FILE=...]

A new log of this kind is a module in scrapers/sites/ and a line here.
"""

from scrapers.logspider import ListingLogSpider
from scrapers.sites import avon_and_somerset, northumbria, police_scotland, psni, wmp

# spider name (also the items' source) -> the family's module of selectors and URL rules
LISTING_LOGS = {
    "wmp": wmp,                              # WordPress: year archives -> posts -> items
    "northumbria": northumbria,
    "avon_and_somerset": avon_and_somerset,
    "psni": psni,
    "police_scotland": police_scotland,
}


def _spider_class(name: str, site) -> type:
    class_name = "".join(part.title() for part in name.split("_")) + "Spider"
    # Scrapy's spider loader finds a spider by its module and its name attribute.
    return type(class_name, (ListingLogSpider,), {"name": name, "source": name, "site": site,
                                                  "__module__": __name__,
                                                  "__doc__": f"{site.__doc__.splitlines()[0]} (scrapers/sites/{name}.py)"})


globals().update({spider.__name__: spider for spider in (_spider_class(name, site) for name, site in LISTING_LOGS.items())})
