"""The crawl report and its monitors, written at the end of every crawl.

The report (logged, and saved as <DATA_DIR>/reports/<spider>/<run_id>.json) gives, per force,
the requests listed, the items written and the requests skipped as unchanged (no "reported by the
site" figure: WhatDoTheyKnow's body pages print no count of their results); then requests, attachments, HTTP status counts (a 304 answer to a conditional request
is counted as the 200 it revalidates, and separately as not_modified), retries, errors and
elapsed time.
The crawl fails (non-zero exit from `scrapy crawl`, see scrapers/commands/crawl.py) when a
force's listing failed, or when there were more errors than CRAWL_MAX_ERRORS. Bodies the site
has renamed (their old url_name redirects) are listed under `renamed_bodies`, for a maintainer to
update reference/forces.csv.
Every error is listed under `failed` with its URL and reason (spiders call `record_failure`), and
`complete` says whether the crawl fetched everything it set out to: a crawl can be `ok` and still
incomplete (a file that could not be downloaded is tried again on the next refresh).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

logger = logging.getLogger(__name__)


class CrawlReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.max_errors = crawler.settings.getint("CRAWL_MAX_ERRORS")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        self.started = datetime.now(timezone.utc)

    def spider_closed(self, spider, reason):
        report = build_report(self.crawler.stats.get_stats(), getattr(spider, "report_forces", []),
                              self.started, reason, self.max_errors)
        report["spider"], report["run_id"] = spider.name, getattr(spider, "run_id", None)
        self.crawler.crawl_report = report  # read by the crawl command for its exit status
        logger.info("crawl report\n%s", format_report(report))
        path = Path(spider.settings.get("DATA_DIR")) / "reports" / spider.name / f"{report['run_id']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(report, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


def failure_text(failure) -> str:
    """Why a request failed, for the crawl report and the log: the HTTP status, or the error, and
    where a redirect had led it (the report names the URL asked for)."""
    response = getattr(failure.value, "response", None)
    reason = f"HTTP {response.status}" if response is not None else f"{failure.type.__name__}: {failure.getErrorMessage()}"
    request = getattr(failure, "request", None)
    if request is not None and request.meta.get("redirect_urls"):
        reason += f" (redirected to {request.url})"
    return reason


def record_failure(crawler, force_id: str | None, url: str, reason: str) -> None:
    """Count one error (in all and for its force) and list it in the crawl report: what could not
    be fetched or read, and why."""
    crawler.stats.inc_value("errors")
    crawler.stats.inc_value(f"force/{force_id}/errors")
    failed = crawler.stats.get_value("failed_urls") or []
    failed.append({"force_id": force_id, "url": url, "reason": reason})
    crawler.stats.set_value("failed_urls", failed)


def build_report(stats: dict, forces: list[str], started: datetime, reason: str, max_errors: int) -> dict:
    def count(key):
        return int(stats.get(key, 0) or 0)

    per_force, failures = {}, []
    for force_id in forces:
        row = {name: count(f"force/{force_id}/{name}")
               for name in ("listed", "items", "unchanged", "errors", "listing_failed", "blocked")}
        per_force[force_id] = row
        if row["listing_failed"]:
            failures.append(f"{force_id}: its listing could not be read")
    # Errors the spiders recorded, plus exceptions a callback did not handle (a bug or a page
    # in a shape the parser does not expect): both mean data may be missing.
    errors = count("errors") + count("spider_exceptions/count")
    if errors > max_errors:
        failures.append(f"{errors} errors (more than CRAWL_MAX_ERRORS={max_errors})")
    if reason != "finished":
        failures.append(f"the crawl ended early ({reason})")
    return {
        "started": started.isoformat(),
        "elapsed_seconds": round((datetime.now(timezone.utc) - started).total_seconds(), 1),
        "finish_reason": reason,
        "forces": per_force,
        "requests_written": sum(r["items"] for r in per_force.values()),
        "requests_unchanged": sum(r["unchanged"] for r in per_force.values()),
        # Counters every spider increments under the same names (scrapers/spiderbase.py).
        "attachments_downloaded": count("attachments/downloaded"),
        "attachments_reused": count("attachments/reused"),
        "attachment_errors": count("attachments/errors"),
        "http_status": {key.rsplit("/", 1)[-1]: value for key, value in sorted(stats.items())
                        if key.startswith("downloader/response_status_count/")},
        "not_modified": count("httpcache/revalidate"),  # conditional requests answered 304
        "retries": count("retry/count"),
        "errors": errors,
        "failed": list(stats.get("failed_urls") or []),
        "failures": failures,
        # Sites that are blocking the crawl (scrapers/spiderbase.SiteBlocks): reported, not a
        # failure, so the other sources' results still count.
        "blocked_forces": [force_id for force_id, row in per_force.items() if row["blocked"]],
        # Hidden requests (403 with an empty body or the site's "removed" page): skipped, counted.
        "requests_hidden": count("requests/hidden"),
        "renamed_bodies": list(stats.get("renamed_bodies") or []),
        "ok": not failures,
        # Every URL under `failed` is counted in `errors` (record_failure). A blocked site's pages
        # were not read, so its data is not complete either.
        "complete": not failures and errors == 0 and not any(
            row["blocked"] for row in per_force.values()),
    }


def format_report(report: dict) -> str:
    lines = [f"{'force':<24}{'listed':>8}{'written':>8}{'unchanged':>10}{'errors':>7}"]
    for force_id, row in report["forces"].items():
        lines.append(f"{force_id:<24}{row['listed']:>8}{row['items']:>8}"
                     f"{row['unchanged']:>10}{row['errors']:>7}")
    lines += [
        f"requests written {report['requests_written']}, unchanged {report['requests_unchanged']}",
        f"attachments downloaded {report['attachments_downloaded']}, reused {report['attachments_reused']}, "
        f"failed {report['attachment_errors']}",
        f"HTTP status {report['http_status']} (of which 304 not modified: {report['not_modified']}), "
        f"retries {report['retries']}, errors {report['errors']}",
        f"elapsed {report['elapsed_seconds']} s, finish reason {report['finish_reason']}",
        *([f"blocked (403 challenge or 429): {', '.join(report['blocked_forces'])}"] if report["blocked_forces"] else []),
        *(f"renamed on the site: {r['force_id']} {r['old']} -> {r['new']} (update reference/forces.csv)"
          for r in report["renamed_bodies"]),
        *(f"  not fetched: {f['url']} ({f['reason']})" for f in report["failed"]),
        ("OK" if report["complete"] else "OK but incomplete") if report["ok"]
        else "FAILED: " + "; ".join(report["failures"]),
    ]
    return "\n".join(lines)
