"""Where to crawl: the real site, or the local mirror standing in for it.

`python -m mirror serve --sites-file PATH` writes PATH as {real base URL: mirror base URL}.
Spiders build every URL on the real base, then fetch it on the base this module returns, and
record URLs in items on the real base again, so a demo crawl's items look like a live one's
(except `site`, which says what was actually crawled).
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from urllib.parse import urlsplit


def site_mapping(sites_file: str | None) -> dict[str, str]:
    """The sites file as {real base URL: mirror base URL}, without trailing slashes; {} for none."""
    if not sites_file:
        return {}
    mapping = json.loads(Path(sites_file).read_text(encoding="utf-8"))
    return {k.rstrip("/"): v.rstrip("/") for k, v in mapping.items()}


def crawl_base(real_base: str, sites_file: str | None) -> str:
    """The base URL to fetch `real_base` from: its mirror when the sites file maps it."""
    real_base = real_base.rstrip("/")
    return site_mapping(sites_file).get(real_base, real_base)


# A crawl of our own loopback mirror (tests, demo) need not wait between requests; robots.txt is
# still obeyed, and settings given on the command line still win (they have a higher priority).
LOOPBACK_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
                     "RANDOMIZE_DOWNLOAD_DELAY": False, "RETRY_BACKOFF_BASE": 0.05}


def relax_for_loopback(settings, bases) -> None:
    """Drop the politeness delays when every base the spider fetches from is on loopback."""
    bases = list(bases)
    if bases and all(is_loopback(base) for base in bases):
        for name, value in LOOPBACK_SETTINGS.items():
            settings.set(name, value, priority="spider")


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
