"""The `wdtk` spider against the corrections of spec §10 (issue 16), over HTTP against the mirror:
a renamed body's redirect drops the search (§10.2), body pages print no count (§10.1), a 403 is a
hidden request or a blocked source (§10.3), quoted sections are folded (§10.4)."""

from __future__ import annotations

import re
import urllib.request
from datetime import date
from urllib.parse import urlencode
from types import SimpleNamespace

import pytest
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from mirror import Fault, Mirror, faults
from pipeline.refresh import main as refresh_main
from reference import technologies
from scrapers.sites import wdtk
from scrapers.spiders.wdtk import WdtkSpider
from tests.test_spider_wdtk import DYFED_RENAME, REAL, crawl, expected_requests, last_report, latest, paths

FOLDED_TITLE = "Facial recognition in Dyfed-Powys"  # mirror/content/wdtk/requests/dyfed_powys.yaml
UNRELATED_TITLE = "Fixed penalty notices for mobile phone use while driving in Powys"


def request_named(mirror, title):
    return next(r for r in mirror.wdtk.content.requests if r.title == title)


@pytest.fixture(scope="module")
def dyfed(tmp_path_factory):
    """One crawl of the renamed force: registry name dyfed_powys_police, site name heddlu_dyfed_powys."""
    data_dir = tmp_path_factory.mktemp("dyfed")
    with Mirror(profile="small") as mirror:
        result = crawl(mirror, data_dir, "-a", "forces=dyfed-powys")
        yield {"mirror": mirror, "data_dir": data_dir, "result": result, "log": paths(mirror)}


# -- §10.2 a renamed body ---------------------------------------------------------------------

def test_a_renamed_body_is_asked_again_with_the_search_and_named_in_the_report(dyfed):
    assert dyfed["result"].returncode == 0, dyfed["result"].stderr[-3000:]
    log = dyfed["log"]
    # the old name's 302 leads to the unfiltered page: the spider asks again, with its query, instead
    for query in technologies.search_terms("wdtk"):
        old, new = (f"/body/{name}?{urlencode({'query': query})}" for name in ("dyfed_powys_police", "heddlu_dyfed_powys"))
        assert old in log and new in log and log.index(old) < log.index(new)
    assert dyfed["mirror"].access_log[1]["status"] == 302
    report = last_report(dyfed["data_dir"])
    assert report["renamed_bodies"] == [DYFED_RENAME]
    assert "dyfed_powys_police -> heddlu_dyfed_powys (update reference/forces.csv)" in dyfed["result"].stderr
    items = latest(dyfed["data_dir"])
    folded = request_named(dyfed["mirror"], FOLDED_TITLE)
    assert sorted(items) == sorted(str(i) for i in expected_requests(dyfed["mirror"], {"dyfed-powys"})) == [str(folded.id)]
    assert items[str(folded.id)]["body_url_name"] == "heddlu_dyfed_powys"


def test_the_unfiltered_page_of_a_renamed_body_is_never_read_as_results(dyfed):
    assert "/body/heddlu_dyfed_powys" not in dyfed["log"]  # not even fetched
    unrelated = request_named(dyfed["mirror"], UNRELATED_TITLE)
    assert str(unrelated.id) not in latest(dyfed["data_dir"])
    assert not [p for p in dyfed["log"] if p.startswith(f"/request/{unrelated.url_title}")]


@pytest.mark.parametrize("page, after, before", [(3, None, None), (1, date(2008, 1, 1), date(2016, 12, 31))])
def test_a_rename_met_on_any_listing_keeps_its_page_and_dates(tmp_path, page, after, before):
    """The spider asks again with everything the redirect dropped: query, page and dates."""
    spider = WdtkSpider(forces="dyfed-powys")
    spider.base = REAL
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    spider.crawler = SimpleNamespace(stats=stats)
    old = wdtk.listing_url(REAL, "dyfed_powys_police", "facial recognition", page, after, before)
    redirect = Response(old, status=302, headers={"Location": "/body/heddlu_dyfed_powys"}, body=b"")
    asked = list(spider.parse_listing(redirect, "dyfed-powys", "dyfed_powys_police", "facial recognition",
                                      page, after, before, split=after is not None))
    assert [r.url for r in asked] == [wdtk.listing_url(REAL, "heddlu_dyfed_powys", "facial recognition",
                                                       page, after, before)]
    assert stats.get_value("renamed_bodies") == [DYFED_RENAME]


# -- §10.1 no result count on body pages --------------------------------------------------------

def test_body_pages_print_no_count_of_their_results():
    """Splitting past the 20-page cap is decided on page 20 (test_spider_wdtk's full-mirror test)."""
    with Mirror(profile="small") as mirror:
        base = mirror.base_url(REAL)
        html = urllib.request.urlopen(f"{base}/body/the_met?query=facial+recognition").read().decode()
        assert "authority__body__foi-results" in html
        assert not re.search(r"requests? found", html, re.I)


