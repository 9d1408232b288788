"""Scrapy settings for every spider in the project: polite defaults for the live sites, in one
place (DESIGN.md rule 5). Override per run with `scrapy crawl ... -s NAME=value`."""

import os

from scrapers.contact import user_agent

BOT_NAME = "police_surveillance_foi"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"
# `scrapy crawl` from scrapers/commands: the stock command plus a non-zero exit when the crawl
# report's monitors fail (scrapers/report.py).
COMMANDS_MODULE = "scrapers.commands"

# Who we are, so a site operator can reach us instead of blocking us. A crawl of a live site
# refuses to start until the maintainer has set a real contact (URL or e-mail address): the
# RequireContact extension below (scrapers/contact.py), for every spider. FOI_CRAWL_CONTACT, or
# `-s CONTACT=...`: the add-on remakes USER_AGENT from the CONTACT a crawl is given.
CONTACT = os.environ.get("FOI_CRAWL_CONTACT", "")
USER_AGENT = user_agent(CONTACT)
ADDONS = {"scrapers.contact.ContactInUserAgent": 0}

# Politeness: robots.txt (parsed by Protego, which understands the wildcards WDTK uses), one
# request at a time per site, a delay that AutoThrottle may only raise.
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 3.0
DOWNLOAD_DELAY_JITTER = 0.5       # each delay varies by ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 5.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# Items a response's output is processed with in parallel. Our one pipeline writes synchronously,
# so parallelism gains nothing, and Scrapy's default (100) starts 100 asyncio tasks for every
# response that yields anything: about a tenth of the crawl's CPU (docs/benchmarks.md).
CONCURRENT_ITEMS = 1
# Scrapy's check that a generator callback returns no value reads and parses the callback's source
# on every response (its cache holds bound methods weakly, so it never hits): a lint, not a
# crawl's job.
WARN_ON_GENERATOR_RETURN_VALUE = False

# No cookies: WDTK switches the whole session to Welsh through a locale cookie (spec §8.3).
COOKIES_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-GB,en",
}

# Retries with back-off: a 429 or 5xx doubles the site's delay (scrapers/middlewares.py).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 2.0      # seconds: the least delay after a retryable response
RETRY_BACKOFF_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
    # Before robots.txt (100), so not even the robots.txt of another host is fetched.
    "scrapers.offsite.SameSiteMiddleware": 50,
    # A blocked site's page from the Internet Archive (disclosure logs): before the retries'
    # waits (550) and the HTTP cache (900), so nothing is sent to the site.
    "scrapers.archive.ArchiveFallbackMiddleware": 540,
}
# Nothing is fetched off the crawled sites, redirects included, except from these real base URLs
# of hosts that serve a site's files (scrapers/offsite.py). WDTK serves its own attachments.
ATTACHMENT_HOSTS = []
# An answer larger than this is abandoned and recorded as an error (the largest FOI PDFs are
# tens of megabytes); redirects stop after REDIRECT_MAX_TIMES, so a redirect loop ends too.
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
# The attachment "wait" page (spec §8.1) refreshes itself; the spider retries the download
# itself, a bounded number of times, instead of following refreshes that can loop.
METAREFRESH_ENABLED = False
WDTK_WAIT_RETRIES = 5
# A request whose listing item is unchanged is skipped, but its JSON is checked again once its
# stored copy is this old: it catches changes a listing item cannot show.
WDTK_RECHECK_DAYS = 28
# A disclosure-log refresh stops reading a newest-first listing at a page of known entries, but
# reads every listing page to the end again once the last such full walk is this old: it catches
# an item published with an older date than the newest (scrapers/logstate.py).
LOG_FULL_WALK_DAYS = 28
# SOH logs are found by searching with several terms (spec §2.5). A refresh always runs the first,
# broadest term; the others again once their last complete search is this old, so refreshing twice
# in a week does not repeat a dozen searches per force (an item only the narrower terms find
# may then wait up to this long).
SOH_SEARCH_TERM_DAYS = 7

# Every item is checked against its declared shape (scrapers/items.py) before it is written.
ITEM_PIPELINES = {"scrapers.pipelines.ValidateItemPipeline": 200, "scrapers.pipelines.RawItemPipeline": 300}
EXTENSIONS = {"scrapers.contact.RequireContact": 100, "scrapers.report.CrawlReport": 500}
# The report's monitors: the crawl exits non-zero when more than this many errors occurred.
CRAWL_MAX_ERRORS = 10

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0

# Where the raw layer goes, and which site to crawl.
DATA_DIR = "data"
WDTK_BASE_URL = "https://www.whatdotheyknow.com"
# Optional JSON file {real base URL: mirror base URL} written by `python -m mirror serve
# --sites-file`; spiders then crawl the mirror exactly as they would crawl the real site.
SITE_URLS_FILE = ""

# The raw layer is the crawl state (unchanged requests and stored attachments are skipped), and
# it survives SIGKILL. The HTTP cache only serves conditional requests for pages a spider
# re-reads every time (WDTK listings): see scrapers/httpcache.py. HTTPCACHE_DIR is under DATA_DIR.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapers.httpcache.RevalidatePolicy"
HTTPCACHE_STORAGE = "scrapers.httpcache.SafeFilesystemCacheStorage"
HTTPCACHE_DIR = "httpcache"
FEED_EXPORT_ENCODING = "utf-8"
