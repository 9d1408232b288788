"""Parser tests on hand-written saved WDTK responses (tests/fixtures/wdtk/), juriscraper style:
each fixture has its expected output beside it as <name>.expected.json. A new fixture fails until
its output has been reviewed: the test writes <name>.actual.json to read and rename."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.saved_pages import parse_wdtk as parse

FIXTURES = Path(__file__).parent / "fixtures" / "wdtk"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.stem)
def test_fixture_matches_its_golden_file(fixture):
    actual = parse(fixture)
    expected_path = fixture.with_suffix(".expected.json")
    if not expected_path.exists():
        fixture.with_suffix(".actual.json").write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
        pytest.fail(f"no golden file for {fixture.name}: review {fixture.stem}.actual.json and rename it "
                    f"to {expected_path.name}")
    assert actual == json.loads(expected_path.read_text())
