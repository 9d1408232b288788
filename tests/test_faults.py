"""Issue 8's fault matrix: the wdtk spider crawls the mirror while one fault strikes one of the
Met's three requests, then the dataset is built. Each case shows that the crawl and the build
complete, that the fault was retried away or recorded in the crawl report with its URL and reason,
and that every other published row is exactly what a fault-free run publishes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mirror import Mirror, faults
from scrapers import rawstore
from transform.build import build

REPO = Path(__file__).resolve().parents[1]
SCRAPY = Path(sys.executable).parent / "scrapy"
WDTK = "https://www.whatdotheyknow.com"
FORCE = "metropolitan"
SLUG = "live_facial_recognition_deployme"   # the Met request each fault strikes
PAGE = rf"^/request/{SLUG}$"
JSON = rf"^/request/{SLUG}\.json"
ATTACHMENT = rf"^/request/{SLUG}/response/\d+/attach/"
LISTING = r"^/body/the_met\?"
TABLES = ["requests", "documents", "findings", "supplier_mentions", "exemptions"]


def crawl(mirror: Mirror, data_dir: Path, *settings: str) -> subprocess.CompletedProcess:
    mirror.write_sites_file(data_dir / "sites.json")
    command = [str(SCRAPY), "crawl", "wdtk", "-a", f"forces={FORCE}", "-s", f"DATA_DIR={data_dir}",
               "-s", f"SITE_URLS_FILE={data_dir / 'sites.json'}", *settings]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def report(data_dir: Path) -> dict:
    return json.loads(sorted((data_dir / "reports" / "wdtk").glob("*.json"))[-1].read_text())


def published(data_dir: Path) -> dict[str, dict[str, dict]]:
    """Each row-level table, keyed by its id column (build ids and timestamps are not in them)."""
    tables = {}
    for name in TABLES:
        rows = pq.read_table(data_dir / "parquet" / f"{name}.parquet").to_pylist()
        key = next(iter(rows[0])) if rows else None
        tables[name] = {row[key]: row for row in rows}
    return tables


def rows_of(tables, request_id, keep: bool) -> dict:
    """The rows of one request (keep=True) or of every other request (keep=False)."""
    return {name: {k: r for k, r in rows.items() if (r["request_id"] == request_id) == keep}
            for name, rows in tables.items()}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("clean")
    with Mirror(profile="small") as mirror:
        result = crawl(mirror, data_dir)
    assert result.returncode == 0 and report(data_dir)["complete"], result.stderr[-3000:]
    build(data_dir, progress=False)
    tables = published(data_dir)
    struck = [r for r in tables["requests"].values() if r["url"].endswith(SLUG)]
    assert len(struck) == 1 and len(tables["requests"]) == 3
    return {"data_dir": data_dir, "tables": tables, "request_id": struck[0]["request_id"]}


def faulted_run(clean, tmp_path, make_faults, *settings):
    # The fault-free run's text cache makes each build here take a fraction of a second.
    shutil.copytree(clean["data_dir"] / "cache", tmp_path / "cache")
    with Mirror(profile="small") as mirror:
        for fault in make_faults(mirror):
            mirror.add_fault(WDTK, fault)
        result = crawl(mirror, tmp_path, *settings)
        log = list(mirror.access_log)
    return result, report(tmp_path), log


def assert_rest_unchanged(clean, tmp_path):
    """The build completes and every row of the other requests is as in the fault-free run."""
    build(tmp_path, progress=False)
    tables = published(tmp_path)
    assert rows_of(tables, clean["request_id"], keep=False) == rows_of(clean["tables"], clean["request_id"], keep=False)
    return tables


def hits(log, pattern_path):
    return [e for e in log if e["path"].split("?")[0] == pattern_path]


# -- transient faults: retried with back-off, nothing recorded as missing -------------------------

RECOVERED = {
    "5xx burst": (lambda m: faults.server_errors(PAGE), ()),
    "429 with Retry-After": (lambda m: [faults.too_many_requests(JSON, retry_after=1)], ()),
    "connection reset": (lambda m: [faults.reset(ATTACHMENT)], ()),
    "slower than the timeout": (lambda m: [faults.slow(JSON, seconds=2)], ("-s", "DOWNLOAD_TIMEOUT=1")),
    "truncated body": (lambda m: [faults.truncated(ATTACHMENT)], ()),
}


@pytest.mark.parametrize("case", RECOVERED, ids=list(RECOVERED))
def test_transient_fault_is_retried_and_nothing_is_lost(clean, tmp_path, case):
    make_faults, settings = RECOVERED[case]
    result, crawl_report, log = faulted_run(clean, tmp_path, make_faults, *settings)
    assert result.returncode == 0, result.stderr[-3000:]
    assert crawl_report["complete"] and crawl_report["failed"] == []
    # A slow answer is logged by the mirror only once it is sent, after the crawl has moved on:
    # the retry count shows that one.
    struck = [i for i, e in enumerate(log) if e.get("fault")]
    assert struck or crawl_report["retries"], "the fault never struck"
    # Each struck request was asked again and answered (a reset is retried by the connection pool,
    # the others by the retry middleware). "Again" by arrival time: the log is in the order answers
    # were sent, and a slow answer is sent after its retry's.
    for i in struck:
        struck_at = _seconds(log[i]["time"])
        assert any(e["path"] == log[i]["path"] and e["status"] == 200 and not e.get("fault")
                   and _seconds(e["time"]) >= struck_at for e in log if e is not log[i])
    if case == "429 with Retry-After":
        refused, retried = hits(log, f"/request/{SLUG}.json")
        waited = _seconds(retried["time"]) - _seconds(refused["time"])
        assert waited >= 0.9, f"retried {waited:.2f} s after a 429 asking for 1 s"
    tables = assert_rest_unchanged(clean, tmp_path)
    assert rows_of(tables, clean["request_id"], keep=True) == rows_of(clean["tables"], clean["request_id"], keep=True)


def _seconds(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


# -- faults that outlast the retries or cannot be retried: recorded, the rest kept ---------------

RECORDED = {
    # case: (faults, extra settings, path the report names, words of the reason, the request's item is kept)
    "5xx without end": (lambda m: [faults.Fault(PAGE, "status", status=503, times=None)], (),
                        f"/request/{SLUG}", "HTTP 503", False),
    "malformed JSON": (lambda m: [faults.malformed_json(JSON)], (), f"/request/{SLUG}.json", "not JSON", False),
    "malformed HTML": (lambda m: [faults.malformed_html(PAGE)], (), f"/request/{SLUG}",
                       "without correspondence", False),
    "redirect loop": (lambda m: [faults.redirect(PAGE, f"/request/{SLUG}", times=None)], (),
                      f"/request/{SLUG}", "max redirections", False),
    "redirect to another site": (lambda m: [faults.redirect(ATTACHMENT, m.base_url("https://www.met.police.uk")
                                                            + "/file.pdf")], (), "/attach/", "off-site", True),
    "redirect to another host": (lambda m: [faults.redirect(ATTACHMENT, "https://www.example.com/file.pdf")], (),
                                 "/attach/", "off-site", True),
    "enormous response": (lambda m: [faults.enormous(ATTACHMENT, megabytes=3, content_type="application/pdf")],
                          ("-s", "DOWNLOAD_MAXSIZE=1000000"), "/attach/", "larger than download max size", True),
}


# How often the struck page is asked for: once plus RETRY_TIMES, once plus REDIRECT_MAX_TIMES.
ATTEMPTS = {"5xx without end": 1 + 3, "redirect loop": 1 + 10}


@pytest.mark.parametrize("case", RECORDED, ids=list(RECORDED))
def test_lasting_fault_is_recorded_with_url_and_reason_and_the_rest_is_kept(clean, tmp_path, case):
    make_faults, settings, path, reason, item_kept = RECORDED[case]
    result, crawl_report, log = faulted_run(clean, tmp_path, make_faults, *settings)
    # Not complete, but not failed: the crawl read what it could and says what it could not.
    assert result.returncode == 0, result.stderr[-3000:]
    assert crawl_report["ok"] and not crawl_report["complete"]
    assert [f for f in crawl_report["failed"] if path in f["url"] and reason in f["reason"]], crawl_report["failed"]
    assert len(crawl_report["failed"]) == 1
    if case in ATTEMPTS:  # no request is retried (or redirected) without bound
        assert len(hits(log, f"/request/{SLUG}")) == ATTEMPTS[case]
    assert all(e["site"] == log[0]["site"] for e in log), "something was fetched from another site"
    tables = assert_rest_unchanged(clean, tmp_path)
    mine = rows_of(tables, clean["request_id"], keep=True)
    if item_kept:
        # The request is published; its attachment is a row with the download error.
        broken = [d for d in mine["documents"].values() if d["kind"] == "attachment"]
        assert broken and all(d["sha256"] is None and d["extraction_error"] for d in broken)
    else:
        # No item: the next refresh fetches the request again (nothing half-read is published).
        assert all(rows == {} for rows in mine.values())


# -- faults that make the crawl fail: the exit code says so -------------------------------------

def test_robots_txt_forbidding_everything_fetches_nothing_and_fails_the_crawl(clean, tmp_path):
    result, crawl_report, log = faulted_run(clean, tmp_path, lambda m: [faults.robots_disallow_all()])
    assert [e["path"] for e in log] == ["/robots.txt"]
    assert result.returncode == 1 and not crawl_report["ok"]
    assert crawl_report["failed"][0]["reason"] == "IgnoreRequest: Forbidden by robots.txt"
    assert not list(rawstore.iter_items(tmp_path))


def test_malformed_listing_fails_the_crawl_instead_of_listing_nothing(clean, tmp_path):
    result, crawl_report, _ = faulted_run(clean, tmp_path, lambda m: [faults.malformed_html(LISTING)])
    assert result.returncode == 1
    assert crawl_report["failures"] == [f"{FORCE}: its listing could not be read"]
    assert crawl_report["failed"][0]["reason"] == "not a listing page"


# -- broken attachments: kept byte for byte, published as rows with their error ------------------

@pytest.mark.parametrize("kind", sorted(faults.BROKEN_ATTACHMENTS))
def test_broken_attachment_is_kept_and_published_as_an_error_row(clean, tmp_path, kind):
    fault = faults.broken_attachment(ATTACHMENT, kind)
    result, crawl_report, _ = faulted_run(clean, tmp_path, lambda m: [fault])
    assert result.returncode == 0 and crawl_report["complete"], result.stderr[-3000:]
    tables = assert_rest_unchanged(clean, tmp_path)
    mine = rows_of(tables, clean["request_id"], keep=True)
    [attachment] = [d for d in mine["documents"].values() if d["kind"] == "attachment"]
    assert attachment["extraction_error"] and not attachment["text"]
    assert rawstore.file_path(tmp_path, attachment["sha256"]).read_bytes() == fault.body
    # The request and its messages are still published.
    assert len(mine["requests"]) == 1 and any(d["kind"] != "attachment" and d["text"] for d in mine["documents"].values())


# -- the off-site rule, for each kind of spider ---------------------------------------------------

def test_off_site_rule_allows_each_spiders_own_sites_only(tmp_path):
    from types import SimpleNamespace

    from scrapers.offsite import allowed_origins
    from scrapers.sites import northumbria

    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps({WDTK: "http://127.0.0.1:8100", "https://beta.northumbria.police.uk": "http://127.0.0.1:8111",
                                 "https://web.archive.org": "http://127.0.0.1:8115"}))
    wdtk = SimpleNamespace(base="http://127.0.0.1:8100")
    assert allowed_origins(wdtk, [], str(sites)) == {"http://127.0.0.1:8100"}
    # A disclosure log: its own site, the other address the site answers on, and the archive.
    log = SimpleNamespace(targets={"northumbria": SimpleNamespace(base="http://127.0.0.1:8111")}, site=northumbria,
                          archive_fallback=True, archive_base="http://127.0.0.1:8115")
    assert allowed_origins(log, ["https://files.example.police.uk"], str(sites)) == {
        "http://127.0.0.1:8111", "http://127.0.0.1:8115"}  # a mirror crawl never reaches a real site
    live = SimpleNamespace(targets={"northumbria": SimpleNamespace(base="https://beta.northumbria.police.uk")},
                           site=northumbria, archive_fallback=False)
    assert allowed_origins(live, ["https://files.example.police.uk"], None) == {
        "https://beta.northumbria.police.uk", "https://www.northumbria.police.uk", "https://files.example.police.uk"}
