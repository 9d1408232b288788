"""Crawl benchmarks against the scaled mirror (profile scale-<n>), politeness delays off.

crawl:   our wdtk spider, HTTP requests per second, against a minimal Scrapy spider fetching the
         same URLs (those our spider fetched, from the mirror's access log) in the same run.
refresh: the whole refresh (every spider, transform, publish) twice with nothing changed in
         between; the second run's HTTP requests and wall time as a fraction of the first's.

Benchmark mode only: the delays, AutoThrottle and one-request-per-site rule of
scrapers/settings.py are switched off on the command line here and nowhere else.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mirror import Mirror

from .common import PY, ROOT, machine, median, run

# The same concurrency for both spiders; no delays. The mirror serves on loopback.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS": "8",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "RETRY_BACKOFF_BASE": "0", "LOG_LEVEL": "WARNING"}
QUERY = "facial recognition"


def settings_args(settings: dict) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def crawl(n: int, work: Path, repeats: int = 1) -> dict:
    """Our spider and the minimal one, alternately, ``repeats`` times each; medians."""
    ours, baseline, http = [], [], []
    with Mirror(profile=f"scale-{n}") as mirror:
        sites = work / "sites.json"
        mirror.write_sites_file(sites)
        for attempt in range(repeats):
            data = work / f"crawl-{attempt}"
            shutil.rmtree(data, ignore_errors=True)
            start = len(mirror.access_log)
            result = run([PY, "-m", "scrapy", "crawl", "wdtk", "-s", f"DATA_DIR={data}", "-s", f"SITE_URLS_FILE={sites}",
                          "-a", f"query={QUERY}", *settings_args(FAST)], log=work / "crawl.log")
            fetched = mirror.access_log[start:]
            base = mirror.base_url("https://www.whatdotheyknow.com")
            urls = work / "urls.txt"
            urls.write_text("".join(f"{base}{entry['path']}\n" for entry in fetched))
            ours.append(result["seconds"])
            http.append(len(fetched))
            start = len(mirror.access_log)
            # Outside the checkout, so Scrapy finds no project settings (scrapy.cfg) to load.
            minimal = run([PY, "-m", "scrapy", "runspider", str(ROOT / "bench" / "minimal_spider.py"),
                           "-a", f"urls_file={urls}", "-s", "REDIRECT_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
                           "-s", "TELNETCONSOLE_ENABLED=False", *settings_args(FAST)],
                          log=work / "minimal.log", cwd=Path(tempfile.gettempdir()))
            assert len(mirror.access_log) - start == len(fetched), "the baseline fetched other URLs"
            baseline.append(minimal["seconds"])
    seconds, base_seconds = median(ours), median(baseline)
    return {"n": n, "repeats": repeats, "http_requests": int(median(http)), "seconds": seconds,
            "requests_per_second": median(http) / seconds, "minimal_seconds": base_seconds,
            "minimal_requests_per_second": median(http) / base_seconds, "overhead_ratio": seconds / base_seconds,
            "runs": {"ours": ours, "minimal": baseline}, "machine": machine()}


@contextlib.contextmanager
def output_to(log: Path):
    """The refresh steps are child processes writing to our stdout; send them to a log file."""
    sys.stdout.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "ab") as f:
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)


def refresh(n: int, work: Path) -> dict:
    from pipeline.refresh import refresh as run_refresh

    data = work / "refresh"
    shutil.rmtree(data, ignore_errors=True)
    runs = []
    with Mirror(profile=f"scale-{n}") as mirror:
        sites = work / "refresh-sites.json"
        mirror.write_sites_file(sites)
        for _ in range(2):
            start, started = len(mirror.access_log), time.perf_counter()
            with output_to(work / "refresh.log"):
                run_refresh(data, QUERY, sites, crawl_args=settings_args(FAST))
            log = mirror.access_log[start:]
            by_site: dict[str, int] = {}
            for entry in log:  # which site families the requests went to, to explain the fraction
                by_site[entry["site"]] = by_site.get(entry["site"], 0) + 1
            runs.append({"seconds": time.perf_counter() - started, "http_requests": len(log),
                         "not_modified": sum(1 for e in log if e["status"] == 304), "by_site": by_site})
    first, second = runs
    return {"n": n, "first": first, "second": second,
            "http_fraction": second["http_requests"] / first["http_requests"],
            "time_fraction": second["seconds"] / first["seconds"], "machine": machine()}