# -- §10.3 a 403 is hidden or blocked -----------------------------------------------------------

def test_a_403_with_an_empty_body_is_a_hidden_request_skipped_and_counted(tmp_path):
    with Mirror(profile="small") as mirror:
        expected = expected_requests(mirror, {"metropolitan"})
        # hidden since it was listed: its JSON answers 403 with an empty body, as the site's does
        mirror.add_fault(REAL, Fault(r"^/request/[^/]+\.json", "status", status=403, times=1))
        result = crawl(mirror, tmp_path, "-a", "forces=metropolitan")
        assert result.returncode == 0, result.stderr[-3000:]
        report = last_report(tmp_path)
        assert report["requests_hidden"] == 1 and report["errors"] == 0
        assert report["blocked_forces"] == [] and report["complete"]
        assert len(latest(tmp_path)) == len(expected) - 1


def test_a_hidden_attachment_page_marks_the_attachment_hidden_not_failed(tmp_path):
    with Mirror(profile="small") as mirror:
        mirror.add_fault(REAL, faults.body(r"/attach/", b"<h1>Attachment hidden</h1><p>This attachment has been hidden.</p>",
                                           "text/html; charset=utf-8", times=1, status=403))
        result = crawl(mirror, tmp_path, "-a", "forces=metropolitan")
        assert result.returncode == 0, result.stderr[-3000:]
        report = last_report(tmp_path)
        assert report["errors"] == 0 and report["blocked_forces"] == []
        attachments = [a for item in latest(tmp_path).values() for m in item["messages"] for a in m["attachments"]]
        assert len([a for a in attachments if a["url"] and a["hidden"] and not a["sha256"]]) == 1


@pytest.mark.parametrize("what, pattern", [
    ("listing", r"^/body/"),
    ("request JSON", r"^/request/[^/]+\.json"),
    ("request page", r"^/request/[a-z0-9_]+(\?|$)"),
    ("attachment", r"/attach/"),
])
def test_a_challenge_is_a_blocked_source_reported_and_refresh_exits_2(tmp_path, what, pattern):
    with Mirror(profile="small") as mirror:
        expected = expected_requests(mirror, {"metropolitan", "kent"})
        mirror.add_fault(REAL, faults.challenge(pattern, times=1))
        sites = tmp_path / "sites.json"
        mirror.write_sites_file(sites)
        refresh = ["--data-dir", str(tmp_path), "--sites-file", str(sites), "--steps", "crawl",
                   "--spiders", "wdtk", "--forces", "metropolitan,kent"]
        assert refresh_main(refresh) == 2, what
        report = last_report(tmp_path)
        assert report["blocked_forces"] == ["metropolitan", "kent"] and report["ok"] and not report["complete"]
        assert report["requests_hidden"] == 0 and report["errors"] == 0
        # what was not read has no item, or stays a failed attachment: never skipped silently, and
        # fetched by the next refresh, which the site no longer blocks
        items = latest(tmp_path)
        failed = [a for item in items.values() for m in item["messages"] for a in m["attachments"]
                  if a["url"] and not a["sha256"]]
        assert len(expected) - len(items) + len(failed) >= 1
        assert all("HTTP 403" in a["error"] for a in failed)
        assert refresh_main(refresh) == 0
        assert sorted(latest(tmp_path)) == sorted(str(i) for i in expected)


# -- §10.4 folded quoted sections ---------------------------------------------------------------

def test_a_reply_with_folded_quoted_sections_is_read_from_the_unfolded_page(dyfed):
    folded = request_named(dyfed["mirror"], FOLDED_TITLE)
    item = latest(dyfed["data_dir"])[str(folded.id)]
    reply = next(m for m in item["messages"] if m["direction"] == "incoming")
    assert "RESPONSE: The live facial recognition software is NEC NeoFace Live." in reply["text"]
    # one extra request, for the request with an unfold link only
    assert [p for p in dyfed["log"] if "unfold=1" in p] == [f"/request/{folded.url_title}?unfold=1"]
    assert item["url"] == f"{REAL}/request/{folded.url_title}"  # the canonical URL, without unfold


def test_the_unfolded_page_is_reused_on_the_next_refresh(tmp_path):
    with Mirror(profile="small") as mirror:
        assert crawl(mirror, tmp_path, "-a", "forces=dyfed-powys").returncode == 0
        mirror.access_log.clear()
        # JSON read again (recheck age 0), unchanged: the stored unfolded page is parsed again
        result = crawl(mirror, tmp_path, "-a", "forces=dyfed-powys", "-s", "WDTK_RECHECK_DAYS=0")
        assert result.returncode == 0, result.stderr[-3000:]
        assert not [p for p in paths(mirror) if p.startswith("/request/") and not p.endswith(".json")]
        item = latest(tmp_path)[str(request_named(mirror, FOLDED_TITLE).id)]
        assert "NEC NeoFace Live" in " ".join(m["text"] for m in item["messages"])
