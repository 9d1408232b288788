"""Check the disclosure-log rules (scrapers/sites/<family>.py) against the live sites: a
maintainer's tool, needs network, never run in CI.

    FOI_CRAWL_CONTACT=you@example.org python -m scrapers.check_logs [--family soh] [--force metropolitan]
        [--items 2] [--sites-file sites.json]

For each family (all by default; SOH with one force) it fetches, politely and in order, the
first listing page (SOH: the lister searched for "facial recognition"), then a few of the items
it links. It prints what the family's rules found: result or entry links, sub-listings, the next
page, and for each item its title, reference, dates, request and response lengths and
attachments. Exit status 1 when a rule found nothing where every page should have something (no
item links, an item whose request or response was not found, a site that blocks us): the fix
goes in that family's module. With --sites-file it checks a mirror instead (as the tests do).
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from scrapy.utils.project import get_project_settings

from reference.registry import forces_by_id
from scrapers import logpage
from scrapers.check_live import PoliteClient
from scrapers.contact import ContactMissing
from scrapers.logspider import lists_newest_first, read_log_item, site_base
from scrapers.siteurls import crawl_base
from scrapers.sites import avon_and_somerset, northumbria, police_scotland, psni, soh, wmp

LISTING_FAMILIES = {module.__name__.rsplit(".", 1)[-1]: module
                    for module in (wmp, northumbria, avon_and_somerset, psni, police_scotland)}
FAMILIES = ["soh", *LISTING_FAMILIES]


class Check:
    def __init__(self, family: str, real_base: str, sites_file: str, settings, out):
        self.family, self.real_base, self.out = family, real_base, out
        self.base = crawl_base(real_base, sites_file or None)
        self.client = PoliteClient(self.base, settings)
        self.problems: list[str] = []

    def get(self, real_url: str) -> bytes | None:
        """The page at ``real_url`` (fetched from the mirror when there is one), or None."""
        status, body, _ = self.client.get(self.base + real_url[len(self.real_base):])
        reason = logpage.blocked_reason(status, body)
        if reason or status != 200:
            self.problems.append(f"{real_url}: {reason or f'HTTP {status}'}")
            return None
        return body

    def item(self, url: str, page: dict) -> None:
        print(f"  item {url}\n    title {page['title']!r}, reference {page['reference']!r}, received "
              f"{page['received']}, responded {page['responded']} ({page.get('responded_precision') or 'day'}), "
              f"request {len(page['request_text'])} chars, response {len(page['response_text'])} chars, split "
              f"{page['request_split']}, {len(page['attachments'])} attachments", file=self.out)
        if page["request_split"] == "unknown":
            self.problems.append(f"{url}: no boundary between the request and the response (split unknown: the "
                                 f"whole text is kept as the response); if the page has headings, add them to the "
                                 f"family's RULES")
        elif not page["response_text"].strip():
            self.problems.append(f"{url}: no response found (its headings are not in RULES?)")
        if not page["reference"]:
            self.problems.append(f"{url}: no reference found")

    def report(self) -> bool:
        for problem in self.problems:
            print(f"PROBLEM ({self.family}): {problem}", file=self.out)
        return not self.problems


def check_soh(force, sites_file, settings, n_items, out) -> bool:
    real_base = site_base(force.disclosure_log_url) if "/foi-ai/" in force.disclosure_log_url \
        else site_base(force.website)
    check = Check("soh", real_base, sites_file, settings, out)
    lister = soh.lister_url(real_base, "facial recognition")
    body = check.get(lister)
    if body is not None:
        results = soh.result_links(body, lister, urlsplit(real_base).hostname, force.soh_slug or None)
        print(f"soh {force.force_id}: lister {lister}: {len(results)} result links, next page "
              f"{logpage.next_page(body, lister)!r}", file=out)
        if not results:
            check.problems.append(f"{lister}: no result links under /foi-ai/{force.soh_slug or '<slug>'}/")
        for path in results[:n_items]:
            url = real_base + path
            page_body = check.get(url)
            if page_body is None:
                continue
            page = soh.read_item_page(page_body, url, urlsplit(real_base).hostname)
            check.item(url, page)
    return check.report()


def check_listing(family, module, sites_file, settings, n_items, out) -> bool:
    force = forces_by_id()[module.FORCE_ID]
    real_base = site_base(force.disclosure_log_url)
    check = Check(family, real_base, sites_file, settings, out)
    url = force.disclosure_log_url
    body = check.get(url)
    entries, sub = [], []
    for _ in range(5):  # an index of categories or years: look inside them until items are listed
        if body is None:
            break
        sub = sub or getattr(module, "sub_listings", lambda body, url: [])(body, url)
        entries = logpage.listing_entries(body, url, module.ITEM_PATH)
        print(f"{family}: {url}: {len(entries)} entries ({sum(logpage.is_candidate(t) for _u, t in entries)} "
              f"candidates), {len(sub)} sub-listings, next page {logpage.next_page(body, url)!r}", file=out)
        if entries or not sub:
            break
        url = sub.pop(0)
        body = check.get(url)
    if body is not None and not entries:
        check.problems.append(f"{url}: no links match ITEM_PATH {module.ITEM_PATH.pattern}")
    if entries and lists_newest_first(module) and not logpage.newest_first([t for _u, t in entries]):
        # Not wrong data, but refreshes lose their stop at known entries (docs/disclosure-logs.md).
        check.problems.append(f"{url}: entries not dated newest first, as NEWEST_FIRST says: a refresh reads "
                              "every listing page; fix the order rule or set NEWEST_FIRST = False")
    for item_url, _text in entries[:n_items]:
        page_body = check.get(item_url)
        if page_body is not None:
            check.item(item_url, read_log_item(module, page_body, item_url))
    return check.report()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.check_logs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", choices=["all", *FAMILIES], default="all")
    parser.add_argument("--force", default="metropolitan", help="the SOH force to check (force_id)")
    parser.add_argument("--items", type=int, default=2, help="how many items to sample per family")
    parser.add_argument("--sites-file", default="", help="check a mirror instead (python -m mirror serve)")
    args = parser.parse_args(argv)
    settings = get_project_settings()
    sites_file = args.sites_file or settings.get("SITE_URLS_FILE")
    ok = True
    try:
        for family in FAMILIES if args.family == "all" else [args.family]:
            if family == "soh":
                ok &= check_soh(forces_by_id()[args.force], sites_file, settings, args.items, sys.stdout)
            else:
                ok &= check_listing(family, LISTING_FAMILIES[family], sites_file, settings, args.items, sys.stdout)
    except ContactMissing as refused:  # a site not on the mirror, and no contact: nothing was sent to it
        print(refused, file=sys.stderr)
        return 2
    print("all disclosure-log rules found their fields" if ok else "problems found: see PROBLEM lines")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
