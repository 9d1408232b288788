"""Issue 8's fault matrix, for the wdtk spider, the SOH spider and a bespoke log spider (West
Midlands, issue 16.8): the spider crawls the mirror while one fault strikes one request's page or
file (or the listing, or robots.txt), then the dataset is built. Each case shows that the crawl and
the build complete, that the fault was retried away or recorded in the crawl report with its URL
and reason, and that every other published row is exactly what a fault-free run publishes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

import pyarrow.parquet as pq
import pytest

from mirror import Mirror, faults
from mirror.sites import soh, wmp
from scrapers import rawstore
from transform.build import build

REPO = Path(__file__).resolve().parents[1]
SCRAPY = Path(sys.executable).parent / "scrapy"
WDTK = "https://www.whatdotheyknow.com"
TABLES = ["requests", "documents", "findings", "supplier_mentions", "exemptions"]


@dataclass
class Target:
    """One spider's crawl of one force, and the request each fault strikes."""

    spider: str
    force: str
    real_base: str  # the site the faults are added to
    mirror: Callable[[], Mirror]
    page: str  # the struck request's page (a path, matched exactly)
    data: str  # its page's data: wdtk's JSON, a log's page itself
    attachment: str  # a regex for its files
    listing: str  # a regex for the force's first listing page
    other_site: str  # another site the mirror serves, which the spider must not reach
    files: str  # what the URLs of its files hold

    @property
    def page_pattern(self) -> str:
        return f"^{self.page}$"


SLUG = "live_facial_recognition_deployme"   # the Met request each fault strikes on WDTK
MET_LOG = "/foi-ai/metropolitan-police/disclosure-2024/february-2024/live-facial-recognition-deployments/"
TARGETS = {
    "wdtk": Target("wdtk", "metropolitan", WDTK, lambda: Mirror(profile="small"), f"/request/{SLUG}",
                   rf"^/request/{SLUG}\.json", rf"^/request/{SLUG}/response/\d+/attach/", r"^/body/the_met\?",
                   "https://www.met.police.uk", "/attach/"),
    "soh": Target("soh", "metropolitan", "https://www.met.police.uk",
                  lambda: Mirror(sites=[s for s in soh.build() if s.spec["force_id"] in ("metropolitan", "cleveland")]),
                  MET_LOG, f"^{MET_LOG}$", r"^/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/",
                  r"^/foi-ai/af/accessing-information/published-items/\?q=facial\+recognition$",
                  "https://www.cleveland.police.uk", "/SysSiteAssets/"),
    "wmp": Target("wmp", "west-midlands", "https://foi.west-midlands.police.uk",
                  lambda: Mirror(sites=[wmp.build(), *[s for s in soh.build() if s.spec["force_id"] == "cleveland"]]),
                  "/facial-recognition-13457_18/", r"^/facial-recognition-13457_18/$",
                  r"^/wp-content/uploads/.*/13457_18_ATTACHMENT_01", r"^/$", "https://www.cleveland.police.uk",
                  "/wp-content/uploads/"),
}


def crawl(target: Target, mirror: Mirror, data_dir: Path, *settings: str) -> subprocess.CompletedProcess:
    mirror.write_sites_file(data_dir / "sites.json")
    forces = ("-a", f"forces={target.force}") if target.spider in ("wdtk", "soh") else ()
    command = [str(SCRAPY), "crawl", target.spider, *forces, "-s", f"DATA_DIR={data_dir}",
               "-s", f"SITE_URLS_FILE={data_dir / 'sites.json'}", *settings]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def report(target: Target, data_dir: Path) -> dict:
    return json.loads(sorted((data_dir / "reports" / target.spider).glob("*.json"))[-1].read_text())


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


@pytest.fixture(scope="module", params=list(TARGETS))
def clean(request, tmp_path_factory):
    target = TARGETS[request.param]
    data_dir = tmp_path_factory.mktemp(f"clean-{target.spider}")
    with target.mirror() as mirror:
        result = crawl(target, mirror, data_dir)
    assert result.returncode == 0 and report(target, data_dir)["complete"], result.stderr[-3000:]
    build(data_dir, progress=False)
    tables = published(data_dir)
    struck = [r for r in tables["requests"].values() if r["url"].endswith(target.page.rstrip("/"))
              or r["url"].endswith(target.page)]
    assert len(struck) == 1 and len(tables["requests"]) >= 3
    return {"target": target, "data_dir": data_dir, "tables": tables, "request_id": struck[0]["request_id"]}


def faulted_run(clean, tmp_path, make_faults, *settings):
    target = clean["target"]
    # The fault-free run's text cache makes each build here take a fraction of a second.
    shutil.copytree(clean["data_dir"] / "cache", tmp_path / "cache")
    with target.mirror() as mirror:
        for fault in make_faults(target, mirror):
            mirror.add_fault(target.real_base, fault)
        result = crawl(target, mirror, tmp_path, *settings)
        log = list(mirror.access_log)
    return result, report(target, tmp_path), log


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
    "5xx burst": (lambda t, m: faults.server_errors(t.page_pattern), ()),
    "429 with Retry-After": (lambda t, m: [faults.too_many_requests(t.data, retry_after=1)], ()),
    "connection reset": (lambda t, m: [faults.reset(t.attachment)], ()),
    "slower than the timeout": (lambda t, m: [faults.slow(t.data, seconds=2)], ("-s", "DOWNLOAD_TIMEOUT=1")),
    "truncated body": (lambda t, m: [faults.truncated(t.attachment)], ()),
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
        data_path = f"/request/{SLUG}.json" if clean["target"].spider == "wdtk" else clean["target"].page
        refused, retried = hits(log, data_path)
        waited = _seconds(retried["time"]) - _seconds(refused["time"])
        assert waited >= 0.9, f"retried {waited:.2f} s after a 429 asking for 1 s"
    tables = assert_rest_unchanged(clean, tmp_path)
    assert rows_of(tables, clean["request_id"], keep=True) == rows_of(clean["tables"], clean["request_id"], keep=True)


