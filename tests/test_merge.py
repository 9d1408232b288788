"""One request, several sources: a request on WhatDoTheyKnow republished in the force's log
(same force, same reference once normalised) becomes one request with both URLs and all
documents."""

from mirror import Mirror
from mirror.sites import soh, wdtk
from scrapers import rawstore
from tests.logcrawl import crawl
from transform.merge import blocked_sources, merge_sources


def wdtk_item(source_id, force_id, response_text, reference=None):
    return {"item_type": "request", "source": "wdtk", "source_id": source_id, "force_id": force_id,
            "url": f"https://www.whatdotheyknow.com/request/r{source_id}", "reference": reference,
            "created_at": "2023-02-01T10:00:00+00:00",
            "messages": [
                {"message_id": "outgoing-1", "direction": "outgoing", "text": "Dear force, our ref 99/99", "attachments": []},
                {"message_id": "incoming-2", "direction": "incoming", "text": response_text,
                 "attachments": [{"attachment_id": "3001", "url": "https://www.whatdotheyknow.com/a.pdf"}]},
            ]}


def log_item(source, force_id, reference, path):
    return {"item_type": "request", "source": source, "source_id": path, "force_id": force_id,
            "url": f"https://log.example{path}", "reference": reference, "created_at": "2023-02-01",
            "messages": [
                {"message_id": "log-request", "direction": "outgoing", "text": "Q1 ...", "attachments": []},
                {"message_id": "log-response", "direction": "incoming", "text": "Response: ...",
                 "attachments": [{"attachment_id": f"{source}:{path}a.pdf", "url": f"https://log.example{path}a.pdf"}]},
            ]}


def test_same_force_and_reference_in_another_form_is_one_request():
    items = [wdtk_item("1", "northumbria", "Dear requester,\n\nOur ref: 382/23\n\nNot held."),
             log_item("northumbria", "northumbria", "382 - 23", "/log/facial-recognition-38223/")]
    [merged] = merge_sources(items)
    assert (merged["source"], merged["source_id"], merged["reference"]) == ("wdtk", "1", "382/23")
    assert merged["other_urls"] == ["https://log.example/log/facial-recognition-38223/"]
    assert merged["merged_from"] == ["northumbria:/log/facial-recognition-38223/"]
    ids = [m["message_id"] for m in merged["messages"]]
    assert ids == ["outgoing-1", "incoming-2", "northumbria-log-request", "northumbria-log-response"]
    assert len({a["attachment_id"] for m in merged["messages"] for a in m["attachments"]}) == 2
    assert items[0]["messages"] != merged["messages"], "the input item is left as it was"


def test_the_requesters_reference_and_other_forces_do_not_merge():
    items = [wdtk_item("1", "northumbria", "No reference given."),  # "our ref 99/99" is the requester's text
             log_item("soh", "northumbria", "99/99", "/a/"),
             wdtk_item("2", "cleveland", "Enquiry Reference: 382/23"),
             log_item("northumbria", "northumbria", "382/23", "/b/")]
    assert len(merge_sources(items)) == 4


def test_without_a_wdtk_request_the_log_items_merge_under_one_of_them():
    items = [log_item("wmp", "west-midlands", "330A/23", "/x/"), log_item("soh", "west-midlands", "330a-23", "/y/")]
    [merged] = merge_sources(items)
    assert merged["source"] == "soh" and merged["other_urls"] == ["https://log.example/x/"]


def test_two_wdtk_requests_sharing_a_reference_are_not_guessed_between():
    items = [wdtk_item("1", "essex", "Our ref: 16552"), wdtk_item("2", "essex", "Our ref: 16552"),
             log_item("soh", "essex", "16552", "/z/")]
    assert len(merge_sources(items)) == 3


def test_a_request_on_the_wdtk_mirror_and_the_met_log_becomes_one(tmp_path):
    """Both spiders over HTTP, then the merge: the Met's "Live facial recognition deployments"
    is on WhatDoTheyKnow (01/FOI/24/034567) and in the Met's log (01.FOI.24.034567)."""
    with Mirror(sites=[wdtk.build(profile="small"), *soh.build()]) as mirror:
        for spider in ("wdtk", "soh"):
            result = crawl(mirror, tmp_path, spider, "-a", "forces=metropolitan")
            assert result.returncode == 0, result.stderr[-3000:]
    latest = list(rawstore.latest_items(tmp_path).values())
    merged = merge_sources(latest)
    [request] = [r for r in merged if "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/"
                 "february-2024/live-facial-recognition-deployments/" in r.get("other_urls", [])]
    assert request["source"] == "wdtk" and request["url"].startswith("https://www.whatdotheyknow.com/request/")
    assert request["reference"] == "01/FOI/24/034567"
    attachments = [a["url"] for m in request["messages"] for a in m["attachments"]]
    assert any("whatdotheyknow.com" in url for url in attachments)
    assert any("/SysSiteAssets/foi-media/metropolitan-police/" in url for url in attachments)
    assert len(merged) == len(latest) - 1


def test_blocked_sources_are_those_of_each_spiders_latest_run(tmp_path):
    def run(spider, run_id, *items):
        writer = rawstore.ItemWriter(tmp_path, spider, run_id)
        for item in items:
            writer.write(item)
        writer.close()

    blocked = {"item_type": "source_blocked", "source": "soh", "force_id": "hampshire", "status": 403,
               "url": "https://www.hampshire.police.uk/x", "reason": "HTTP 403 with a JavaScript challenge page"}
    run("soh", "20260101T000000000000Z", blocked, dict(blocked, force_id="kent", status=429))
    run("soh", "20260108T000000000000Z", blocked, log_item("soh", "essex", "1", "/e/"))
    run("psni", "20260101T000000000000Z", dict(blocked, source="psni", force_id="northern-ireland", status=429))
    run("psni", "20260108T000000000000Z", log_item("psni", "northern-ireland", "FOI/1", "/p/"))
    assert [(b["source"], b["force_id"], b["status"]) for b in blocked_sources(tmp_path)] == [("soh", "hampshire", 403)]
