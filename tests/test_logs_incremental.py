"""Refreshes of the disclosure-log spiders over HTTP against the mirror: a second crawl with
nothing changed asks each site for robots.txt and its first listing pages only, and writes
nothing new; a new item is fetched with its attachment and nothing old is; a crawl cut short
(killed, or with a failed page) is resumed by the next one; a listing that sends a validator is
asked for conditionally; a site blocking the second crawl is still reported."""

import json
from collections import Counter

import pytest

from mirror import Fault, Mirror
from mirror.sites import archive, logpages, northumbria, psni, soh, wmp
from scrapers import rawstore
from scrapers.sites.soh import SEARCH_TERMS
from tests.logcrawl import crawl, items

PSNI = "https://www.psni.police.uk"
NORTHUMBRIA_LOG = "/about-us/publications-and-documents/accessing-information/disclosure-log/"
LISTER = "/foi-ai/af/accessing-information/published-items/?q="


def paths(mirror, start, site=None):
    return [e["path"] for e in mirror.access_log[start:] if site is None or e["site"] == site]


def crawl_ok(mirror, data_dir, spider, *args):
    result = crawl(mirror, data_dir, spider, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def run_files(data_dir, spider):
    return sorted((data_dir / "raw" / "items" / spider).glob("*.jsonl"))


def psni_site(**spec_changes):
    [(_path, spec)] = logpages.load("psni", "site.yaml")
    return logpages.LogSite({**spec, **spec_changes})


NEW_PSNI_ITEM = {
    "path": "/foi-disclosure-log/live-facial-recognition-vans", "title": "Live Facial Recognition Vans",
    "date": "2025-06-02", "summary": "Request Number FOI/00016001 - live facial recognition vans.",
    "body": "June 2, 2025 | Policies\n\nRequest Number: FOI/00016001\n\n## Request and Answer\n\n"
            "Request 1\nHas PSNI borrowed a live facial recognition van?\n\nAnswer 1\nPSNI has not borrowed one.",
    "attachments": [{"path": "/sites/default/files/2025-06/FOI-00016001.pdf", "label": "FOI-00016001",
                     "title": "FOI/00016001", "text": "PSNI has not borrowed a live facial recognition van."}],
}


# spider, sites, crawl options, the second crawl's requests per site (robots + first listings)
NO_CHANGE = [
    ("wmp", wmp.build, [], {"wmp": ["/robots.txt", "/"]}),
    ("psni", psni.build, [], {"psni": ["/robots.txt", "/foi-disclosure-log"]}),
    ("northumbria", northumbria.build, [],
     {"northumbria": ["/robots.txt", NORTHUMBRIA_LOG] + [f"{NORTHUMBRIA_LOG}{category}/" for category in
                                                          ("crime-statistics", "information-technology",
                                                           "operational-policing", "other")]}),
    # SOH is searched (spec §2.5), in relevance order, so no early stop: the broadest term is
    # searched on every crawl, the narrower ones once SOH_SEARCH_TERM_DAYS have passed.
    ("soh", soh.build, ["-a", "forces=cleveland,essex", "-a", "archive=no"],
     {site: ["/robots.txt", LISTER + SEARCH_TERMS[0].replace(" ", "+")] for site in ("soh_cleveland", "soh_essex")}),
]


@pytest.mark.parametrize("spider, build, options, expected", NO_CHANGE, ids=[case[0] for case in NO_CHANGE])
def test_a_second_crawl_with_nothing_changed_reads_only_first_listings(tmp_path, spider, build, options, expected):
    built = build()
    with Mirror(sites=built if isinstance(built, list) else [built]) as mirror:
        crawl_ok(mirror, tmp_path, spider, *options)
        first = len(mirror.access_log)
        stored = rawstore.latest_items(tmp_path)
        crawl_ok(mirror, tmp_path, spider, *options)
        second = {site: sorted(paths(mirror, first, site)) for site in expected}
        assert len(mirror.access_log) - first == sum(len(v) for v in expected.values()), paths(mirror, first)
    assert second == {site: sorted(wanted) for site, wanted in expected.items()}
    assert stored and rawstore.latest_items(tmp_path) == stored
    [_, latest] = run_files(tmp_path, spider)
    assert list(rawstore.read_run(latest)) == []  # nothing new to write
    [report] = sorted((tmp_path / "reports" / spider).glob("*.json"))[-1:]
    report = json.loads(report.read_text())
    assert report["ok"] and report["errors"] == 0


def test_soh_narrower_search_terms_are_searched_again_once_their_last_search_is_old(tmp_path):
    with Mirror(sites=soh.build()) as mirror:
        crawl_ok(mirror, tmp_path, "soh", "-a", "forces=cleveland", "-a", "archive=no")
        start = len(mirror.access_log)
        crawl_ok(mirror, tmp_path, "soh", "-a", "forces=cleveland", "-a", "archive=no",
                 "-s", "SOH_SEARCH_TERM_DAYS=0")
        searched = [p for p in paths(mirror, start, "soh_cleveland") if p.startswith(LISTER)]
    assert sorted(searched) == sorted(LISTER + term.replace(" ", "+") for term in SEARCH_TERMS)


def test_a_new_item_is_fetched_with_its_attachment_and_nothing_old(tmp_path):
    site = psni_site()
    with Mirror(sites=[site]) as mirror:
        crawl_ok(mirror, tmp_path, "psni")
        site.add_item(NEW_PSNI_ITEM)
        start = len(mirror.access_log)
        crawl_ok(mirror, tmp_path, "psni")
        fetched = paths(mirror, start)
    # The new item tops page 1, so page 2 is read too; it shows only known items: stop there.
    assert sorted(fetched) == sorted(["/robots.txt", "/foi-disclosure-log", "/foi-disclosure-log?page=2",
                                      NEW_PSNI_ITEM["path"], NEW_PSNI_ITEM["attachments"][0]["path"]])
    [_, latest] = run_files(tmp_path, "psni")
    [new] = list(rawstore.read_run(latest))
    assert new["url"] == PSNI + NEW_PSNI_ITEM["path"] and new["reference"] == "FOI/00016001"
    [attachment] = new["messages"][1]["attachments"]
    assert attachment["sha256"] and attachment["filename"] == "FOI-00016001.pdf"


def test_a_killed_crawl_is_resumed_without_fetching_what_it_stored(tmp_path):
    with Mirror(sites=[wmp.build()]) as mirror:
        crawl_ok(mirror, tmp_path, "wmp")
        # As if killed after writing its first item: no crawl state saved, one item in the layer.
        [run] = run_files(tmp_path, "wmp")
        first, *others = run.read_bytes().splitlines(keepends=True)
        run.write_bytes(first)
        (tmp_path / "crawlstate" / "wmp.json").unlink()
        kept = json.loads(first)
        start = len(mirror.access_log)
        crawl_ok(mirror, tmp_path, "wmp")
        fetched = paths(mirror, start)
    urls = {item["url"] for item in items(tmp_path)}
    assert {json.loads(line)["url"] for line in others} <= urls
    assert kept["source_id"] not in fetched  # stored whole: not fetched again
    assert all(json.loads(line)["source_id"] in fetched for line in others)
    assert "/2019/page/2/" in fetched  # no crawl finished since: every listing is read again


def test_a_page_that_failed_is_fetched_by_the_next_crawl(tmp_path):
    item = "/foi-disclosure-log/facial-recognition-technology"
    with Mirror(sites=[psni_site()]) as mirror:
        fault = mirror.add_fault(PSNI, Fault(rf"^{item}$", "status", status=500, times=None))
        result = crawl(mirror, tmp_path, "psni")
        assert result.returncode == 0 and items(tmp_path) == []
        fault.times = 0
        start = len(mirror.access_log)
        crawl_ok(mirror, tmp_path, "psni")
        fetched = paths(mirror, start)
    # The failed crawl was incomplete: the listing is read to the end again, and only the
    # item that failed (and its file) is fetched.
    assert "/foi-disclosure-log?page=2" in fetched and item in fetched
    assert Counter(p for p in fetched if p.startswith("/foi-disclosure-log/")) == {item: 1}
    assert [i["url"] for i in items(tmp_path)] == [PSNI + item]


def test_a_listing_with_a_validator_is_asked_for_conditionally(tmp_path):
    with Mirror(sites=[psni_site(validators=True)]) as mirror:
        crawl_ok(mirror, tmp_path, "psni")
        start = len(mirror.access_log)
        crawl_ok(mirror, tmp_path, "psni")
        second = mirror.access_log[start:]
    assert [e["path"] for e in second] == ["/robots.txt", "/foi-disclosure-log"]
    listing = second[1]
    assert listing["status"] == 304 and "If-None-Match" in listing["request_headers"]


def test_a_site_blocking_the_second_crawl_is_still_reported(tmp_path):
    with Mirror(sites=[psni_site()]) as mirror:
        crawl_ok(mirror, tmp_path, "psni")
        mirror.add_fault(PSNI, Fault(r"^/foi-disclosure-log", "status", status=429, times=None,
                                     headers=[("Retry-After", "0")]))
        crawl_ok(mirror, tmp_path, "psni")
    [_, latest] = run_files(tmp_path, "psni")
    [blocked] = [i for i in rawstore.read_run(latest) if i["item_type"] == "source_blocked"]
    assert (blocked["force_id"], blocked["status"]) == ("northern-ireland", 429)
    state = json.loads((tmp_path / "crawlstate" / "psni.json").read_text())
    assert state["forces"]["northern-ireland"]["complete"] is False  # the next crawl reads it all


def test_archive_captures_read_before_are_not_fetched_again(tmp_path):
    with Mirror(sites=soh.build() + [archive.build()]) as mirror:
        crawl_ok(mirror, tmp_path, "soh", "-a", "forces=hampshire")
        first = paths(mirror, 0, "archive")
        start = len(mirror.access_log)
        crawl_ok(mirror, tmp_path, "soh", "-a", "forces=hampshire")
        second = paths(mirror, start, "archive")
    assert any(p.startswith("/web/") for p in first)
    # Still asked whether there is a newer capture of each search (a blocked site's crawl is never
    # complete, so every term is searched), but no capture is read again.
    assert sorted(second) == sorted(["/robots.txt"] + [p for p in first if p.startswith("/cdx/") and "published-items" in p])
    assert [i["force_id"] for i in items(tmp_path, "source_blocked")] == ["hampshire", "hampshire"]
