"""Site latency: the published site served as `python -m publish serve` serves it, driven by 10
concurrent clients on loopback, one page at a time. Median and 95th percentile per page, after a
warm-up round; also each page's time with one client, which is the server's own work per page."""
from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .common import ROOT, machine

CLIENTS = 10


def pages(site_dir: Path) -> dict[str, str]:
    """Home, force_status, a faceted findings page, a full-text search and each canned query."""
    metadata = json.loads((site_dir / "site" / "metadata.json").read_text())
    queries = metadata["databases"]["foi"].get("queries", {})
    params = {"force_id": "metropolitan", "q": "neoface"}
    urls = {"home": "/", "force_status": "/foi/force_status",
            "findings, faceted": "/foi/findings?_facet=technology&_facet=answer&_facet=force_id",
            "full-text search": "/foi/documents?_search=neoface"}
    for name, query in queries.items():
        needed = [p for p in params if f":{p}" in query["sql"]]
        urls[f"query {name}"] = f"/foi/{name}" + ("?" + "&".join(f"{p}={params[p]}" for p in needed) if needed else "")
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _drive(base: str, urls: dict[str, str], per_page: int, single: dict[str, float],
                 errors: dict[str, int]) -> dict[str, list[float]]:
    """One page at a time, 10 clients requesting it together: each page's figures are its own,
    not the queue behind slower pages (a mixed load is what the whole site would see)."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    jobs: asyncio.Queue = asyncio.Queue()

    async def client(http: httpx.AsyncClient) -> None:
        while not jobs.empty():
            name, url = jobs.get_nowait()
            started = time.perf_counter()
            response = await http.get(base + url)
            times[name].append(time.perf_counter() - started)
            if response.status_code != 200:  # e.g. 400 when a query passes sql_time_limit_ms
                errors[name] = errors.get(name, 0) + 1

    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        for url in urls.values():  # warm-up, one client: first queries fill SQLite's page cache
            await http.get(base + url)
        for name, url in urls.items():  # one client: the server's own time for the page
            started = time.perf_counter()
            await http.get(base + url)
            single[name] = time.perf_counter() - started
        for name, url in urls.items():
            for _ in range(per_page):
                jobs.put_nowait((name, url))
            await asyncio.gather(*(client(http) for _ in range(CLIENTS)))
    return times


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def site(data_dir: Path, n: int, per_page: int = 40) -> dict:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "publish", "serve", "--data-dir", str(data_dir), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the site did not start")
        urls = pages(data_dir)
        single: dict[str, float] = {}
        errors: dict[str, int] = {}
        times = asyncio.run(_drive(base, urls, per_page, single, errors))
    finally:
        server.terminate()
        server.wait(10)
    rows = {name: {"url": urls[name], "requests": len(t), "errors": errors.get(name, 0), "one_client_ms": 1000 * single[name],
                   "median_ms": 1000 * percentile(t, 50),
                   "p95_ms": 1000 * percentile(t, 95)} for name, t in times.items()}
    return {"n": n, "clients": CLIENTS, "pages": rows, "worst_p95_ms": max(r["p95_ms"] for r in rows.values()),
            "machine": machine()}
