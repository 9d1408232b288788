"""URL rules of scrapers/sites/wdtk.py (spec §1.2, §7.1, §8.4) and the crawl report's monitors."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from scrapers.report import build_report, format_report
from scrapers.siteurls import crawl_base, is_loopback
from scrapers.sites import wdtk
from scrapers.spiders.wdtk import _split_range

B = "https://www.whatdotheyknow.com"


@pytest.mark.parametrize("url, expected", [
    ("/request/foo#incoming-1", f"{B}/request/foo"),
    ("/cy/request/foo?locale=cy", f"{B}/request/foo"),
    ("/en/body/the_met?page=1&query=facial+recognition", f"{B}/body/the_met?query=facial%20recognition"),
    ("/body/the_met?query=x&page=2", f"{B}/body/the_met?query=x&page=2"),
    ("/request/foo?utm_campaign=a&utm_content=b&utm_medium=link&utm_source=whatdotheyknow", f"{B}/request/foo"),
    ("/request/foo/response/1/attach/2/A%20B.pdf?cookie_passthrough=1", f"{B}/request/foo/response/1/attach/2/A%20B.pdf"),
    ("/request/foo?nocache=incoming-5&unfold=1&cachebust=9", f"{B}/request/foo"),
    (f"{B}/cymru", f"{B}/cymru"),  # only a whole /cy/ segment is a locale prefix
])
def test_canonical_url_strips_noise(url, expected):
    assert wdtk.canonical_url(url) == expected


@pytest.mark.parametrize("url, allowed", [
    (f"{B}/body/the_met?query=facial+recognition&page=3", True),
    (f"{B}/request/foo.json", True),
    (f"{B}/request/foo/response/1/attach/2/a.pdf", True),
    (f"{B}/request/foo/response/1/attach/html/2/a.pdf.html", True),
    # A file named like a route is still a file (robots.txt's attachment Allow wins).
    *[(f"{B}/request/foo/response/1/attach/2/{name}", True) for name in ("new", "feed", "track", "report", "search")],
    (f"{B}/request/foo/response/1/attach/html/2/feed.html", True),
    (f"{B}/request/foo/track", False),
    (f"{B}/search/facial%20recognition/requests", False),
    (f"{B}/feed/body/the_met", False),
    (f"{B}/request/foo/feed", False),
    (f"{B}/request/foo/similar", False),
    (f"{B}/outgoing_messages/1/delivery_status", False),
])
def test_only_robots_allowed_routes(url, allowed):
    assert wdtk.is_allowed_route(url) is allowed


def test_spider_refuses_a_forbidden_route():
    from scrapers.spiders.wdtk import WdtkSpider
    spider = WdtkSpider(forces="metropolitan")
    with pytest.raises(ValueError, match="robots.txt forbids"):
        spider._request(f"{B}/search/x/requests", spider.parse_listing, None)


@pytest.mark.parametrize("name, expected", [
    ("FOI 2023/0456 (Response).pdf", "FOI 2023 0456 Response.pdf"),
    ("Annex A - LFR deployments .xlsx", "Annex A LFR deployments.xlsx"),
    ("reply%20letter.docx", "reply letter.docx"),
])
def test_display_filename(name, expected):
    assert wdtk.display_filename(name) == expected


def test_listing_url_with_date_split():
    url = wdtk.listing_url(B, "the_met", "facial recognition", 3, date(2019, 1, 1), date(2019, 12, 31))
    assert url == (f"{B}/body/the_met?query=facial+recognition&request_date_after=01%2F01%2F2019"
                   "&request_date_before=31%2F12%2F2019&page=3")
    assert wdtk.listing_url(B, "kent_police", "x") == f"{B}/body/kent_police?query=x"


def test_date_ranges_split_into_halves_that_cover_the_range():
    halves = _split_range(date(2019, 1, 1), date(2019, 12, 31))
    assert halves == [(date(2019, 1, 1), date(2019, 7, 2)), (date(2019, 7, 3), date(2019, 12, 31))]
    assert _split_range(date(2019, 1, 1), date(2019, 1, 2)) == [(date(2019, 1, 1),) * 2, (date(2019, 1, 2),) * 2]
    assert _split_range(date(2019, 1, 1), date(2019, 1, 1)) is None


def test_mirror_mapping(tmp_path):
    sites = tmp_path / "sites.json"
    sites.write_text('{"https://www.whatdotheyknow.com": "http://127.0.0.1:8100"}')
    assert crawl_base(B, str(sites)) == "http://127.0.0.1:8100"
    assert crawl_base(B, "") == B
    assert is_loopback("http://127.0.0.1:8100") and is_loopback("http://localhost:1")
    assert not is_loopback(B)
    assert wdtk.rebase(f"{B}/request/x?a=1", B, "http://127.0.0.1:8100") == "http://127.0.0.1:8100/request/x?a=1"


def test_report_has_no_site_reported_count_and_names_renamed_bodies():
    """WDTK's body pages print no count of their results (spec §10.1): the report has no figure
    "reported by the site" and no check built on one. A rename is named with both url_names."""
    started = datetime.now(timezone.utc)
    stats = {"force/kent/listed": 0, "force/essex/listed": 2, "force/essex/items": 2,
             "renamed_bodies": [{"force_id": "essex", "old": "essex_police", "new": "essex_constabulary"}]}
    report = build_report(stats, ["kent", "essex"], started, "finished", max_errors=10)
    assert report["ok"] and report["requests_written"] == 2
    assert all("reported" not in row for row in report["forces"].values())
    assert report["renamed_bodies"] == stats["renamed_bodies"]
    assert "renamed on the site: essex essex_police -> essex_constabulary" in format_report(report)


def test_listing_past_the_cap_is_read_from_page_20_itself():
    full = {"items": [{}] * wdtk.PAGE_SIZE, "next_page": None}
    linked = {"items": [{}] * 3, "next_page": "/body/x?page=21&query=q"}
    last = {"items": [{}] * 3, "next_page": None}
    assert wdtk.passes_page_cap(20, linked) and wdtk.passes_page_cap(20, full)
    assert not wdtk.passes_page_cap(20, last) and not wdtk.passes_page_cap(19, linked)


def test_a_403_is_hidden_only_when_alaveteli_says_so():
    from mirror.sites.logpages import CHALLENGE_PAGE
    assert wdtk.forbidden_reason(403, b"") is None
    assert wdtk.forbidden_reason(403, b"<h1>Request has been removed</h1>") is None
    assert wdtk.forbidden_reason(403, b"<p>This attachment has been hidden.</p>") is None
    challenge = CHALLENGE_PAGE.format(host="www.whatdotheyknow.com").encode()
    assert "challenge" in wdtk.forbidden_reason(403, challenge)
    assert wdtk.forbidden_reason(403, b"<h1>Access denied</h1>") == "HTTP 403 Forbidden"


def test_a_body_redirect_names_the_new_url_name():
    assert wdtk.renamed_body(f"{B}/body/new_name", "old_name") == "new_name"
    assert wdtk.renamed_body(f"{B}/body/old_name?query=x", "old_name") is None


def test_report_fails_on_too_many_errors_and_on_failed_listings():
    started = datetime.now(timezone.utc)
    report = build_report({"errors": 11, "force/kent/listing_failed": 1}, ["kent"], started, "finished", 10)
    assert report["failures"] == ["kent: its listing could not be read",
                                  "11 errors (more than CRAWL_MAX_ERRORS=10)"]
