"""Blocked sources: a site answering 429 (after the polite retries) or 403 with a JavaScript
challenge is reported once per force (raw `source_blocked` item and crawl report), is not asked
again in a loop, and does not stop the other sources."""

import json

from mirror import Fault, Mirror, faults
from mirror.sites import archive, psni, soh, wmp
from tests.logcrawl import crawl, items

PSNI = "https://www.psni.police.uk"


def report(data_dir, spider):
    [path] = (data_dir / "reports" / spider).glob("*.json")
    return json.loads(path.read_text())


def test_429_is_reported_and_other_sources_still_crawl(tmp_path):
    with Mirror(sites=[psni.build(), wmp.build()]) as mirror:
        mirror.add_fault(PSNI, Fault(r"^/foi-disclosure-log", "status", status=429, times=None,
                                     headers=[("Retry-After", "0")]))
        psni_run = crawl(mirror, tmp_path / "psni", "psni")
        wmp_run = crawl(mirror, tmp_path / "wmp", "wmp")
        psni_paths = [e["path"] for e in mirror.access_log if e["site"] == "psni"]
    assert psni_run.returncode == 0, psni_run.stderr[-3000:]
    [blocked] = items(tmp_path / "psni", "source_blocked")
    assert (blocked["source"], blocked["force_id"], blocked["status"]) == ("psni", "northern-ireland", 429)
    assert blocked["url"] == PSNI + "/foi-disclosure-log"
    assert items(tmp_path / "psni") == []
    # robots.txt, then the log index and the retry middleware's three retries with back-off: no more
    assert psni_paths.count("/foi-disclosure-log") == 4 and len(psni_paths) == 5
    crawl_report = report(tmp_path / "psni", "psni")
    assert crawl_report["ok"] and crawl_report["blocked_forces"] == ["northern-ireland"]
    assert crawl_report["forces"]["northern-ireland"]["blocked"] == 1
    # the other source is not affected
    assert wmp_run.returncode == 0 and len(items(tmp_path / "wmp")) == 3


def test_a_challenge_without_the_archive_fallback_loses_only_that_force(tmp_path):
    with Mirror(sites=soh.build()) as mirror:
        result = crawl(mirror, tmp_path, "soh", "-a", "forces=hampshire,essex", "-a", "archive=no")
    assert result.returncode == 0, result.stderr[-3000:]
    [blocked] = items(tmp_path, "source_blocked")
    assert (blocked["force_id"], blocked["status"], blocked["archive_fallback"]) == ("hampshire", 403, False)
    assert [i["force_id"] for i in items(tmp_path)] == ["essex"]
    assert report(tmp_path, "soh")["blocked_forces"] == ["hampshire"]


ARCHIVE = "https://web.archive.org"


def test_the_archive_failing_or_without_a_copy_loses_only_those_pages(tmp_path):
    """The archive fallback (scrapers/archive.py): the archive answering 503 (past the retries, to
    the first search's lookup) is an error of the crawl naming the CDX address; no capture of a
    page is not an error, only a page not read. Either way the force is reported blocked and
    nothing more is sent to its site."""
    hampshire = []
    for name, fault in (("failing", Fault(r"^/cdx", "status", status=503, times=4)),
                        ("no-copy", faults.body(r"^/cdx", b"[]", "application/json", times=None))):
        with Mirror(sites=soh.build() + [archive.build()]) as mirror:
            mirror.add_fault(ARCHIVE, fault)
            result = crawl(mirror, tmp_path / name, "soh", "-a", "forces=hampshire")
            assert result.returncode == 0, result.stderr[-3000:]
            hampshire.append([e["path"] for e in mirror.access_log if "hampshire" in e["site"]])
    failed = report(tmp_path / "failing", "soh")
    assert failed["blocked_forces"] == ["hampshire"] and failed["errors"] == 1
    [failure] = failed["failed"]
    assert failure["reason"] == "Internet Archive: HTTP 503" and "/cdx/search/cdx?url=" in failure["url"]
    without = report(tmp_path / "no-copy", "soh")
    assert without["blocked_forces"] == ["hampshire"] and without["errors"] == 0 and not without["complete"]
    assert items(tmp_path / "no-copy") == []
    for data_dir in ("failing", "no-copy"):
        assert [b["force_id"] for b in items(tmp_path / data_dir, "source_blocked")] == ["hampshire"]
    # each crawl: robots.txt and the first search page, which is challenged; nothing after it
    assert [len(paths) for paths in hampshire] == [2, 2], hampshire
