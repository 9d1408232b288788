"""``python -m bench [--quick]``: speed, memory and how cost grows, measured against baselines in
one run (issue 9). Prints a table per benchmark and writes JSON to data/bench/results/.

crawl     our wdtk spider against a minimal Scrapy spider on the same URLs (scaled mirror)
refresh   a second refresh with nothing changed, as a fraction of the first
build     transform and publish at each N: documents/s, PDF pages/s, peak memory, overhead
          against bare extraction, SQLite build time and size; the scaling table
site      per page: the first request's latency on a fresh server (uncached), then median and
          95th percentile under 10 concurrent clients, mostly from the response cache (largest N)

The corpora are generated once and cached (data/bench/corpus/). --quick runs everything at small
N in a few minutes; the full run takes N = 1k, 10k and 50k. Figures on a shared machine are
noisy: each result records the load average when it was taken.
"""
from __future__ import annotations

import argparse
import math
import shutil
import sys
import time
from pathlib import Path

from .common import ROOT, machine, table, write_json

FULL = {"sizes": [1_000, 10_000, 50_000], "crawl_n": 1_000, "crawl_repeats": 3, "build_repeats": {1_000: 3},
        "site_per_page": 40}
QUICK = {"sizes": [100, 400], "crawl_n": 100, "crawl_repeats": 1, "build_repeats": {}, "site_per_page": 10}
TARGETS = {"refresh_http_fraction": 0.05, "transform_overhead": 1.3, "transform_peak_mib_50k": 1024,
           "no_change_transform_fraction": 0.1, "publish_peak_mib_50k": 512, "crawl_overhead": 1.1,
           "site_p95_ms": 100, "site_cold_ms": 500,
           "total_minutes": 30}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N, one run each: a few minutes")
    parser.add_argument("--sizes", help="comma-separated N for transform/publish (default 1000,10000,50000)")
    parser.add_argument("--crawl-n", type=int, help="requests in the crawled mirror (default 1000)")
    parser.add_argument("--only", default="crawl,refresh,build,site", help="benchmarks to run (comma-separated)")
    parser.add_argument("--site-per-page", type=int, help="timed requests per page in the site benchmark")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "bench" / "results")
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "bench" / "work",
                        help="scratch data directories (emptied first)")
    args = parser.parse_args(argv)
    plan = dict(QUICK if args.quick else FULL)
    if args.sizes:
        plan["sizes"] = [int(s) for s in args.sizes.split(",")]
    plan["crawl_n"] = args.crawl_n or plan["crawl_n"]
    plan["site_per_page"] = args.site_per_page or plan["site_per_page"]
    only = set(args.only.split(","))
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    results = {"plan": plan, "machine_at_start": machine()}
    print(f"bench: {'quick' if args.quick else 'full'} run, load average {results['machine_at_start']['load_average']} "
          f"on {results['machine_at_start']['cpus']} cores", flush=True)

    if "crawl" in only:
        from .crawl import crawl
        r = results["crawl"] = crawl(plan["crawl_n"], work, plan["crawl_repeats"])
        write_json(args.out, "crawl", r)
        print(table(f"\ncrawl: wdtk spider vs minimal Scrapy spider, same URLs, mirror scale-{r['n']}, "
                    f"no delays, concurrency 8 (median of {r['repeats']}; load {r['machine']['load_average'][0]})",
                    ["spider", "HTTP requests", "seconds", "requests/s"],
                    [["ours (wdtk)", r["http_requests"], r["seconds"], r["requests_per_second"]],
                     ["minimal", r["http_requests"], r["minimal_seconds"], r["minimal_requests_per_second"]],
                     ["ratio ours/minimal", None, r["overhead_ratio"], None]]), flush=True)

    if "refresh" in only:
        from .crawl import refresh
        r = results["refresh"] = refresh(plan["crawl_n"], work)
        print(table(f"\nno-change refresh: every spider + transform + publish, twice, mirror scale-{r['n']} "
                    f"(load {r['machine']['load_average'][0]})",
                    ["run", "HTTP requests", "of which 304", "seconds"],
                    [["first", r["first"]["http_requests"], r["first"]["not_modified"], r["first"]["seconds"]],
                     ["second (no change)", r["second"]["http_requests"], r["second"]["not_modified"], r["second"]["seconds"]],
                     ["second / first", r["http_fraction"], None, r["time_fraction"]]]), flush=True)
        print("  second run's requests by site (of the first run's): " + ", ".join(
            f"{site} {count}/{r['first']['by_site'].get(site, 0)}" for site, count in sorted(r["second"]["by_site"].items())),
            flush=True)
        wdtk = r["second"]["by_site"].get("wdtk", 0) / r["first"]["by_site"]["wdtk"]
        print(f"  WhatDoTheyKnow alone (the only source that grows with N): {wdtk:.3f} of the first run's requests")
        r["wdtk_http_fraction"] = wdtk
        write_json(args.out, "refresh", r)

    builds = []
    if "build" in only or "site" in only:
        from .build import build
        for n in plan["sizes"]:
            print(f"\nbuild at N={n} ...", flush=True)
            builds.append(build(n, work, plan["build_repeats"].get(n, 1)))
            write_json(args.out, f"build-{n}", builds[-1])
        results["build"] = builds
        print(table("\ntransform (fresh data directory, empty extraction cache; 2 extraction workers)",
                    ["N", "runs", "documents", "attachments", "PDF pages (OCR)", "seconds", "documents/s",
                     "PDF pages/s", "peak MiB", "bare extraction s", "ratio"],
                    [[b["n"], b["repeats"], b["documents"], b["attachments"], f"{b['pdf_pages']} ({b['pdf_pages_ocr']})",
                      b["transform_seconds"], b["documents_per_second"], b["pdf_pages_per_second"],
                      b["transform_peak_rss_mib"], b["bare_extraction_seconds"], b["overhead_ratio"]] for b in builds]))
        print(table("\ntransform steps (seconds; extract step / bare extraction is the overhead of our extraction "
                    "alone; read is loading items, answers and documents rows, on 2 processes)",
                    ["N", "plan", "extract", "read", "tables", "bare extraction s", "extract step ratio"],
                    [[b["n"], b["transform_steps"]["plan"], b["transform_steps"]["extract"], b["transform_steps"]["read"],
                      b["transform_steps"]["tables"], b["bare_extraction_seconds"], b["extract_step_ratio"]]
                     for b in builds]))
        print(table("\npublish (SQLite with full-text search)", ["N", "seconds", "database MB", "peak MiB"],
                    [[b["n"], b["publish_seconds"], b["db_bytes"] / 1e6, b["publish_peak_rss_mib"]] for b in builds]))
        print(table("\nno-change transform: a second transform on the same data directory, nothing changed "
                    "(its caches full; median of 3); CPU seconds (user + system, workers included) move less "
                    "with the load", ["N", "first s", "second s", "second / first", "first CPU s", "second CPU s",
                                      "CPU second / first"],
                    [[b["n"], b["transform_seconds"], b["warm_cache_transform_seconds"], b["no_change_fraction"],
                      b["transform_cpu_seconds"], b["warm_cache_transform_cpu_seconds"],
                      b["warm_cache_transform_cpu_seconds"] / b["transform_cpu_seconds"]] for b in builds]))
        results["scaling"] = scaling(builds)
        print(table("\nscaling: time and memory against N (exponent: log time ratio / log N ratio, 1 = linear)",
                    ["N", "transform s", "ms/request", "time exponent", "peak MiB", "publish s", "database MB"],
                    [[s["n"], s["transform_seconds"], s["ms_per_request"], s["time_exponent"], s["peak_rss_mib"],
                      s["publish_seconds"], s["db_mb"]] for s in results["scaling"]]), flush=True)
        write_json(args.out, "scaling", {"rows": results["scaling"]})

    if "site" in only and builds:
        from .site import site, site_table
        largest = builds[-1]
        r = results["site"] = site(Path(largest["site_dir"]), largest["n"], plan["site_per_page"])
        write_json(args.out, "site", r)
        print(site_table(r, f"\nsite, N={r['n']} build: cold = first request to each URL on a fresh server (uncached, "
                            f"one at a time); then {r['clients']} concurrent clients, one page at a time, "
                            f"{plan['site_per_page']} requests per page over its URLs, mostly served from the response "
                            f"cache (share of hits shown) (load {r['machine_before']['load_average'][0]} before, "
                            f"{r['machine']['load_average'][0]} after)"), flush=True)

    results["total_seconds"] = time.perf_counter() - started
    results["targets"] = verdicts(results)
    write_json(args.out, "summary", results)
    print(table(f"\ntargets (total run {results['total_seconds'] / 60:.1f} min; results in {args.out})",
                ["target", "limit", "measured", "met"],
                [[t["target"], t["limit"], t["measured"], "yes" if t["met"] else "NO"] for t in results["targets"]]))
    return 0


