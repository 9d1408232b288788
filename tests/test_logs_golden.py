"""Log page parsers on saved pages, each with a golden file of its expected output
(tests/fixtures/logs/<page>.expected.json). A new page fails until its expected output has been
reviewed and saved: run with UPDATE_GOLDEN=1 to write the missing ones, then read them."""

import json
import os
from pathlib import Path

import pytest

from scrapers.logspider import read_log_item
from scrapers.sites import northumbria, psni, soh, wmp
from transform.references import find_reference

FIXTURES = Path(__file__).parent / "fixtures" / "logs"
# page file prefix -> (family rules, the page's real URL for resolving links)
FAMILIES = {"soh": soh, "wmp": wmp, "northumbria": northumbria, "psni": psni}
BASES = {"soh": "https://www.example.police.uk/foi-ai/example-police/item/", "wmp": "https://foi.west-midlands.police.uk/x-1_18/",
         "northumbria": "https://beta.northumbria.police.uk/about-us/publications-and-documents/accessing-information/disclosure-log/other/x-10018/",
         "psni": "https://www.psni.police.uk/foi-disclosure-log/x"}


def parse(page: Path) -> dict:
    family = page.name.split("_", 1)[0]
    body, url = page.read_bytes(), BASES[family]
    if family == "soh":
        host = "www.example.police.uk"
        links = soh.attachment_links(body, url, host)
        result = soh.read_item(body, [text for _href, text in links])
        result.update(attachments=links, reference=find_reference(result["response_text"]))
    else:
        result = read_log_item(FAMILIES[family], body, url)
    result.pop("lines")
    result["attachments"] = [list(pair) for pair in result["attachments"]]
    return result


@pytest.mark.parametrize("page", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.stem)
def test_page_parses_as_reviewed(page):
    expected_path = page.with_suffix(".expected.json")
    got = parse(page)
    if not expected_path.exists():
        if os.environ.get("UPDATE_GOLDEN"):
            expected_path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(f"{expected_path.name} is missing: review the parser's output and save it (UPDATE_GOLDEN=1)")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
