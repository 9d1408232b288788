"""What the parsers read from a saved page: the one definition used by the golden-file tests
(tests/test_wdtk_parsers.py, tests/test_logs_golden.py) and by the fixture recorder
(scrapers/record_fixtures.py), so a recorded page's golden file is what the tests will compare.

A saved page's family and kind come from its folder and name: `wdtk/body_listing_*.html` is a
WhatDoTheyKnow body listing, any other `wdtk/*.html` a request page; `logs/<family>_*.html` a
disclosure-log item page of that family (soh, wmp, northumbria, psni).
"""

from __future__ import annotations

from pathlib import Path

from scrapers.logspider import read_log_item
from scrapers.sites import northumbria, psni, soh, wdtk, wmp

LOG_FAMILIES = {"soh": soh, "wmp": wmp, "northumbria": northumbria, "psni": psni}
# Each log family's page is read as if at this URL, so its links resolve the same way every time.
LOG_BASES = {"soh": "https://www.example.police.uk/foi-ai/example-police/item/",
             "wmp": "https://foi.west-midlands.police.uk/x-1_18/",
             "northumbria": "https://beta.northumbria.police.uk/about-us/publications-and-documents/accessing-"
                            "information/disclosure-log/other/x-10018/",
             "psni": "https://www.psni.police.uk/foi-disclosure-log/x"}


def parse_wdtk(path: Path) -> dict:
    body = Path(path).read_bytes()
    return wdtk.parse_listing(body) if Path(path).name.startswith("body_listing") else wdtk.parse_request_page(body)


def parse_log(path: Path) -> dict:
    path = Path(path)
    family = path.name.split("_", 1)[0]
    if family not in LOG_FAMILIES:
        raise ValueError(f"{path}: a saved log page's name starts with its family ({', '.join(LOG_FAMILIES)})")
    body, url = path.read_bytes(), LOG_BASES[family]
    if family == "soh":
        result = soh.read_item_page(body, url, "www.example.police.uk")
    else:
        result = read_log_item(LOG_FAMILIES[family], body, url)
    result.pop("lines")
    result["attachments"] = [list(pair) for pair in result["attachments"]]
    return result


def parse_saved_page(path: Path) -> dict:
    """The parser's output for a saved page, by its folder (wdtk or logs)."""
    return parse_wdtk(path) if Path(path).parent.name == "wdtk" else parse_log(path)
