"""Check the WDTK selectors and URL rules against the live site (a maintainer's tool; needs
network; never run in CI).

    FOI_CRAWL_CONTACT=you@example.org python -m scrapers.check_live [--force metropolitan]
        [--query "facial recognition"] [--requests 3] [--sites-file sites.json]

It fetches a handful of pages politely (robots.txt obeyed, the project's user agent, the
configured delay between requests): one body listing, then the JSON and HTML of the first few
requests listed, then one attachment. It prints, for each selector in scrapers/sites/wdtk.py,
on how many of the sampled pages it found something; it also checks that the JSON still has
the keys the spider reads and that attachment links still follow the display_filename rule.
Exit status 1 when a selector every page should match found nothing, a key is missing or a rule
no longer holds: fix scrapers/sites/wdtk.py, the one module holding them. With --sites-file it
checks a mirror instead (that is how the tests run it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import unquote, urlsplit

from parsel import Selector
from protego import Protego
from scrapy.utils.project import get_project_settings

from reference.registry import forces_by_id
from scrapers.contact import ContactMissing, missing_contact
from scrapers.siteurls import crawl_base, is_loopback
from scrapers.sites import wdtk


class PoliteClient:
    """Sequential GETs with the crawl's user agent and headers, a delay between requests and
    robots.txt checked before each one; none at all to a real site without a contact address."""

    def __init__(self, base: str, settings):
        problem = missing_contact(settings, [base])
        if problem:
            raise ContactMissing(problem)
        self.base = base
        self.headers = {**settings.getdict("DEFAULT_REQUEST_HEADERS"), "User-Agent": settings.get("USER_AGENT")}
        self.delay = 0.0 if is_loopback(base) else max(settings.getfloat("DOWNLOAD_DELAY"), 2.0)
        self.last = 0.0
        self.robots = Protego.parse(self._fetch(f"{base}/robots.txt")[1].decode("utf-8", "replace"))

    def get(self, url: str) -> tuple[int, bytes, str]:
        if not self.robots.can_fetch(url, self.headers["User-Agent"]):
            raise PermissionError(f"robots.txt disallows {url}")
        return self._fetch(url)

    def _fetch(self, url: str) -> tuple[int, bytes, str]:
        time.sleep(max(0.0, self.last + self.delay - time.monotonic()))
        request = urllib.request.Request(url, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                result = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            result = error.code, error.read(), error.headers.get("Content-Type", "")
        self.last = time.monotonic()
        return result


def scoped(page: Selector, name: str):
    """What selector `name` finds where the parsers apply it: inside its scope's matches."""
    scope = wdtk.SELECTOR_SCOPE.get(name)
    return (scoped(page, scope) if scope else page).css(wdtk.SELECTORS[name])


def check(base: str, url_name: str, query: str, n_requests: int, settings, out=sys.stdout) -> bool:
    client = PoliteClient(base, settings)
    found = {name: 0 for name in wdtk.SELECTORS}
    sampled = {"listing": 0, "request": 0}
    problems = []

    def look(kind: str, body: bytes):
        sampled[kind] += 1
        page = Selector(text=body.decode("utf-8", "replace"))
        for name in wdtk.SELECTORS:
            if (name in wdtk.LISTING_SELECTORS) == (kind == "listing") and scoped(page, name):
                found[name] += 1

    for rule_url in (f"{base}/search/x/requests", f"{base}/feed/body/{url_name}"):
        if client.robots.can_fetch(rule_url, client.headers["User-Agent"]):
            problems.append(f"robots.txt now allows {rule_url}: the spider still never goes there")
    status, body, _ = client.get(wdtk.listing_url(base, url_name, query))
    if status != 200:
        problems.append(f"listing /body/{url_name} answered HTTP {status}")
        body = b""
    listing = wdtk.parse_listing(body)
    look("listing", body)
    print(f"listing /body/{url_name} {query!r}: {len(listing['items'])} requests, "
          f"next page {listing['next_page']!r}", file=out)

    attachment_url = None
    for entry in listing["items"][:n_requests]:
        status, body, _ = client.get(wdtk.request_json_url(base, entry["url_title"]))
        data = json.loads(body) if status == 200 else {}
        missing = [key for key in wdtk.JSON_KEYS if key not in data]
        if missing:
            problems.append(f"{entry['url_title']}.json (HTTP {status}) lacks {missing}")
        status, body, _ = client.get(wdtk.request_html_url(base, entry["url_title"]))
        look("request", body)
        page = wdtk.parse_request_page(body, base)
        listed = [a for m in page["messages"] for a in m["attachments"] if a["url"]]
        for attachment in listed:
            # The URL rule of spec §1.2: the link's filename is display_filename(name).
            in_url = unquote(urlsplit(attachment["url"]).path.rsplit("/", 1)[-1])
            if in_url != wdtk.display_filename(attachment["name"] or ""):
                problems.append(f"attachment {attachment['attachment_id']}: URL filename {in_url!r} is not "
                                f"display_filename({attachment['name']!r})")
        urls = [a["url"] for a in listed]
        attachment_url = attachment_url or (urls[0] if urls else None)
        print(f"request {entry['url_title']}: status {page['calculated_status']}, "
              f"{len(page['messages'])} messages, {len(urls)} attachment links", file=out)
    if attachment_url:
        status, body, content_type = client.get(attachment_url)
        print(f"attachment {attachment_url}: HTTP {status}, {content_type}, {len(body)} bytes", file=out)
        if status != 200:
            problems.append(f"attachment download answered HTTP {status}")

    print(f"\n{'selector':<22}{'pages':>6}  css", file=out)
    for name, css in wdtk.SELECTORS.items():
        kind = "listing" if name in wdtk.LISTING_SELECTORS else "request"
        mark = f"{found[name]}/{sampled[kind]}"
        note = "" if found[name] else ("  (optional: not on these pages)" if name in wdtk.OPTIONAL_SELECTORS
                                       else "  <-- NOT FOUND")
        print(f"{name:<22}{mark:>6}  {css}{note}", file=out)
        if not found[name] and name not in wdtk.OPTIONAL_SELECTORS and sampled[kind]:
            problems.append(f"selector {name} ({css}) found nothing")
    if not sampled["request"]:
        problems.append("no request page was sampled (empty listing?): choose another force or query")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=out)
    print("all selectors found their fields" if not problems else f"{len(problems)} problem(s)", file=out)
    return not problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.check_live", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", default="metropolitan", help="force_id from the registry")
    parser.add_argument("--query", default="facial recognition")
    parser.add_argument("--requests", type=int, default=3, help="how many listed requests to sample")
    parser.add_argument("--sites-file", default="", help="check a mirror instead (python -m mirror serve)")
    args = parser.parse_args(argv)
    settings = get_project_settings()
    base = crawl_base(settings.get("WDTK_BASE_URL"), args.sites_file or settings.get("SITE_URLS_FILE"))
    url_name = forces_by_id()[args.force].wdtk_url_name
    try:
        return 0 if check(base, url_name, args.query, args.requests, settings) else 1
    except ContactMissing as refused:
        print(refused, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
