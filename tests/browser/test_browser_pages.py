"""The site's own pages in a real browser, on the sample build served by `python -m publish serve`:
the overview's colours as the browser paints them, a cell leading to its highlighted evidence,
the map's tiles leading to a force's page, the gaps page's ask link. Screenshots go to
test-artifacts/browser/ (pages-*.png)."""

import re

import pytest

from publish.pages import palette
from tests.browser.test_browser import assert_no_injection, base_url, page, shot  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_overview_map_and_evidence_in_a_browser(base_url, page):  # noqa: F811
    colours = palette()
    page.goto(base_url + "/")
    shot(page, "pages-01-overview")
    met_lfr = page.locator('tr[data-force="metropolitan"] td[data-field="lfr_use"]')
    assert met_lfr.evaluate("td => getComputedStyle(td).backgroundColor") == rgb(colours["yes"]["background"])
    review = page.locator('tr[data-force="essex"] td[data-field="lfr_use"]')
    assert review.evaluate("td => getComputedStyle(td).outlineStyle") == "dashed"
    never = page.locator('tr[data-force="surrey"] td[data-field="rfr_use"]')
    assert never.evaluate("td => getComputedStyle(td).backgroundColor") == rgb(colours["never_asked"]["background"])
    assert page.locator("ul.legend li").count() == len(colours)

    met_lfr.locator("a").click()
    page.wait_for_url(re.compile(r"/foi/findings/wdtk~3A1001~3Ause~3Alfr$"))
    mark = page.locator("pre.evidence-text mark")
    assert mark.is_visible() and mark.inner_text() == "The MPS does use live facial recognition at planned deployments."
    shot(page, "pages-02-evidence")
    assert_no_injection(page)

    page.goto(base_url + "/map?field=lfr_use")
    shot(page, "pages-03-map")
    page.locator('svg a[data-force="metropolitan"]').click()
    page.wait_for_url(re.compile(r"/force/metropolitan$"))
    assert page.locator("h1").inner_text() == "Metropolitan Police Service"
    shot(page, "pages-04-force")
    assert_no_injection(page)

    page.goto(base_url + "/gaps")
    ask = page.locator('tr[data-force="metropolitan"] a.ask[data-field="rfr_use"]')
    assert ask.get_attribute("href").startswith("https://www.whatdotheyknow.com/new/the_met?title=")
    shot(page, "pages-05-gaps")
