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


def crawl_base(real_base: str, sites_file: str | None) -> str:
    """The base URL to fetch `real_base` from: its mirror when the sites file maps it."""
    real_base = real_base.rstrip("/")
    if not sites_file:
        return real_base
    mapping = json.loads(Path(sites_file).read_text(encoding="utf-8"))
    mapped = {k.rstrip("/"): v.rstrip("/") for k, v in mapping.items()}
    return mapped.get(real_base, real_base)


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