def _seconds(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


# -- faults that outlast the retries or cannot be retried: recorded, the rest kept ---------------

RECORDED = {
    # case: (faults, extra settings, path the report names, words of the reason, the request's
    # item is kept, the spiders it applies to: None for all)
    "5xx without end": (lambda t, m: [faults.Fault(t.page_pattern, "status", status=503, times=None)], (),
                        lambda t: t.page, "HTTP 503", False, None),
    "malformed JSON": (lambda t, m: [faults.malformed_json(t.data)], (), lambda t: f"{t.page}.json", "not JSON",
                       False, {"wdtk"}),
    "malformed HTML": (lambda t, m: [faults.malformed_html(t.page_pattern)], (), lambda t: t.page,
                       "without correspondence", False, {"wdtk"}),
    "redirect loop": (lambda t, m: [faults.redirect(t.page_pattern, t.page, times=None)], (),
                      lambda t: t.page, "max redirections", False, None),
    "redirect to another site": (lambda t, m: [faults.redirect(t.attachment, m.base_url(t.other_site) + "/file.pdf")],
                                 (), lambda t: t.files, "off-site", True, None),
    "redirect to another host": (lambda t, m: [faults.redirect(t.attachment, "https://www.example.com/file.pdf")], (),
                                 lambda t: t.files, "off-site", True, None),
    "enormous response": (lambda t, m: [faults.enormous(t.attachment, megabytes=3, content_type="application/pdf")],
                          ("-s", "DOWNLOAD_MAXSIZE=1000000"), lambda t: t.files, "larger than download max size",
                          True, None),
}


# How often the struck page is asked for: once plus RETRY_TIMES, once plus REDIRECT_MAX_TIMES.
ATTEMPTS = {"5xx without end": 1 + 3, "redirect loop": 1 + 10}


@pytest.mark.parametrize("case", RECORDED, ids=list(RECORDED))
def test_lasting_fault_is_recorded_with_url_and_reason_and_the_rest_is_kept(clean, tmp_path, case):
    make_faults, settings, path_of, reason, item_kept, spiders = RECORDED[case]
    target = clean["target"]
    if spiders and target.spider not in spiders:
        pytest.skip(f"{case} is a fault of {', '.join(sorted(spiders))} pages only")
    path = path_of(target)
    result, crawl_report, log = faulted_run(clean, tmp_path, make_faults, *settings)
    # Not complete, but not failed: the crawl read what it could and says what it could not.
    assert result.returncode == 0, result.stderr[-3000:]
    assert crawl_report["ok"] and not crawl_report["complete"]
    assert [f for f in crawl_report["failed"] if path in f["url"] and reason in f["reason"]], crawl_report["failed"]
    assert len(crawl_report["failed"]) == 1
    if case in ATTEMPTS:  # no request is retried (or redirected) without bound
        assert len(hits(log, target.page)) == ATTEMPTS[case]
    assert all(e["site"] == log[0]["site"] for e in log), "something was fetched from another site"
    tables = assert_rest_unchanged(clean, tmp_path)
    mine = rows_of(tables, clean["request_id"], keep=True)
    if item_kept:
        # The request is published; its attachment is a row with the download error.
        broken = [d for d in mine["documents"].values() if d["kind"] == "attachment" and d["sha256"] is None]
        assert broken and all(d["extraction_error"] for d in broken)
    else:
        # No item: the next refresh fetches the request again (nothing half-read is published).
        assert all(rows == {} for rows in mine.values())


# -- faults that make the crawl fail: the exit code says so -------------------------------------

def test_robots_txt_forbidding_everything_fetches_nothing_and_fails_the_crawl(clean, tmp_path):
    result, crawl_report, log = faulted_run(clean, tmp_path, lambda t, m: [faults.robots_disallow_all()])
    assert [e["path"] for e in log] == ["/robots.txt"]
    assert result.returncode == 1 and not crawl_report["ok"]
    assert crawl_report["failed"][0]["reason"] == "IgnoreRequest: Forbidden by robots.txt"
    assert not list(rawstore.iter_items(tmp_path))


def test_malformed_listing_fails_the_crawl_instead_of_listing_nothing(clean, tmp_path):
    target = clean["target"]
    result, crawl_report, _ = faulted_run(clean, tmp_path, lambda t, m: [faults.malformed_html(t.listing)])
    assert result.returncode == 1
    assert crawl_report["failures"] == [f"{target.force}: its listing could not be read"]
    assert crawl_report["failed"][0]["reason"] == "not a listing page"


# -- broken attachments: kept byte for byte, published as rows with their error ------------------

@pytest.mark.parametrize("kind", sorted(faults.BROKEN_ATTACHMENTS))
def test_broken_attachment_is_kept_and_published_as_an_error_row(clean, tmp_path, kind):
    fault = faults.broken_attachment(clean["target"].attachment, kind)
    result, crawl_report, _ = faulted_run(clean, tmp_path, lambda t, m: [fault])
    assert result.returncode == 0 and crawl_report["complete"], result.stderr[-3000:]
    tables = assert_rest_unchanged(clean, tmp_path)
    mine = rows_of(tables, clean["request_id"], keep=True)
    [attachment] = [d for d in mine["documents"].values() if d["kind"] == "attachment" and d["extraction_error"]]
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
