"""The Internet Archive (web.archive.org), as much of it as the crawlers' fallback uses.

- ``/cdx/search/cdx?url=U&output=json&fl=...&filter=statuscode:200&limit=-1``: the CDX API; rows
  of captures of exactly U (scheme, ``www.``, trailing slash and query order ignored, as the
  archive's URL keys do), header row first; ``limit=-1`` keeps the newest; ``[]`` when none.
- ``/web/<timestamp>id_/<url>``: the capture as originally served (no banner, links untouched);
  ``/web/<timestamp>/<url>`` the same here (the real one adds its banner). A timestamp with no
  capture redirects to the nearest one, as the real archive does.

Captures are listed in mirror/content/archive/captures.yaml; their bodies come from the mirrored
sites (currently the SOH family), served as to a browser that passed any challenge.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from mirror.server import Request, Response, Site, redirect, text_response
from mirror.sites import logpages, soh

ORDER = 90
FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


def url_key(url: str) -> str:
    """The archive's comparison key for a URL: host without www., path without trailing slash,
    query parameters sorted."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


class ArchiveSite(Site):
    name = "archive"
    real_base_url = "https://web.archive.org"
    validators = False  # the spec records none for the archive

    def __init__(self, captures: list[dict], sites: list) -> None:
        super().__init__()
        self.captures: dict[str, list[tuple[str, str]]] = {}
        for capture in captures:
            rows = self.captures.setdefault(url_key(capture["url"]), [])
            rows.extend((str(ts), capture["url"]) for ts in capture["timestamps"])
        self.sites = {urlsplit(site.real_base_url).hostname.removeprefix("www."): site for site in sites}
        self.route(r"/cdx/search/cdx", self.cdx)
        self.route(r"/web/(?P<timestamp>\d{14})(?P<flag>id_)?/(?P<original>.+)", self.snapshot)

    def cdx(self, request: Request) -> Response:
        rows = sorted(self.captures.get(url_key(request.arg("url")), []))
        if request.arg("limit").startswith("-"):
            rows = rows[int(request.arg("limit")):]
        elif request.arg("limit").isdigit():
            rows = rows[:int(request.arg("limit"))]
        wanted = request.arg("fl", ",".join(FIELDS)).split(",")
        records = [{"urlkey": url_key(url), "timestamp": ts, "original": url, "mimetype": "text/html",
                    "statuscode": "200", "digest": "-", "length": "-"} for ts, url in rows]
        table = [wanted] + [[r[f] for f in wanted] for r in records] if records else []
        return text_response(json.dumps(table), content_type="application/json")

    def snapshot(self, request: Request, timestamp: str, original: str, flag: str | None = None) -> Response:
        if request.query:
            original += "?" + urlencode([(k, v) for k, values in request.query.items() for v in values])
        if re.match(r"https?:/[^/]", original):  # some clients fold the // inside the path
            original = original.replace(":/", "://", 1)
        rows = sorted(self.captures.get(url_key(original), []))
        if not rows:
            return text_response("Wayback Machine has not archived that URL.", 404, "text/html; charset=utf-8")
        exact = [row for row in rows if row[0] == timestamp]
        if not exact:
            nearest = min(rows, key=lambda row: abs(int(row[0]) - int(timestamp)))
            return redirect(f"/web/{nearest[0]}{flag or ''}/{nearest[1]}")
        parts = urlsplit(original)
        site = self.sites.get((parts.hostname or "").removeprefix("www."))
        if site is None:
            return text_response("Not archived", 404)
        page = Request("GET", parts.path or "/", {k: [v] for k, v in parse_qsl(parts.query)}, {}, {},
                       site.real_base_url)
        return site.unblocked(page)


def build(profile: str = "full") -> ArchiveSite:
    captures = [capture for _path, data in logpages.load("archive") for capture in data]
    return ArchiveSite(captures, soh.load_sites())
