"""Log page parsers on saved pages, each with a golden file of its expected output
(tests/fixtures/logs/<page>.expected.json). A new page fails until its expected output has been
reviewed and saved: run with UPDATE_GOLDEN=1 to write the missing ones, then read them."""

import json
import os
from pathlib import Path

import pytest

from scrapers.saved_pages import parse_log as parse

FIXTURES = Path(__file__).parent / "fixtures" / "logs"


@pytest.mark.parametrize("page", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.stem)
def test_page_parses_as_reviewed(page):
    expected_path = page.with_suffix(".expected.json")
    got = parse(page)
    if not expected_path.exists():
        if os.environ.get("UPDATE_GOLDEN"):
            expected_path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(f"{expected_path.name} is missing: review the parser's output and save it (UPDATE_GOLDEN=1)")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
