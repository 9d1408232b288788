"""Every page type of the site, checked as a person using assistive technology or a keyboard or a
phone would meet it: axe-core (the npm package, installed by `make install` into build/axe and
injected into each page) finds no serious or critical violation, the keyboard reaches the page's
links in order, and screenshots at 1280 and 375 pixels wide go to test-artifacts/browser/."""

import os
from pathlib import Path

import pytest

from publish.sample import write_sample
from publish.site import publish
from tests.browser.test_browser import ARTIFACTS, page, serving  # noqa: F401  (fixtures)
from tests.test_site_pages import BATCH, BATCH_REQUESTS, _patch

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

AXE = Path(__file__).resolve().parents[2] / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# One page of each type: overview, force, gaps, map, batch, a finding with its evidence, a table,
# a canned query, the downloads and using-the-data pages.
PAGES = {
    "overview": "/",
    "force": "/force/metropolitan",
    "gaps": "/gaps",
    "map": "/map?field=lfr_use",
    "batch": f"/batch/{BATCH}",
    "evidence": "/foi/findings/wdtk~3A1001~3Ause~3Alfr",
    "table": "/foi/force_status_wide",
    "query": "/foi/review_queue",
    "downloads": "/downloads",
    "using the data": "/using-the-data",
}
SERIOUS = ("serious", "critical")


def violations(page) -> list[dict]:  # noqa: F811
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in SERIOUS]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The sample build with three of its requests sent as one batch, so every page type exists."""
    if not AXE.exists():
        # CI (CI=true) installs npm and axe-core, so there a missing axe is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"{AXE} is missing: install npm, then run `make install` (it installs axe-core with npm)")
    data_dir = tmp_path_factory.mktemp("a11y")
    write_sample(data_dir, builds=2)
    _patch(data_dir, "requests", lambda frame: frame.__setitem__(
        "batch_id", frame.batch_id.where(~frame.request_id.isin(BATCH_REQUESTS), BATCH)))
    publish(data_dir)
    with serving(data_dir) as url:
        yield url


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation_at_desktop_and_phone_width(name, base_url, page):  # noqa: F811
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base_url + PAGES[name])
        page.screenshot(path=str(ARTIFACTS / f"a11y-{name.replace(' ', '-')}-{width}.png"), full_page=True)
        found = violations(page)
        assert not found, f"{name} at {width}px: {found}"


@pytest.mark.parametrize("name", ["overview", "force", "gaps", "map"])
def test_the_keyboard_reaches_the_pages_links_in_order(name, base_url, page):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + PAGES[name])
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const r = e.getBoundingClientRect();
            return {tag: e.tagName, href: e.getAttribute('href'), visible: r.width > 0 && r.height > 0,
                    outline: getComputedStyle(e).outlineStyle}; }""")
        if focused["tag"] == "BODY":
            break
        reached.append(focused)
    links = [f for f in reached if f["tag"] == "A"]
    assert len(links) >= 5, f"{name}: the keyboard reached only {reached}"
    assert all(f["visible"] for f in links), f"{name}: a focused link is not on screen"
    # The page's own content is reachable, not only the header's links.
    content_links = page.evaluate("() => [...document.querySelectorAll('main a, .content a, svg a')].length")
    assert content_links > 0
