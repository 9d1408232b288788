"""scrapers.check_live, run against the mirror (never against the internet in tests)."""

from __future__ import annotations

import io

from scrapy.utils.project import get_project_settings

from mirror import Mirror
from scrapers import check_live
from scrapers.sites import wdtk


def run_check(mirror) -> tuple[bool, str]:
    out = io.StringIO()
    ok = check_live.check(mirror.base_url(wdtk.BASE_URL), "the_met", "facial recognition", 3,
                          get_project_settings(), out=out)
    return ok, out.getvalue()


def test_every_selector_finds_its_field_on_the_mirror():
    with Mirror(profile="small") as mirror:
        ok, report = run_check(mirror)
        paths = [entry["path"] for entry in mirror.access_log]
    assert ok, report
    for name in wdtk.SELECTORS:
        assert f"\n{name} " in report
    assert "all selectors found their fields" in report
    assert paths[0] == "/robots.txt" and paths[1].startswith("/body/the_met?query=")
    assert len(paths) <= 1 + 1 + 3 * 2 + 1  # robots, listing, 3 x (JSON + page), one attachment


def test_a_selector_that_no_longer_matches_is_reported(monkeypatch):
    monkeypatch.setitem(wdtk.SELECTORS, "title", "div.request-header h1.renamed")
    with Mirror(profile="small") as mirror:
        ok, report = run_check(mirror)
    assert not ok
    assert "title" in report and "<-- NOT FOUND" in report and "PROBLEM: selector title" in report
