"""A refresh killed at any stage, or failing, loses nothing (issue 8).

Each test starts from a published site (the Met only), runs `python -m pipeline.refresh` for two
forces as a maintainer would, and SIGKILLs its whole process group while it is in the crawl, the
transform or the publish step. The site being served must still be the earlier one; a second
refresh must then publish exactly what one uninterrupted refresh publishes.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager, nullcontext
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mirror import Mirror, faults
from schema.tables import PUBLISHED_TABLES
from scrapers import rawstore
from tests.sitecheck import Site
from tests.test_contact import assert_refused_for_want_of_a_contact, run_without_contact, stand_in_proxy

REPO = Path(__file__).resolve().parents[1]
WDTK = "https://www.whatdotheyknow.com"
FORCES = "metropolitan,north-yorkshire"
# Tables that record builds rather than data: a rerun adds a build, and "changes" compares with
# the build before it, which differs between an interrupted and an uninterrupted history.
PER_BUILD = {"build_info", "changes"}
# The folder each step writes before swapping it in (transform/atomic.py).
STAGED = {"transform": "parquet.tmp-*", "publish": "site.tmp-*"}


def refresh_command(data_dir: Path, forces: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.refresh", "--data-dir", str(data_dir), "--sites-file",
            str(data_dir / "sites.json"), "--spiders", "wdtk", "--forces", forces]


def run_refresh(data_dir: Path, forces: str = FORCES) -> subprocess.CompletedProcess:
    return subprocess.run(refresh_command(data_dir, forces), cwd=REPO, capture_output=True, text=True, timeout=300)


def dataset(data_dir: Path) -> dict[str, list[tuple]]:
    """The published tables' rows, sorted, from the SQLite file the site serves."""
    connection = sqlite3.connect(f"file:{data_dir / 'site' / 'foi.db'}?mode=ro", uri=True)
    try:
        return {name: sorted(connection.execute(f"select * from [{name}]").fetchall(), key=repr)
                for name in PUBLISHED_TABLES if name not in PER_BUILD}
    finally:
        connection.close()


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def site_digest(data_dir: Path) -> dict[str, str]:
    return tree_digest(data_dir / "site")


@pytest.fixture(scope="module")
def mirror():
    with Mirror(profile="small") as m:
        yield m


