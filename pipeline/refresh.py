"""``python -m pipeline.refresh``: crawl (every spider, or those --spiders names), transform, publish;
stop at the first failure.

Each step runs as its own process so its exit code is the step's verdict. A failed step leaves
the previously published site in place (transform and publish swap their outputs in whole).
Exit code: 0 when everything was fetched and published; 1 when a step failed (nothing new was
published); 2 when the site was published but a crawl's report says it is not complete (it lists
each URL and why; the next refresh tries them again).

Given a log file (``refresh(..., log=path)``, as the demo does), the steps' own output (Scrapy's
log runs to thousands of lines) goes to that file, and the terminal shows one line as each step
starts and ends, a live progress line while it runs, and ``summary()`` at the end.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from reference import technologies

ROOT = Path(__file__).resolve().parent.parent
# One spider per site family (scrapers/spiders/); the crawl report of each covers its forces.
SPIDERS = ["wdtk", "soh", "wmp", "northumbria", "avon_and_somerset", "psni", "police_scotland"]
# The technology registry's WhatDoTheyKnow search terms (reference/technologies/), comma-separated.
DEFAULT_QUERY = ",".join(technologies.search_terms("wdtk"))


class StepFailed(RuntimeError):
    pass


def run_step(name: str, command: list[str], log: Path | None = None) -> None:
    """Run one step; its output goes to the terminal, or with ``log`` to the end of that file."""
    print(f"==> {name}" + ("" if log else f": {' '.join(command)}"), flush=True)
    started = time.monotonic()
    if log is None:
        returncode, last_lines = subprocess.run(command, cwd=ROOT).returncode, []
    else:
        returncode, last_lines = _run_logged(name, command, log)
    if returncode != 0:
        raise StepFailed(f"{name} failed (exit code {returncode}); the previous site is still in place"
                         + "".join(f"\n  | {line}" for line in last_lines)
                         + (f"\nfull log: {log}" if log else ""))
    print(f"==> {name} done in {time.monotonic() - started:.1f}s", flush=True)


# Lines of a step's output that say how far it has got: Scrapy's periodic stats line, and the
# transform's progress lines (transform/progress.py).
SCRAPY_STATS = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\), scraped (\d+) items \(at (\d+) items/min\)")
TRANSFORM_PROGRESS = re.compile(r"^(extract|read): \d+/\d+ ")


def progress_of(line: str) -> str | None:
    """The progress a line of a step's output reports, shortened for the terminal, or None."""
    stats = SCRAPY_STATS.search(line)
    if stats:
        pages, _, items, items_rate = stats.groups()
        return f"{pages} pages, {items} items ({items_rate} items/min)"
    if TRANSFORM_PROGRESS.match(line):
        return line.strip()
    return None


class StatusLine:
    """One line rewritten in place while a step runs, on a terminal only: a pipe or a file (CI,
    tests) gets the start and end lines of each step, so its length does not depend on how long
    the steps take."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        # A line longer than the terminal would wrap, and \r only goes back to its last row.
        self.width = shutil.get_terminal_size().columns - 1
        self.shown = False

    def show(self, text: str) -> None:
        if self.live:
            self.stream.write(f"\r\033[K{('    ' + text)[:self.width]}")  # \033[K clears the rest of the line
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def _run_logged(name: str, command: list[str], log: Path) -> tuple[int, list[str]]:
    """Run the step with its output appended to ``log``, showing its progress; return its exit
    code and its last lines (shown if it failed)."""
    status, last_lines = StatusLine(), deque(maxlen=15)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"==> {name}: {' '.join(command)}\n")
        out.flush()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace")
        try:
            for line in process.stdout:
                out.write(line)
                last_lines.append(line.rstrip("\n"))
                progress = progress_of(line)
                if progress:
                    status.show(f"{name}: {progress}")
        finally:
            status.clear()
        return process.wait(), list(last_lines)


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
            spiders: list[str] = SPIDERS, log: Path | None = None) -> list[dict]:
    """Run the steps; return the crawl reports this run's crawls wrote (scrapers/report.py).
    With ``log``, the steps' output is appended to that file instead of shown."""
    data_dir = Path(data_dir).resolve()
    crawled = spiders if "crawl" in steps else []
    reports_before = set(crawl_report_paths(data_dir, crawled))
    crawl_args = list(crawl_args or [])
    if log:
        crawl_args += ["-s", "LOGSTATS_INTERVAL=5"]  # Scrapy's stats line, for the progress line
    if "crawl" in steps:
        for name, command in crawl_commands(data_dir, query, sites_file, crawl_args, spiders):
            run_step(name, command, log)
    if "transform" in steps:
        run_step("transform", [sys.executable, "-m", "transform", "--data-dir", str(data_dir),
                               *(["--mode", mode] if mode else [])], log)
    if "publish" in steps:
        run_step("publish", [sys.executable, "-m", "publish", "build", "--data-dir", str(data_dir)], log)
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(set(crawl_report_paths(data_dir, crawled)) - reports_before)]


def crawl_report_paths(data_dir: Path, spiders: list[str]) -> list[Path]:
    """The crawl reports of these spiders (reports/<spider>/<run_id>.json; other folders under
    reports/, such as the transform's, are not crawl reports)."""
    return [path for spider in spiders for path in (data_dir / "reports" / spider).glob("*.json")]


def summary(data_dir: Path, crawl_reports: list[dict]) -> list[str]:
    """A few lines on what a refresh made: requests per spider, documents by extraction method,
    findings and errors (from the crawl reports and the newest transform report)."""
    lines = []
    if crawl_reports:
        lines.append("requests crawled: " + ", ".join(
            f"{r['spider']} {r['requests_written']:,}"
            + (f" (+{r['requests_unchanged']:,} unchanged)" if r["requests_unchanged"] else "")
            for r in crawl_reports))
    builds = sorted((Path(data_dir) / "reports" / "transform").glob("*.json"))  # named by UTC build time
    failed = 0
    if builds:
        build = json.loads(builds[-1].read_text(encoding="utf-8"))
        failed = build["documents_failed"]
        methods = ", ".join(f"{method} {n:,}" for method, n in build["documents_by_method"].items())
        lines.append(f"documents: {build['tables']['documents']:,} ({methods})")
        lines.append(f"findings: {build['tables']['findings']:,}")
    lines.append(f"errors: {sum(r['errors'] for r in crawl_reports)} in the crawl, {failed} documents "
                 "could not be read (documents.extraction_error says why)")
    missing = [line for r in crawl_reports if not r["complete"] for line in not_fetched(r)]
    if missing:
        lines.append(f"not fetched ({len(missing)}, tried again next time): " + "; ".join(missing[:3])
                     + (" ..." if len(missing) > 3 else ""))
    return lines


def not_fetched(report: dict) -> list[str]:
    """What an incomplete crawl could not fetch: "url: reason", or a force whose site blocked the crawler."""
    lines = [f"{f['url']}: {f['reason']}" for f in report["failed"]]
    # The disclosure-log spiders look blocked pages up in the Internet Archive; wdtk has no fallback.
    fallback = "" if report["spider"] == "wdtk" else " (pages read from the Internet Archive where it had them)"
    lines += [f"{force_id}: the site blocked the crawler{fallback}" for force_id in report["blocked_forces"]]
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
