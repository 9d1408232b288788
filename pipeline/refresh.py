"""``python -m pipeline.refresh``: crawl (every spider, or those --spiders names), transform, publish;
stop at the first failure.

Each step runs as its own process so its exit code is the step's verdict. A failed step leaves
the previously published site in place (transform and publish swap their outputs in whole).
Exit code: 0 when everything was fetched and published; 1 when a step failed (nothing new was
published); 2 when the site was published but a crawl's report says it is not complete (it lists
each URL and why; the next refresh tries them again).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from reference import technologies

ROOT = Path(__file__).resolve().parent.parent
# One spider per site family (scrapers/spiders/); the crawl report of each covers its forces.
SPIDERS = ["wdtk", "soh", "wmp", "northumbria", "avon_and_somerset", "psni", "police_scotland"]
# The technology registry's WhatDoTheyKnow search terms (reference/technologies/), comma-separated.
DEFAULT_QUERY = ",".join(technologies.search_terms("wdtk"))


class StepFailed(RuntimeError):
    pass


def run_step(name: str, command: list[str]) -> None:
    print(f"==> {name}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise StepFailed(f"{name} failed (exit code {result.returncode}); the previous site is still in place")
    print(f"==> {name} done in {time.monotonic() - started:.1f}s", flush=True)


def crawl_commands(data_dir: Path, query: str, sites_file: Path | None, extra: list[str],
                   spiders: list[str] = SPIDERS) -> list[tuple[str, list[str]]]:
    commands = []
    for spider in spiders:
        command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"DATA_DIR={data_dir}", "-a", f"query={query}"]
        if sites_file:
            command += ["-s", f"SITE_URLS_FILE={sites_file}"]
        commands.append((f"crawl {spider}", command + extra))
    return commands


def refresh(data_dir: Path, query: str = DEFAULT_QUERY, sites_file: Path | None = None, mode: str | None = None,
            steps: tuple[str, ...] = ("crawl", "transform", "publish"), crawl_args: list[str] | None = None,
            spiders: list[str] = SPIDERS) -> list[dict]:
    """Run the steps; return the crawl reports this run's crawls wrote (scrapers/report.py)."""
    data_dir = Path(data_dir).resolve()
    crawled = spiders if "crawl" in steps else []
    reports_before = set(crawl_report_paths(data_dir, crawled))
    if "crawl" in steps:
        for name, command in crawl_commands(data_dir, query, sites_file, crawl_args or [], spiders):
            run_step(name, command)
    if "transform" in steps:
        run_step("transform", [sys.executable, "-m", "transform", "--data-dir", str(data_dir),
                               *(["--mode", mode] if mode else [])])
    if "publish" in steps:
        run_step("publish", [sys.executable, "-m", "publish", "build", "--data-dir", str(data_dir)])
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(set(crawl_report_paths(data_dir, crawled)) - reports_before)]


def crawl_report_paths(data_dir: Path, spiders: list[str]) -> list[Path]:
    """The crawl reports of these spiders (reports/<spider>/<run_id>.json; other folders under
    reports/, such as the transform's, are not crawl reports)."""
    return [path for spider in spiders for path in (data_dir / "reports" / spider).glob("*.json")]


def not_fetched(report: dict) -> list[str]:
    """What an incomplete crawl could not fetch: "url: reason", or a force whose site blocked the crawler."""
    lines = [f"{f['url']}: {f['reason']}" for f in report["failed"]]
    lines += [f"{force_id}: the site blocked the crawler (pages read from the archive where it had them)"
              for force_id in report["blocked_forces"]]
    if report["errors"] > len(report["failed"]):
        lines.append(f"{report['spider']}: {report['errors'] - len(report['failed'])} errors in the spider "
                     "itself (see its log)")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.refresh", description=__doc__)
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--query", default=DEFAULT_QUERY, help=f"search terms (default: {DEFAULT_QUERY!r})")
    parser.add_argument("--sites-file", type=Path, help="JSON map of real base URLs to a mirror's (default: live sites)")
    parser.add_argument("--steps", default="crawl,transform,publish")
    parser.add_argument("--spiders", default=",".join(SPIDERS), help="spiders to run (default: all)")
    parser.add_argument("--forces", help="force ids to crawl (default: all; each spider must cover them)")
    args = parser.parse_args(argv)
    try:
        reports = refresh(Path(args.data_dir), args.query, args.sites_file, steps=tuple(args.steps.split(",")),
                          crawl_args=["-a", f"forces={args.forces}"] if args.forces else [],
                          spiders=args.spiders.split(","))
    except StepFailed as exc:
        print(f"refresh stopped: {exc}", file=sys.stderr)
        return 1
    incomplete = [report for report in reports if not report["complete"]]
    if incomplete:
        lines = [line for report in incomplete for line in not_fetched(report)]
        print(f"refresh done, but {len(lines)} pages or files could not be fetched:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in lines), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
