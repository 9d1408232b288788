"""The Single Online Home ("foi-ai") spider: one class for every force whose registry row has
platform = soh.

    scrapy crawl soh [-a forces=metropolitan,cleveland] [-a query="extra term"] [-a archive=no]
                     [-s DATA_DIR=data/demo -s SITE_URLS_FILE=sites.json]

For each force: search the published-items lister for the FR terms (scrapers/sites/soh.py), the
first and broadest on every crawl, each narrower one (and any -a query term) only once its last
complete search is SOH_SEARCH_TERM_DAYS old, unless the force's last crawl was incomplete or its
last full walk is LOG_FULL_WALK_DAYS old (then every term; docs/disclosure-logs.md, "Refreshes").
Follow "next" pages and every result link under /foi-ai/<force-slug>/, read each item, keep it
only if its text is about facial recognition, download its /SysSiteAssets/ attachments and write
one `request` item. Blocked sites and the archive fallback: scrapers/logspider.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapers import logpage, logstate
from scrapers.logspider import DisclosureLogSpider, site_base
from scrapers.sites import soh


class SohSpider(DisclosureLogSpider):
    name = "soh"
    source = "soh"

    def force_sites(self, forces):
        sites = []
        for force in forces:
            if force.platform != "soh" or not force.website:
                continue
            # The log URL, when it is on the force's foi-ai site, names the host to use.
            log = force.disclosure_log_url
            base = site_base(log) if "/foi-ai/" in log else site_base(force.website)
            sites.append((force, base))
        return sites

    def start_pages(self, target):
        # One search term after another, so a site that starts blocking us gets no more requests.
        terms = list(dict.fromkeys(soh.SEARCH_TERMS + self.query_terms))
        if self.state.incremental(target.force_id):
            days = self.settings.getfloat("SOH_SEARCH_TERM_DAYS")
            terms = terms[:1] + [t for t in terms[1:] if not self.state.searched_since(target.force_id, t, days)]
        yield from self._search(target, terms)

    def _search(self, target, terms, url=None):
        yield from self.fetch(target, url or soh.lister_url(target.real_base, terms[0]), self.parse_lister,
                              on_fail="_search_failed", revalidate=True, terms=terms)

    def parse_lister(self, response, terms):
        if not self.is_listing(response):
            return
        target = self.target_of(response)
        page_url = self.real_url(response)
        self.crawler.stats.inc_value("soh/lister_pages")
        host = urlsplit(target.real_base).hostname
        results = soh.result_entries(response.body, page_url, host, target.force.soh_slug or None)
        self.logger.info("%s: %r: %d results on %s", target.force_id, terms[0], len(results), page_url)
        for path, shown in results.items():
            yield from self.listed(target, target.real_base + path, logstate.signature(shown))
        following = logpage.next_page(response.body, page_url)
        if following and logpage.same_site(following, host):
            yield from self._search(target, terms, logpage.on_base(following, target.real_base))
            return
        self.state.searched(target.force_id, terms[0])
        if terms[1:]:
            yield from self._search(target, terms[1:])

    def _search_failed(self, target, kwargs, reason):
        if kwargs["terms"][1:]:
            yield from self._search(target, kwargs["terms"][1:])

    def parse_item(self, response, listing_signature=None):
        target = self.target_of(response)
        url = self.real_url(response)
        host = urlsplit(target.real_base).hostname
        path = urlsplit(url).path
        page = soh.read_item_page(response.body, url, host)
        if not logpage.is_about_a_tracked_technology(page["title"], page["request_text"], page["response_text"]):
            self.not_about_fr(target, response.meta["real_url"], listing_signature)
            return
        reference = page["reference"]
        attachments = [self.attachment(logpage.on_base(href, target.real_base), text) for href, text in page["attachments"]]
        item = self.new_item(
            response, source_id=path, title=page["title"], reference=reference, received=page["received"],
            responded=page["responded"], responded_precision=page["responded_precision"],
            request_text=page["request_text"], response_text=page["response_text"], attachments=attachments,
            request_split=page["request_split"], soh_slug=path.split("/")[2])
        yield from self.finish_with_attachments(target, item)
