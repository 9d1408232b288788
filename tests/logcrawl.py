"""Run a disclosure-log spider as `scrapy crawl` over HTTP against a local mirror, and read what
it wrote. Shared by tests/test_logs*.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mirror import Mirror
from scrapers import rawstore

REPO = Path(__file__).resolve().parent.parent


def crawl(mirror: Mirror, data_dir: Path, spider: str, *args: str) -> subprocess.CompletedProcess:
    """``scrapy crawl <spider>`` on the mirror; ``args`` are extra ``-a``/``-s`` options."""
    sites_file = data_dir / "sites.json"
    mirror.write_sites_file(sites_file)
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"DATA_DIR={data_dir}",
               "-s", f"SITE_URLS_FILE={sites_file}", "-s", "LOG_LEVEL=INFO", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240)


def items(data_dir: Path, item_type: str = "request") -> list[dict]:
    return [item for item in rawstore.iter_items(data_dir) if item.get("item_type") == item_type]