def scaling(builds: list[dict]) -> list[dict]:
    rows, previous = [], None
    for b in builds:
        exponent = None
        if previous:
            exponent = math.log(b["transform_seconds"] / previous["transform_seconds"]) / math.log(b["n"] / previous["n"])
        rows.append({"n": b["n"], "transform_seconds": b["transform_seconds"],
                     "ms_per_request": 1000 * b["transform_seconds"] / b["n"], "time_exponent": exponent,
                     "peak_rss_mib": b["transform_peak_rss_mib"], "publish_seconds": b["publish_seconds"],
                     "db_mb": b["db_bytes"] / 1e6})
        previous = b
    return rows


def verdicts(results: dict) -> list[dict]:
    out = []

    def add(target, limit, measured):
        out.append({"target": target, "limit": limit, "measured": measured,
                    "met": measured is not None and measured <= limit})
    if "crawl" in results:
        add("crawl: our spider / minimal Scrapy spider, same URLs", TARGETS["crawl_overhead"],
            round(results["crawl"]["overhead_ratio"], 2))
    if "refresh" in results:
        add("no-change refresh: HTTP requests / first run's", TARGETS["refresh_http_fraction"],
            round(results["refresh"]["http_fraction"], 4))
        add("  the same, WhatDoTheyKnow's requests only", TARGETS["refresh_http_fraction"],
            round(results["refresh"]["wdtk_http_fraction"], 4))
    if results.get("build"):
        largest = results["build"][-1]
        add(f"transform / bare extraction at N={largest['n']}", TARGETS["transform_overhead"],
            round(largest["overhead_ratio"], 2))
        add(f"  its extract step alone / bare extraction at N={largest['n']}", TARGETS["transform_overhead"],
            round(largest["extract_step_ratio"], 2))
        add(f"transform peak MiB at N={largest['n']} (target is for 50k)", TARGETS["transform_peak_mib_50k"],
            round(largest["transform_peak_rss_mib"]))
        no_change = next((b for b in results["build"] if b["n"] == 10_000), results["build"][-1])
        add(f"no-change transform / full transform at N={no_change['n']} (target is for 10k)",
            TARGETS["no_change_transform_fraction"], round(no_change["no_change_fraction"], 3))
        add(f"publish peak MiB at N={largest['n']} (target is for 50k)", TARGETS["publish_peak_mib_50k"],
            round(largest["publish_peak_rss_mib"]))
        exponents = [s["time_exponent"] for s in results["scaling"] if s["time_exponent"] is not None]
        if exponents:
            add("transform time exponent (<= 1.1: linear, with noise)", 1.1, round(max(exponents), 2))
    if "site" in results:
        site = results["site"]
        hits = min(p["cache_hit_share"] for p in site["pages"].values())
        add(f"site worst p95 ms, 10 clients, N={site['n']} (pages already requested once; at least "
            f"{hits:.0%} of each page's requests served from the response cache)", TARGETS["site_p95_ms"],
            round(site["worst_p95_ms"]))
        add(f"site worst cold ms: first request to a URL on a fresh server, uncached, N={site['n']}",
            TARGETS["site_cold_ms"], round(site["worst_cold_ms"]))
    add("whole run, minutes", TARGETS["total_minutes"], round(results["total_seconds"] / 60, 1))
    return out


if __name__ == "__main__":
    sys.exit(main())
