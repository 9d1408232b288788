"""A campaigner's visit, in a real browser: home page, force_status_wide, the live facial recognition
facet, one force, a finding's evidence quote and document, the force's timeline, a CSV download.
Scraped text holding HTML and script must show as text and never run.

Runs `python -m publish serve` (the command `make serve` runs) on the sample build, and on a
demo build crawled from the mirror with markup planted in a reply, and drives Debian's Chromium
with Playwright. Screenshots go to test-artifacts/browser/.
"""

import csv
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from mirror import Mirror
from pipeline.refresh import refresh
from publish.sample import HOSTILE_TEXT, HOSTILE_TITLE, write_sample
from publish.site import publish
from tests.browser.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
# A reply planted in the mirror: its markup must reach the page as text.
PLANTED_REPLY = ("Dear A. Campaigner,\n\nThank you for your request. <script>window.__injected = 'script'</script> "
                 "<img src=x onerror=\"window.__injected = 'img'\"> <b onmouseover=\"alert(1)\">bold</b>"
                 "\n\nGloucestershire Constabulary currently uses live facial recognition technology."
                 "\n\nYours sincerely,\nInformation Compliance")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(data_dir):
    """`python -m publish serve` on a free port; yields the site's base URL once it answers."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "publish", "serve", "--data-dir", str(data_dir),
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        printed = server.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        assert url in printed, f"serve should print the site's URL, printed {printed!r}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                assert server.poll() is None, "datasette exited"
                assert time.monotonic() < deadline, "datasette did not start within 30 s"
                time.sleep(0.2)
        yield url.rstrip("/")
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The sample build, whose every row is known."""
    data_dir = tmp_path_factory.mktemp("browser")
    write_sample(data_dir, builds=2)
    publish(data_dir)
    with serving(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def mirror_site(tmp_path_factory):
    """A demo build crawled from the mirror after a reply with markup was planted in it."""
    data_dir = tmp_path_factory.mktemp("browser-mirror")
    with Mirror(profile="small") as mirror:
        mirror.write_sites_file(data_dir / "sites.json")
        target = next(r for r in mirror.wdtk.content.requests if r.body.url_name == "gloucestershire_police")
        mirror.wdtk.add_response(target.id, PLANTED_REPLY, state="successful")
        refresh(data_dir, sites_file=data_dir / "sites.json", mode="demo")
    with serving(data_dir) as url:
        yield url, f"wdtk:{target.id}"


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        yield page
        browser.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_no_injection(page):
    assert page.evaluate("typeof window.__injected") == "undefined", "scraped script ran"
    assert page.dialogs == []


def test_campaigner_visit(base_url, page):
    page.goto(base_url + "/")
    shot(page, "01-home")
    assert page.title().startswith("DEMO - UK police facial recognition")
    assert page.locator(".demo-notice").first.is_visible()

    page.get_by_role("link", name="Answers per force").click()
    page.wait_for_url(re.compile(r"/foi/force_status_wide"))
    assert page.locator(".demo-notice").first.is_visible()
    shot(page, "02-force-status")

    page.locator('.facet-info[data-column="lfr_use"] a', has_text=re.compile(r"^yes$")).click()
    page.wait_for_url(re.compile(r"lfr_use=yes"))
    shot(page, "03-facet-lfr-yes")
    names = page.locator("td.col-name").all_inner_texts()
    assert sorted(names) == ["Kent Police", "Metropolitan Police Service"]

    page.locator("td.col-force_id a", has_text="metropolitan").first.click()
    page.wait_for_url(re.compile(r"/foi/force_status_wide/metropolitan$"))
    shot(page, "04-force")

    page.locator(".row-links a", has_text="wdtk:1001:use:lfr").click()
    page.wait_for_url(re.compile(r"/foi/findings/"))
    shot(page, "05-finding")
    quote = "The MPS does use live facial recognition at planned deployments."
    assert page.locator("td.col-evidence_quote").inner_text() == quote
    original = page.locator("td.col-evidence_url a")
    assert original.get_attribute("href") == "http://127.0.0.1:8100/request/1001#incoming"

    page.locator(".row-links a", has_text="wdtk:1001:incoming").click()
    page.wait_for_url(re.compile(r"/foi/documents/"))
    shot(page, "06-document")
    text = page.locator("td.col-text").inner_text()
    assert quote in text
    # The planted markup shows as the characters the force's page held, and nothing ran.
    assert HOSTILE_TEXT.strip() in text
    assert page.locator("td.col-text img, td.col-text script").count() == 0
    assert_no_injection(page)

    page.locator(".row-links a", has_text="wdtk:1001").first.click()
    page.wait_for_url(re.compile(r"/foi/requests/"))
    shot(page, "07-request")
    assert page.locator("td.col-title").inner_text() == HOSTILE_TITLE
    assert_no_injection(page)

    page.goto(base_url + "/foi/force_timeline")
    page.fill('input[name="force_id"]', "metropolitan")
    page.locator('form.sql input[type="submit"]').click()
    page.wait_for_url(re.compile(r"force_id=metropolitan"))
    shot(page, "08-timeline")
    events = page.locator("td.col-event").all_inner_texts()
    assert events == ["request sent", "answer: dpia fr", "answer: use lfr", "exemption cited"]
    assert_no_injection(page)

    page.goto(base_url + "/")
    page.get_by_role("link", name="Downloads").first.click()
    page.wait_for_url(re.compile(r"/downloads$"))
    shot(page, "09-downloads")
    with page.expect_download() as download_info:
        page.locator('a[href="/downloads/DEMO-force_status_wide.csv"]').click()
    path = download_info.value.path()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = {row["force_id"]: row for row in csv.DictReader(handle)}
    assert rows["metropolitan"]["lfr_use"] == "yes"
    assert rows["kent"]["lfr_use"] == "yes"
    # Essex's NCND has confidence 0.5 in the sample: below the review threshold, so not shown as fact.
    assert (rows["essex"]["lfr_use"], rows["essex"]["lfr_use_candidate"]) == ("needs_review", "ncnd")


def test_markup_planted_in_the_mirror_shows_as_text_and_never_runs(mirror_site, page):
    base_url, request_id = mirror_site
    page.goto(f"{base_url}/foi/documents?request_id={request_id}&kind=response")
    shot(page, "10-mirror-planted-reply")
    page.locator("td.col-text").first.screenshot(path=str(ARTIFACTS / "10-mirror-planted-reply-text.png"))
    text = "\n".join(page.locator("td.col-text").all_inner_texts())
    assert "<script>window.__injected = 'script'</script>" in text
    assert "<img src=x onerror=" in text
    assert page.locator("td.col-text script, td.col-text img, td.col-text b").count() == 0
    assert_no_injection(page)

    page.goto(f"{base_url}/foi/search?q=injected")
    shot(page, "11-mirror-search")
    assert "<script>window.__[injected]" in "\n".join(page.locator("td.col-passage").all_inner_texts())
    assert_no_injection(page)