@pytest.fixture(scope="module")
def clean(mirror, tmp_path_factory):
    """One uninterrupted refresh of both forces, from nothing."""
    data_dir = tmp_path_factory.mktemp("clean")
    mirror.write_sites_file(data_dir / "sites.json")
    result = run_refresh(data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    tables = dataset(data_dir)
    assert {row[2] for row in tables["requests"]} == set(FORCES.split(","))  # requests.force_id
    return tables


@pytest.fixture(scope="module")
def earlier(mirror, tmp_path_factory):
    """A data directory holding an earlier published refresh (the Met only)."""
    data_dir = tmp_path_factory.mktemp("earlier")
    mirror.write_sites_file(data_dir / "sites.json")
    result = run_refresh(data_dir, "metropolitan")
    assert result.returncode == 0, result.stderr[-3000:]
    return data_dir


def kill_during(data_dir: Path, stage: str, mirror) -> str:
    """Start a refresh and SIGKILL it (and every step it started) once it is inside ``stage``."""
    process = subprocess.Popen(refresh_command(data_dir, FORCES), cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    items_before = len(list(rawstore.iter_items(data_dir)))
    output = []
    for line in process.stdout:
        output.append(line)
        if line.startswith(f"==> {stage}"):
            break
    # Kill with work half done: once the crawl has written an item, or while transform or
    # publish is writing its staged output folder.
    if stage == "crawl":
        def started():
            return len(list(rawstore.iter_items(data_dir))) > items_before
    else:
        staged = STAGED[stage]

        def started():
            return any(data_dir.glob(staged))
    deadline = time.monotonic() + 60  # only how long a broken refresh is waited for
    while not started() and time.monotonic() < deadline:
        time.sleep(0.002)
    # In the crawl, request pages are then held 10 s each, so the rest of the crawl cannot finish
    # in the moment before the kill however fast the machine is.
    with fault_while(mirror, faults.slow(r"^/request/", seconds=10, times=None)) if stage == "crawl" \
            else nullcontext():
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    output.append(process.stdout.read())
    return "".join(output)


@pytest.mark.parametrize("stage", ["crawl", "transform", "publish"])
def test_refresh_killed_at_each_stage_then_rerun_equals_a_clean_run(earlier, clean, mirror, tmp_path, stage):
    data_dir = tmp_path / "data"
    shutil.copytree(earlier, data_dir)
    served = site_digest(data_dir)
    output = kill_during(data_dir, stage, mirror)
    assert not re.search(rf"^==> {stage}.* done in", output, re.M), "the step finished before it was killed"
    if stage in STAGED:
        assert list(data_dir.glob(STAGED[stage])), "killed before the step wrote anything"
    # The earlier site is still there, byte for byte, and still serves.
    assert site_digest(data_dir) == served
    assert Site(data_dir).rows("select count(*) as n from requests")[0]["n"] > 0
    # No half-written file in the raw layer: every stored file still matches its hash.
    for path in (data_dir / "raw" / "files").rglob("*"):
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path

    rerun = run_refresh(data_dir)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert dataset(data_dir) == clean
    assert not [p.name for pattern in STAGED.values() for p in data_dir.glob(pattern)], "a killed step's folder is left"
    ids = [(i["source"], i["source_id"]) for i in rawstore.iter_items(data_dir)]
    assert len(set(ids)) == len(rawstore.latest_items(data_dir))


def test_failed_refresh_leaves_the_served_site_unchanged(earlier, mirror, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(earlier, data_dir)
    served, rows = site_digest(data_dir), dataset(data_dir)
    with fault_while(mirror, faults.robots_disallow_all()):
        result = run_refresh(data_dir)
    assert result.returncode == 1 and "the previous site is still in place" in result.stderr
    assert site_digest(data_dir) == served and dataset(data_dir) == rows


def test_a_refresh_without_a_contact_exits_1_and_leaves_the_published_data(earlier, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(earlier, data_dir)
    before = tree_digest(data_dir)
    # A live refresh of a disclosure log, the kind of spider that used to crawl nothing, report
    # success and let the refresh publish again (issue 13).
    with stand_in_proxy() as proxy:
        result = run_without_contact([sys.executable, "-m", "pipeline.refresh", "--data-dir", str(data_dir),
                                      "--spiders", "psni"], proxy)
        assert_refused_for_want_of_a_contact(result, proxy)
    assert "refresh stopped: crawl psni failed" in result.stderr
    # Nothing written anywhere: site, tables, raw layer, crawl reports.
    assert tree_digest(data_dir) == before


def test_incomplete_refresh_publishes_and_says_so_in_its_exit_code(earlier, mirror, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(earlier, data_dir)
    # The Met's requests are unchanged since the earlier refresh; North Yorkshire's cannot be read.
    with fault_while(mirror, faults.Fault(r"^/request/[^/]+\.json", "status", status=500, times=None)):
        result = run_refresh(data_dir)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "could not be fetched" in result.stderr and ".json: HTTP 500" in result.stderr
    site = Site(data_dir)
    assert len(site.rows("select * from build_info")) == 2, "the refresh did not publish"
    assert {r["force_id"] for r in site.rows("select distinct force_id from requests")} == {"metropolitan"}


@contextmanager
def fault_while(mirror, fault):
    server = next(s for s in mirror.servers if s.site.real_base_url == WDTK)
    server.add_fault(fault)
    try:
        yield
    finally:
        server.faults.remove(fault)


def test_a_site_blocking_the_crawler_makes_the_refresh_incomplete(mirror, tmp_path):
    # The mirror's Hampshire disclosure log answers with a challenge page (tests/test_logs_blocked.py).
    mirror.write_sites_file(tmp_path / "sites.json")
    command = refresh_command(tmp_path, "hampshire")
    command[command.index("wdtk")] = "soh"
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "hampshire: the site blocked the crawler" in result.stderr
    assert (tmp_path / "site" / "foi.db").exists()
