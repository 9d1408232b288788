"""The raw items' declared shapes (scrapers/items.py) and the pipeline that refuses an item not of
its shape (scrapers/pipelines.py): a refused item is an error of the crawl naming the spider, the
URL and the field, never written and never the end of the crawl; and its request is fetched again
by the next crawl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from mirror import Mirror
from scrapers.items import LogRequest, WdtkRequest, problems
from scrapers.pipelines import ValidateItemPipeline
from scrapers.settings import ITEM_PIPELINES
from tests.logcrawl import crawl, items

ATTACHMENT = {"attachment_id": "3000002", "name": "Response.pdf", "url": "https://www.whatdotheyknow.com/a.pdf",
              "hidden": False, "sha256": "ab" * 32, "size": 250880, "served_content_type": "application/pdf",
              "sniffed_content_type": "application/pdf", "filename": "Response.pdf", "error": None,
              "display_size": "245K"}
WDTK_ITEM = {
    "item_type": "request", "source": "wdtk", "source_id": "900001", "force_id": "metropolitan",
    "body_url_name": "the_met", "site": "http://127.0.0.1:8100",
    "url": "https://www.whatdotheyknow.com/request/lfr", "url_title": "lfr", "title": "LFR",
    "created_at": "2024-01-10T09:15:02+00:00", "updated_at": "2024-02-20T16:40:11+00:00",
    "described_state": "successful", "awaiting_description": False, "calculated_status": "successful",
    "prominence": "normal", "law_used": "foi", "batch_id": None, "reference": None,
    "listing_signature": "incoming-1||successful", "json_sha256": "cd" * 32, "html_sha256": "ef" * 32,
    "fetched_at": "2026-11-30T05:00:00.000000Z",
    "messages": [{"message_id": "incoming-1", "direction": "incoming", "event_type": "response",
                  "author": "Met", "sent_at": None, "text": "Dear ...", "hidden": False,
                  "attachments": [ATTACHMENT]}],
}


class Spider:
    name = "wdtk"
    item_shapes = {"request": WdtkRequest}


def pipeline() -> ValidateItemPipeline:
    crawler = get_crawler()
    crawler.spider = Spider()
    crawler.stats.open_spider()
    return ValidateItemPipeline.from_crawler(crawler)


def broken(**changes) -> dict:
    item = json.loads(json.dumps(WDTK_ITEM))
    for path, value in changes.items():
        *parents, name = path.split("__")
        holder = item
        for part in parents:
            holder = holder[int(part)] if part.isdigit() else holder[part]
        if value is KeyError:
            del holder[name]
        else:
            holder[name] = value
    return item


def test_a_whole_item_passes_and_the_spiders_working_keys_are_not_checked():
    assert problems(WDTK_ITEM, WdtkRequest) == []
    assert problems({**WDTK_ITEM, "_listed_url": "x"}, WdtkRequest) == []
    assert pipeline().process_item(dict(WDTK_ITEM)) == WDTK_ITEM


@pytest.mark.parametrize("changes, said", [
    ({"url": KeyError}, "url: missing"),
    ({"messages__0__attachments__0__size": "250880"},
     "messages[0].attachments[0].size: str '250880', expected int or null"),
    ({"messages__0__direction": "sideways"},
     "messages[0].direction: str 'sideways', expected 'outgoing' or 'incoming' or 'annotation'"),
    ({"awaiting_description": 0}, "awaiting_description: int 0, expected bool or null"),
    ({"supplier": "Acme"}, "supplier: not a field of WdtkRequest"),
    ({"item_type": "requests"}, "item_type 'requests' is none of ['request']"),
])
def test_a_malformed_item_is_refused_with_the_spider_url_and_field(changes, said):
    validate = pipeline()
    with pytest.raises(DropItem) as refused:
        validate.process_item(broken(**changes))
    assert said in str(refused.value) and str(refused.value).startswith("wdtk item refused")
    stats = validate.crawler.stats
    assert stats.get_value("errors") == 1
    [failed] = stats.get_value("failed_urls")
    assert failed["force_id"] == "metropolitan" and said in failed["reason"]
    assert failed["url"] == (None if changes == {"url": KeyError} else WDTK_ITEM["url"])


def test_log_items_have_their_own_shape():
    assert "page_sha256: missing" in problems(dict(WDTK_ITEM, source="psni"), LogRequest)


# ---------------------------------------------------------------------------------------------
# over HTTP: the real spider, against the mirror, with an item spoiled on its way to the check

class SpoilItems:
    """A test pipeline placed before the check: drops one field of every `request` item."""

    def process_item(self, item):
        if item.get("item_type") == "request":
            del item["page_sha256" if "page_sha256" in item else "html_sha256"]
        return item


def spoiled() -> str:
    return "ITEM_PIPELINES=" + json.dumps({"tests.test_spider_items.SpoilItems": 100, **ITEM_PIPELINES})


def report(data_dir: Path, spider: str) -> dict:
    return json.loads(sorted((data_dir / "reports" / spider).glob("*.json"))[-1].read_text())


def test_a_refused_log_item_is_an_error_and_its_page_is_read_again_next_time(tmp_path):
    with Mirror() as mirror:
        result = crawl(mirror, tmp_path, "psni", "-s", spoiled())
        assert result.returncode == 0, result.stderr[-3000:]  # one error: under CRAWL_MAX_ERRORS
        assert items(tmp_path) == []
        first = report(tmp_path, "psni")
        [failed] = first["failed"]
        assert failed["url"].startswith("https://www.psni.police.uk/")
        assert failed["reason"] == "psni item refused, not written: page_sha256: missing"
        assert first["errors"] == 1 and not first["complete"]

        # Nothing of it was stored, and the entry was not taken as dealt with: read again.
        result = crawl(mirror, tmp_path, "psni")
        assert result.returncode == 0, result.stderr[-3000:]
        assert [item["url"] for item in items(tmp_path)] == [failed["url"]]
        assert report(tmp_path, "psni")["complete"]


def test_a_refused_wdtk_item_is_an_error_of_the_crawl_which_goes_on(tmp_path):
    with Mirror(profile="small") as mirror:
        result = crawl(mirror, tmp_path, "wdtk", "-a", "forces=cleveland", "-s", spoiled())
        written = report(tmp_path, "wdtk")
        assert written["requests_written"] > 0 and items(tmp_path) == []
        assert written["errors"] == len(written["failed"]) == written["requests_written"]
        assert {f["reason"] for f in written["failed"]} == {"wdtk item refused, not written: html_sha256: missing"}
        assert all(f["url"].startswith("https://www.whatdotheyknow.com/request/") for f in written["failed"])
        assert written["finish_reason"] == "finished"
        assert "item refused" in result.stderr
