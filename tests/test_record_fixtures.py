"""make record-fixtures (scrapers/record_fixtures.py), run against the mirror: a real URL's page
is fetched politely, saved with its headers and the parser's output as its golden file, which
the golden tests' own parser reproduces; robots.txt and existing fixtures are respected."""

import io
import json
import urllib.request

import pytest
from scrapy.utils.project import get_project_settings

from mirror import Mirror
from scrapers.record_fixtures import RecordError, fixture_for, read_urls, record
from scrapers.saved_pages import parse_saved_page
from scrapers.sites import wdtk

MET_SOH_ITEM = ("https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/february-2024/"
                "live-facial-recognition-deployments/")


def test_pages_are_saved_with_headers_and_a_golden_file_the_tests_reproduce(tmp_path):
    out, sites = tmp_path / "fixtures", tmp_path / "sites.json"
    with Mirror(profile="small") as mirror:
        mirror.write_sites_file(sites)
        listing = urllib.request.urlopen(mirror.base_url(wdtk.BASE_URL) + "/body/the_met?query=facial+recognition").read()
        request_url = f"{wdtk.BASE_URL}/request/{wdtk.parse_listing(listing)['items'][0]['url_title']}"
        urls = tmp_path / "urls.txt"
        urls.write_text(f"# pages to keep\n{request_url}\n{MET_SOH_ITEM} soh_met_lfr_recorded\n"
                        f"{wdtk.BASE_URL}/body/the_met?query=x\n{wdtk.BASE_URL}/request/a-title/feed\n", encoding="utf-8")
        report = io.StringIO()
        failed = record(read_urls(urls), str(sites), out, get_project_settings(), out=report)
        paths = [entry["path"] for entry in mirror.access_log]
    # The request's feed is disallowed by robots.txt: refused before any request for it, said why.
    assert failed == 1 and "a-title/feed: robots.txt disallows it" in report.getvalue()
    assert "/robots.txt" in paths and not any(path.endswith("/feed") for path in paths)
    saved = sorted(p.name for p in out.rglob("*.html"))
    assert saved == ["body_listing_the_met.html", f"request_{request_url.rsplit('/', 1)[-1].replace('-', '_')}.html",
                     "soh_met_lfr_recorded.html"]
    for page in out.rglob("*.html"):
        headers = json.loads(page.with_suffix(".headers.json").read_text())
        assert headers["status"] == 200 and headers["url"].startswith("https://")
        assert json.loads(page.with_suffix(".expected.json").read_text()) == parse_saved_page(page)
    request_page = json.loads(next(out.glob("wdtk/request_*.expected.json")).read_text())
    assert request_page["title"]


def test_an_existing_fixture_is_never_overwritten(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "soh_kept.html").write_text("reviewed")
    report = io.StringIO()
    failed = record([(MET_SOH_ITEM, "soh_kept")], None, tmp_path, get_project_settings(), out=report)
    assert failed == 1 and "exists already" in report.getvalue()
    assert (folder / "soh_kept.html").read_text() == "reviewed"


def test_a_page_of_an_unknown_family_is_refused_with_its_url():
    assert fixture_for(f"{wdtk.BASE_URL}/request/some-title") == ("wdtk", "request_some_title")
    assert fixture_for("https://foi.west-midlands.police.uk/facial-recognition-1_18/") == ("logs", "wmp_facial_recognition_1_18")
    with pytest.raises(RecordError, match="example.org"):
        fixture_for("https://example.org/page")
