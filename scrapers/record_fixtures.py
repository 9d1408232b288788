"""Save real pages as parser fixtures, with the parser's output as their golden file for a
maintainer to review (needs network; never run in CI):

    FOI_CRAWL_CONTACT=you@example.org make record-fixtures URLS=urls.txt

`urls.txt` lists one page's real URL per line, optionally followed by a fixture name (blank lines
and `#` comments are skipped). Supported: WhatDoTheyKnow request pages and body listings, and
disclosure-log item pages of the families the golden tests read (scrapers/saved_pages.py).

Pages are fetched as the maintainer checks fetch them (scrapers/check_live.PoliteClient):
robots.txt obeyed, the project's user agent with its contact, one request at a time with the
crawl's delay. Each page is saved under tests/fixtures/<wdtk|logs>/ as `<name>.html`, with
`<name>.headers.json` (URL, status, content type, when) and `<name>.expected.json`, what the
parser reads from it now. Review the expected file (git diff shows it) before committing: from
then on the golden tests hold the parser to it. An existing fixture is never overwritten.
With --sites-file the pages come from a mirror (how the tests run it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.utils.project import get_project_settings

from scrapers.check_live import PoliteClient
from scrapers.contact import ContactMissing
from scrapers.saved_pages import LOG_FAMILIES, parse_saved_page
from scrapers.siteurls import crawl_base
from scrapers.sites import wdtk

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
# Disclosure-log families by host; any other host with a /foi-ai/ path is a Single Online Home site.
LOG_HOSTS = {"foi.west-midlands.police.uk": "wmp", "www.psni.police.uk": "psni",
             "beta.northumbria.police.uk": "northumbria", "www.northumbria.police.uk": "northumbria"}


class RecordError(ValueError):
    """A URL that cannot be recorded; the message says which and why."""


def fixture_for(url: str) -> tuple[str, str]:
    """(folder, default name) of the fixture for a real URL."""
    parts = urlsplit(url)
    slug = re.sub(r"[^a-z0-9]+", "_", parts.path.rstrip("/").rsplit("/", 1)[-1].lower()).strip("_") or "page"
    if f"{parts.scheme}://{parts.netloc}" == wdtk.BASE_URL:
        if parts.path.startswith("/body/"):
            return "wdtk", f"body_listing_{slug}"
        if parts.path.startswith("/request/"):
            return "wdtk", f"request_{slug}"
        raise RecordError(f"{url}: only WhatDoTheyKnow request pages and body listings are parser fixtures")
    family = LOG_HOSTS.get(parts.hostname or "") or ("soh" if "/foi-ai/" in parts.path else None)
    if family not in LOG_FAMILIES:
        raise RecordError(f"{url}: not a page of a site family the golden tests read "
                          f"(WhatDoTheyKnow, {', '.join(LOG_FAMILIES)})")
    return "logs", f"{family}_{slug}"


def read_urls(path: Path) -> list[tuple[str, str | None]]:
    entries = []
    for line_number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) > 2 or not words[0].startswith(("http://", "https://")):
            raise RecordError(f"{path}:{line_number}: expected a URL and optionally a fixture name")
        entries.append((words[0], words[1] if len(words) == 2 else None))
    return entries


def record(entries, sites_file: str | None, out_dir: Path, settings, out=sys.stdout) -> int:
    """Fetch and save each page; return how many could not be recorded."""
    clients: dict[str, PoliteClient] = {}
    failed = 0
    for url, name in entries:
        try:
            folder, default = fixture_for(url)
            name = name or default
            page = Path(out_dir) / folder / f"{name}.html"
            if page.exists():
                raise RecordError(f"{url}: {page} exists already; give the new page another name")
            real_base = "{0.scheme}://{0.netloc}".format(urlsplit(url))
            base = crawl_base(real_base, sites_file)
            client = clients.get(base) or clients.setdefault(base, PoliteClient(base, settings))
            try:
                status, body, content_type = client.get(base + url[len(real_base):])
            except PermissionError:
                raise RecordError(f"{url}: robots.txt disallows it; nothing fetched") from None
            if status != 200:
                raise RecordError(f"{url}: HTTP {status}; nothing saved")
        except RecordError as error:
            print(f"NOT RECORDED: {error}", file=out)
            failed += 1
            continue
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_bytes(body)
        headers = {"url": url, "status": status, "content_type": content_type,
                   "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        page.with_suffix(".headers.json").write_text(json.dumps(headers, indent=2) + "\n", encoding="utf-8")
        expected = page.with_suffix(".expected.json")
        expected.write_text(json.dumps(parse_saved_page(page), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"recorded {url}\n  -> {page}\n  review {expected} (the golden test now holds the parser to it)",
              file=out)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.record_fixtures", description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path, help="file of real URLs, one per line, each optionally with a name")
    parser.add_argument("--sites-file", help="JSON map of real base URLs to a mirror's (the tests)")
    parser.add_argument("--out-dir", type=Path, default=FIXTURES, help=f"fixtures folder (default {FIXTURES})")
    args = parser.parse_args(argv)
    try:
        failed = record(read_urls(args.urls), args.sites_file, args.out_dir, get_project_settings())
    except (RecordError, ContactMissing, OSError) as error:
        print(error, file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
