"""Site latency: the published site served as `python -m publish serve` serves it, on loopback.

Per page (a page is one URL, or the same page for several forces or search words):

- cold: the first request to each of its URLs on a freshly started server, one at a time, nothing
  else running: the server's real work for the page, not served from the response cache
  (publish/plugins/response_cache.py). The worst and the median of the page's URLs.
- then 10 concurrent clients, one page at a time, cycling through its URLs: median and 95th
  percentile. These URLs were all requested once in the cold pass, so this is what a visitor
  sees of a page someone already asked for: mostly served from the response cache. Every
  response says whether it came from the cache, and the share of hits is reported beside it.

The clients are aiohttp (which comes with Scrapy), not httpx: on two shared cores httpx's own
work per response (about 2.5 ms of CPU for a cached page, against 1 ms for the server) made the
clients, not the server, the larger part of what was timed.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from datasette.utils import tilde_encode

from publish.check_latest import free_port, wait_until_serving

from .common import ROOT, machine, table

CLIENTS = 10
FORCES = 5               # forces whose pages are in the mix
WORDS = ["neoface", "retrospective", "deployment"]  # full-text searches in the mix
CACHE_HEADER = "x-response-cache"


def _ids(site_dir: Path, sql: str, n: int) -> list[str]:
    db = sqlite3.connect(f"file:{site_dir / 'site' / 'foi.db'}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute(sql, (n,)).fetchall()]
    finally:
        db.close()


def forces(site_dir: Path, n: int = FORCES) -> list[str]:
    """The Metropolitan Police and the forces with the most requests: the pages people open most."""
    return _ids(site_dir, "select force_id from force_status_wide order by force_id = 'metropolitan' desc, "
                          "requests desc, force_id limit ?", n)


def batches(site_dir: Path, n: int = FORCES) -> list[str]:
    """The batch requests sent to the most forces."""
    return _ids(site_dir, "select batch_id from requests where batch_id is not null group by batch_id "
                          "order by count(*) desc, batch_id limit ?", n)


def lfr_findings(site_dir: Path, forces: list[str]) -> list[str]:
    """The finding behind each of these forces' LFR answer: its page shows the document's text."""
    return [f for force in forces for f in _ids(site_dir, "select lfr_use_finding_id from force_status_wide "
                                                          "where force_id = ? and lfr_use_finding_id is not null", force)]


def pages(site_dir: Path) -> dict[str, list[str]]:
    """Home (the overview of every force), the site's own pages (a force's page, gaps, the map,
    a batch, a finding's evidence), force_status_wide (the table and one force's row), findings
    faceted and for one force, a full-text search on documents, and each canned query (per
    force and per word where it takes one)."""
    metadata = json.loads((site_dir / "site" / "metadata.json").read_text())
    queries = metadata["databases"]["foi"].get("queries", {})
    ids = forces(site_dir)
    urls = {"home": ["/"],
            "force page": [f"/force/{f}" for f in ids],
            "gaps": ["/gaps"],
            "map": ["/map?field=lfr_use", "/map?field=dpia"],
            "finding with its evidence": [f"/foi/findings/{tilde_encode(f)}" for f in lfr_findings(site_dir, ids)],
            "force_status_wide": ["/foi/force_status_wide"],
            "force_status_wide, one force": [f"/foi/force_status_wide/{f}" for f in ids],
            "findings, faceted": ["/foi/findings?_facet=technology&_facet=answer&_facet=force_id"],
            "findings, one force": [f"/foi/findings?force_id={f}" for f in ids],
            "full-text search (documents)": [f"/foi/documents?_search={w}" for w in WORDS]}
    batch_ids = batches(site_dir)
    if batch_ids:
        urls["batch"] = [f"/batch/{b}" for b in batch_ids]
    urls = {name: page for name, page in urls.items() if page}
    params = {"force_id": ids, "q": WORDS}
    for name, query in queries.items():
        needed = [p for p in params if f":{p}" in query["sql"]]
        if needed:
            values = params[needed[0]]
            urls[f"query {name}"] = [f"/foi/{name}?{needed[0]}={v}" for v in values]
        else:
            urls[f"query {name}"] = [f"/foi/{name}"]
    return urls


async def _drive(base: str, urls: dict[str, list[str]], per_page: int) -> dict:
    """The cold pass (each URL once, in turn, on the fresh server), then one page at a time with
    10 clients: each page's figures are its own, not the queue behind slower pages."""
    result = {name: {"cold": {}, "times": [], "errors": 0, "cache": {}} for name in urls}
    jobs: asyncio.Queue = asyncio.Queue()

    async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str | None]:
        async with http.get(base + url) as response:
            await response.read()
            return response.status, response.headers.get(CACHE_HEADER)

    async def client(http: aiohttp.ClientSession) -> None:
        while not jobs.empty():
            name, url = jobs.get_nowait()
            started = time.perf_counter()
            status, served = await get(http, url)
            page = result[name]
            page["times"].append(time.perf_counter() - started)
            if status != 200:  # e.g. 400 when a query passes sql_time_limit_ms
                page["errors"] += 1
            served = served or "not cached"
            page["cache"][served] = page["cache"].get(served, 0) + 1

    connector = aiohttp.TCPConnector(limit=CLIENTS)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        for name, page_urls in urls.items():
            for url in page_urls:
                started = time.perf_counter()
                status, served = await get(http, url)
                result[name]["cold"][url] = {"ms": 1000 * (time.perf_counter() - started), "status": status,
                                             "cache": served}
        for name, page_urls in urls.items():
            for i in range(per_page):
                jobs.put_nowait((name, page_urls[i % len(page_urls)]))
            await asyncio.gather(*(client(http) for _ in range(CLIENTS)))
    return result


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def site(data_dir: Path, n: int, per_page: int = 40) -> dict:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "publish", "serve", "--data-dir", str(data_dir), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        # Polls a page that is not benchmarked and never cached: the pages stay cold for the cold pass.
        wait_until_serving(base, server, 30)
        urls = pages(data_dir)
        load_before = machine()
        driven = asyncio.run(_drive(base, urls, per_page))
    finally:
        server.terminate()
        server.wait(10)
    rows = {}
    for name, page in driven.items():
        cold = [c["ms"] for c in page["cold"].values()]
        times = page["times"]
        rows[name] = {"urls": urls[name], "cold": page["cold"],
                      "cold_max_ms": max(cold), "cold_median_ms": percentile(cold, 50),
                      "cold_errors": sum(1 for c in page["cold"].values() if c["status"] != 200),
                      "cold_from_cache": sum(1 for c in page["cold"].values() if c["cache"] == "hit"),
                      "requests": len(times), "errors": page["errors"], "cache": page["cache"],
                      "cache_hit_share": page["cache"].get("hit", 0) / len(times),
                      "median_ms": 1000 * percentile(times, 50), "p95_ms": 1000 * percentile(times, 95)}
    return {"n": n, "clients": CLIENTS, "per_page": per_page, "pages": rows,
            "worst_p95_ms": max(r["p95_ms"] for r in rows.values()),
            "worst_cold_ms": max(r["cold_max_ms"] for r in rows.values()),
            "machine_before": load_before, "machine": machine()}


def site_table(result: dict, title: str) -> str:
    """The results of site(), a row per page, under ``title``."""
    return table(title, ["page", "URLs", "cold ms (worst)", "cold ms (median)", f"{result['clients']} clients median ms",
                         "p95 ms", "cache hits", "errors"],
                 [[name, len(p["urls"]), p["cold_max_ms"], p["cold_median_ms"], p["median_ms"], p["p95_ms"],
                   f"{p['cache_hit_share']:.0%}", p["errors"] + p["cold_errors"]] for name, p in result["pages"].items()])


if __name__ == "__main__":
    # python -m bench.site DATA_DIR [PER_PAGE]: the site benchmark alone, on a data directory
    # already published (python -m bench --only site builds first).
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.site")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("per_page", type=int, nargs="?", default=40)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.data_dir / 'site' / 'foi.db'}?mode=ro", uri=True)
    requests = db.execute("select count(*) from requests").fetchone()[0]
    db.close()
    r = site(args.data_dir, requests, args.per_page)
    print(json.dumps(r, indent=1), file=sys.stderr)
    print(site_table(r, f"site, {requests} requests, load {r['machine_before']['load_average']} before, "
                        f"{r['machine']['load_average']} after"))
