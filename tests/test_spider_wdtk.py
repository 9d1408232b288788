"""The real `wdtk` spider, run as `scrapy crawl` in a subprocess, over HTTP against the local
mirror (mirror.Mirror). The expected output is read from the mirror's own content model, so
each test says what the site holds and what the raw layer must then contain."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mirror import Fault, Mirror
from mirror.sites.wdtk.search import Query, search
from reference import technologies
from reference.registry import load_forces
from scrapers import rawstore

REPO = Path(__file__).resolve().parents[1]
SCRAPY = Path(sys.executable).parent / "scrapy"
REAL = "https://www.whatdotheyknow.com"
# The spider's default queries: the technology registry's WhatDoTheyKnow search terms.
QUERIES = technologies.search_terms("wdtk")
# The mirror's renamed body (mirror/content/wdtk/site.yaml): the registry still has the old name.
DYFED_RENAME = {"force_id": "dyfed-powys", "old": "dyfed_powys_police", "new": "heddlu_dyfed_powys"}


def crawl_command(mirror: Mirror, data_dir: Path, *extra: str) -> list[str]:
    sites = data_dir / "sites.json"
    mirror.write_sites_file(sites)
    return [str(SCRAPY), "crawl", "wdtk", "-s", f"DATA_DIR={data_dir}", "-s", f"SITE_URLS_FILE={sites}", *extra]


def crawl(mirror: Mirror, data_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_command(mirror, data_dir, *extra), cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def all_items(data_dir: Path) -> list[dict]:
    return list(rawstore.iter_items(data_dir, "wdtk"))


def latest(data_dir: Path) -> dict[str, dict]:
    return {source_id: item for (_, source_id), item in rawstore.latest_items(data_dir).items()}


def last_report(data_dir: Path) -> dict:
    reports = sorted((data_dir / "reports" / "wdtk").glob("*.json"))
    return json.loads(reports[-1].read_text())


def expected_requests(mirror: Mirror, force_ids=None) -> dict[int, object]:
    """What the mirror lists for the query under every registry force: the spider's target."""
    content, wanted = mirror.wdtk.content, {}
    for force in load_forces():
        if not force.wdtk_url_name or (force_ids and force.force_id not in force_ids):
            continue
        body = content.bodies.get(force.wdtk_url_name) or content.historic_url_names.get(force.wdtk_url_name)
        if body is not None:
            for query in QUERIES:
                for request, _ in search(content.body_requests(body), Query.parse(query)):
                    wanted[request.id] = request
    return wanted


def paths(mirror: Mirror) -> list[str]:
    return [entry["path"] for entry in mirror.access_log]


# ---------------------------------------------------------------------------------------------
# one crawl of the mirror's hand-written cases ("small" profile), shared by the per-case tests

@pytest.fixture(scope="module")
def full(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("wdtk-cases")
    with Mirror(profile="small") as mirror:
        result = crawl(mirror, data_dir)
        yield {"mirror": mirror, "data_dir": data_dir, "result": result, "items": latest(data_dir),
               "log": list(mirror.access_log)}


def test_full_mirror_crawl_accounts_for_every_force(tmp_path):
    """The whole mirror: 49 forces, generated bulk, a force past the 20-page listing cap."""
    with Mirror(profile="full") as mirror:
        result = crawl(mirror, tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
        report = last_report(tmp_path)
        forces = [f.force_id for f in load_forces() if f.wdtk_url_name]
        assert len(forces) == 49 and sorted(report["forces"]) == sorted(forces)
        assert report["ok"] and report["errors"] == 0
        expected = expected_requests(mirror)
        assert sorted(latest(tmp_path)) == sorted(str(i) for i in expected)
        assert report["requests_written"] == len(expected)
        for force_id, row in report["forces"].items():
            assert row["listed"] >= row["items"]
        # more than 20 pages * 25 requests: listed through date splits (spec §1.5), decided on page
        # 20 itself (a body page prints no count, §10.1), never asking for page 21
        big = [f for f, row in report["forces"].items() if row["items"] > 500]
        assert big and "request_date_after=" in " ".join(e["path"] for e in mirror.access_log)
        assert "/body/the_met?query=facial+recognition&page=20" in paths(mirror)
        assert not [e for e in mirror.access_log if "page=21" in e["path"]]
        # Dyfed-Powys was renamed on the site (spec §10.2): named in the report, listed all the same
        assert report["renamed_bodies"] == [DYFED_RENAME]
        assert "crawl report" in result.stderr


def test_cases_crawl_succeeds(full):
    assert full["result"].returncode == 0, full["result"].stderr[-3000:]
    report = last_report(full["data_dir"])
    assert report["ok"] and report["errors"] == 0
    assert sorted(full["items"]) == sorted(str(i) for i in expected_requests(full["mirror"]))


def test_each_request_written_once_with_canonical_urls(full):
    items = all_items(full["data_dir"])
    ids = [item["source_id"] for item in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert item["site"] == full["mirror"].base_url(REAL)
        assert item["url"] == f"{REAL}/request/{item['url_title']}"
        urls = [a["url"] for m in item["messages"] for a in m["attachments"] if a["url"]]
        for url in [item["url"], *urls]:
            assert url.startswith(REAL + "/request/")
            assert not any(noise in url for noise in ("#", "cookie_passthrough", "utm_", "/cy/", "locale="))


def test_polite_and_robots_allowed_requests_only(full):
    log = full["log"]
    assert log[0]["path"] == "/robots.txt"
    for entry in log:
        headers = entry["request_headers"]
        assert headers["User-Agent"].startswith("police-surveillance-foi/")
        assert "Cookie" not in headers  # cookies off: a locale cookie can never switch to Welsh
        assert headers.get("Accept-Language") == "en-GB,en"
        assert not entry["path"].startswith(("/search", "/feed", "/cy/")), entry["path"]
        assert "/feed" not in entry["path"] and "/similar" not in entry["path"]


def test_raw_layer_holds_every_body_fetched(full):
    data_dir = full["data_dir"]
    for item in full["items"].values():
        stored_json = json.loads(rawstore.file_path(data_dir, item["json_sha256"]).read_bytes())
        assert stored_json["id"] == int(item["source_id"])
        assert b"request-header" in rawstore.file_path(data_dir, item["html_sha256"]).read_bytes()


# ---------------------------------------------------------------------------------------------
# one test per mirror case: what the site holds, and what the spider made of it

def _attachments(request):
    return [(m, a) for m in request.incoming_messages for a in m.attachments]


def _item_attachment(item, attachment):
    return next(a for m in item["messages"] for a in m["attachments"] if a["attachment_id"] == str(attachment.id))


def _messages(item, direction):
    return [m for m in item["messages"] if m["direction"] == direction]


def check_successful_with_files(request, item, full):
    for message, attachment in _attachments(request):
        if message.hidden or attachment.hidden or attachment.erased:
            continue
        got = _item_attachment(item, attachment)
        assert got["name"] == attachment.display_filename
        assert got["url"] == REAL + request.attachment_url(message, attachment)
        assert got["served_content_type"] == attachment.content_type
        stored = rawstore.file_path(full["data_dir"], got["sha256"]).read_bytes()
        assert got["size"] == len(stored) > 0 and got["error"] is None and got["display_size"]
    assert item["described_state"] == request.described_state and item["awaiting_description"] is False


def check_rejected(request, item, full):
    assert item["described_state"] == "rejected" and item["calculated_status"] == "rejected"


def check_awaiting_classification(request, item, full):
    assert item["awaiting_description"] is True and item["calculated_status"] == "waiting_classification"


def check_very_overdue(request, item, full):
    assert item["described_state"] == "waiting_response"
    assert item["calculated_status"] == "waiting_response_very_overdue"


def check_batch_member(request, item, full):
    assert item["batch_id"] == str(request.batch_id)


def check_hidden_message_and_attachment(request, item, full):
    hidden_ids = {f"incoming-{m.id}" for m in request.incoming_messages if m.hidden}
    assert hidden_ids and {m["message_id"] for m in item["messages"] if m["hidden"]} >= hidden_ids
    for message in item["messages"]:
        if message["hidden"]:
            assert message["text"] == "" and message["sent_at"]
    for _, attachment in _attachments(request):
        if attachment.hidden:
            got = [a for m in item["messages"] for a in m["attachments"] if a["attachment_id"] == str(attachment.id)]
            if got:  # a hidden message shows no attachment list at all
                got = got[0]
                assert got["hidden"] and got["url"] is None and got["sha256"] is None


def check_annotation(request, item, full):
    comments = [e.comment for e in request.events if e.comment and e.comment.visible]
    annotations = _messages(item, "annotation")
    assert [a["message_id"] for a in annotations] == [f"comment-{c.id}" for c in comments]
    for comment, got in zip(comments, annotations):
        assert got["author"] == comment.user.name and got["event_type"] == "comment"
        assert " ".join(got["text"].split()) == " ".join(comment.text.split())


def check_resent(request, item, full):
    outgoing = _messages(item, "outgoing")
    assert [m["message_id"] for m in outgoing] == [f"outgoing-{m.id}" for m in request.outgoing_messages]


def check_masked_text(request, item, full):
    text = "\n".join(m["text"] for m in item["messages"])
    assert "[email address]" in text or "[FOI #" in text or "[mobile number]" in text


def check_wait_page(request, item, full):
    for message, attachment in _attachments(request):
        if attachment.wait:
            got = _item_attachment(item, attachment)
            assert got["sha256"] and got["error"] is None
    assert any(path.startswith("/attachments/") for path in (e["path"] for e in full["log"]))


def check_jpeg_as_octet_stream(request, item, full):
    for _, attachment in _attachments(request):
        if attachment.extension == "jpeg" and not attachment.hidden and not attachment.erased:
            got = _item_attachment(item, attachment)
            assert got["served_content_type"] == "application/octet-stream"
            assert got["sniffed_content_type"] == "image/jpeg"


def check_zip(request, item, full):
    zips = [a for _, a in _attachments(request) if a.extension == "zip" and not a.hidden and not a.erased]
    for attachment in zips:
        got = _item_attachment(item, attachment)
        assert got["served_content_type"] == "application/zip" and got["sniffed_content_type"] == "application/zip"


def check_internal_review(request, item, full):
    followups = [m["message_id"] for m in _messages(item, "outgoing") if m["event_type"] == "followup_sent"]
    assert followups == [f"outgoing-{e.outgoing.id}" for e in request.events if e.event_type == "followup_sent"]


def check_eir(request, item, full):
    assert item["law_used"] == "eir"


def check_erased_attachment(request, item, full):
    for _, attachment in _attachments(request):
        if attachment.erased:
            got = _item_attachment(item, attachment)
            assert got["hidden"] and got["url"] is None and got["sha256"] is None
            assert got["name"] == attachment.display_filename and "erased" in got["error"]


def check_requester_only_message(request, item, full):
    ids = {f"{m.direction}-{m.id}" for m in request.incoming_messages + request.outgoing_messages
           if m.prominence == "requester_only"}
    got = {m["message_id"]: m for m in item["messages"]}
    assert all(got[i]["hidden"] and got[i]["text"] == "" for i in ids)


def _files(request):
    """The extensions of a request's attachments an anonymous visitor can download."""
    return {a.extension for _, a in _attachments(request) if not a.hidden and not a.erased}


def _has_text(request, *marks):
    messages = [m for m in request.incoming_messages + request.outgoing_messages if not m.hidden]
    return any(mark in m.text for m in messages for mark in marks)


# case name -> (finder(mirror request, mirror's today) -> bool, check(request, item, full))
CASES = {
    "response_with_pdf_and_xlsx": (
        lambda r, today: r.described_state in ("successful", "partially_successful")
        and not r.awaiting_description and {"pdf", "xlsx"} <= _files(r),
        check_successful_with_files),
    "rejected": (
        lambda r, today: r.described_state == "rejected" and not r.awaiting_description, check_rejected),
    "awaiting_classification": (lambda r, today: r.awaiting_description, check_awaiting_classification),
    "very_overdue": (
        lambda r, today: r.calculated_status(today) == "waiting_response_very_overdue", check_very_overdue),
    "batch_member": (lambda r, today: r.batch_id is not None, check_batch_member),
    "hidden_message_and_attachment": (
        lambda r, today: any(m.hidden for m in r.incoming_messages) and any(a.hidden for _, a in _attachments(r)),
        check_hidden_message_and_attachment),
    "annotation": (
        lambda r, today: any(e.comment and e.comment.visible for e in r.events), check_annotation),
    "resent_duplicate_outgoing": (
        lambda r, today: any(e.event_type == "resent" for e in r.events), check_resent),
    "masked_text": (
        lambda r, today: _has_text(r, "[email address]", "{foi_email}", "[FOI #", "[mobile number]"),
        check_masked_text),
    "attachment_wait_page": (
        lambda r, today: any(a.wait and not a.hidden for _, a in _attachments(r)), check_wait_page),
    "jpeg_served_as_octet_stream": (lambda r, today: "jpeg" in _files(r), check_jpeg_as_octet_stream),
    "zip_attachment": (lambda r, today: "zip" in _files(r), check_zip),
    "internal_review_followup": (
        lambda r, today: any(e.event_type == "followup_sent" and e.described_state == "internal_review"
                             for e in r.events),
        check_internal_review),
    "eir_request": (lambda r, today: r.law_used == "eir", check_eir),
    "erased_attachment": (
        lambda r, today: any(a.erased for _, a in _attachments(r)), check_erased_attachment),
    "requester_only_message": (
        lambda r, today: any(m.prominence == "requester_only" for m in r.incoming_messages + r.outgoing_messages),
        check_requester_only_message),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_mirror_case(full, case):
    finder, check = CASES[case]
    today = full["mirror"].wdtk.content.today
    matching = [r for r in expected_requests(full["mirror"]).values() if finder(r, today)]
    assert matching, f"the mirror lists no request for case {case}"
    for request in matching:
        item = full["items"][str(request.id)]
        assert item["url_title"] == request.url_title and item["title"] == request.title
        check(request, item, full)


def test_unlisted_requests_are_never_fetched(full):
    content = full["mirror"].wdtk.content
    hidden = [r for r in content.requests if not r.searchable]
    assert hidden, "the mirror has no hidden or backpage request"
    fetched = [e["path"] for e in full["log"]]
    for request in hidden:
        assert str(request.id) not in full["items"]
        assert not any(p.startswith(f"/request/{request.url_title}") for p in fetched)


# ---------------------------------------------------------------------------------------------
# incremental refresh, faults, monitors, resume

def test_refresh_fetches_only_what_changed(tmp_path):
    with Mirror(profile="small") as mirror:
        assert crawl(mirror, tmp_path).returncode == 0
        first = latest(tmp_path)
        mirror.log.clear()

        second = crawl(mirror, tmp_path)
        assert second.returncode == 0, second.stderr[-3000:]
        log = paths(mirror)
        # Listings are still read, as conditional requests the unchanged mirror answers with 304
        # (but for the renamed body's old name, a 302 until reference/forces.csv is updated).
        listings = [e for e in mirror.access_log if e["path"].startswith("/body/")
                    and not e["path"].startswith(f"/body/{DYFED_RENAME['old']}?")]
        assert listings and [(e["status"], e["path"]) for e in listings
                             if e["status"] != 304 or "If-None-Match" not in e["request_headers"]] == []
        assert not [p for p in log if "/attach/" in p or p.startswith("/attachments/")]
        assert not [p for p in log if p.startswith("/request/")]
        assert last_report(tmp_path)["requests_unchanged"] == len(first)

        # One request gets a new response with a new attachment: only it is fetched again.
        target = next(r for r in expected_requests(mirror, {"metropolitan"}).values() if _attachments(r))
        message = mirror.wdtk.add_response(
            target.id, "Dear requester,\n\nFurther to our response on facial recognition, a correction is attached.",
            attachments=[{"name": "Correction letter.pdf", "text": "Corrected figures for facial recognition."}],
            state="successful")
        new_attachment = message.attachments[0]
        mirror.log.clear()
        third = crawl(mirror, tmp_path)
        assert third.returncode == 0, third.stderr[-3000:]
        fetched = [p for p in paths(mirror) if not p.startswith(("/body/", "/robots.txt"))]
        assert sorted(fetched) == sorted([
            f"/request/{target.url_title}.json", f"/request/{target.url_title}",
            target.attachment_url(message, new_attachment)])
        item = latest(tmp_path)[str(target.id)]
        assert f"incoming-{message.id}" in [m["message_id"] for m in item["messages"]]
        old = {a["attachment_id"]: a["sha256"] for m in first[str(target.id)]["messages"] for a in m["attachments"]}
        now = {a["attachment_id"]: a["sha256"] for m in item["messages"] for a in m["attachments"]}
        assert {k: now[k] for k in old} == old and now[str(new_attachment.id)]
        assert len(all_items(tmp_path)) == len(first) + 1


def test_old_stored_requests_are_rechecked_through_their_json_only(tmp_path):
    with Mirror(profile="small") as mirror:
        assert crawl(mirror, tmp_path, "-a", "forces=metropolitan,staffordshire").returncode == 0
        first = latest(tmp_path)
        mirror.log.clear()
        # Age limit 0: every stored request is older than it, so each JSON is read again; the
        # updated_at values have not moved, so no page and no attachment is fetched.
        again = crawl(mirror, tmp_path, "-a", "forces=metropolitan,staffordshire", "-s", "WDTK_RECHECK_DAYS=0")
        assert again.returncode == 0, again.stderr[-3000:]
        fetched = [p for p in paths(mirror) if p.startswith(("/request/", "/attachments/"))]
        assert sorted(fetched) == sorted(f"/request/{item['url_title']}.json" for item in first.values())
        now = latest(tmp_path)
        assert {k: v["messages"] for k, v in now.items()} == {k: v["messages"] for k, v in first.items()}
        assert all(now[k]["fetched_at"] > first[k]["fetched_at"] for k in first)


def test_transient_faults_are_retried_and_recorded(tmp_path):
    with Mirror(profile="small") as mirror:
        expected = expected_requests(mirror, {"metropolitan"})
        mirror.add_fault(REAL, Fault(r"^/body/the_met", "status", status=503, times=2))
        mirror.add_fault(REAL, Fault(r"/attach/", "truncate", times=1))
        mirror.add_fault(REAL, Fault(r"^/request/[^/]+\.json", "reset", times=1))
        result = crawl(mirror, tmp_path, "-a", "forces=metropolitan")
        assert result.returncode == 0, result.stderr[-3000:]
        report = last_report(tmp_path)
        # the reset is retried inside Twisted's connection pool, so Scrapy counts 503 x2 + data loss
        assert report["retries"] >= 3 and report["errors"] == 0 and report["http_status"]["503"] == 2
        assert sorted(latest(tmp_path)) == sorted(str(i) for i in expected)


def test_attachment_failure_is_recorded_not_dropped(tmp_path):
    with Mirror(profile="small") as mirror:
        mirror.add_fault(REAL, Fault(r"/attach/", "status", status=500, times=None))
        result = crawl(mirror, tmp_path, "-a", "forces=metropolitan", "-s", "CRAWL_MAX_ERRORS=100",
                       "-s", "RETRY_TIMES=1")
        assert result.returncode == 0, result.stderr[-3000:]
        items = latest(tmp_path)
        assert sorted(items) == sorted(str(i) for i in expected_requests(mirror, {"metropolitan"}))
        attachments = [a for item in items.values() for m in item["messages"] for a in m["attachments"] if a["url"]]
        assert attachments and all(a["sha256"] is None and "HTTP 500" in a["error"] for a in attachments)


def test_attachments_named_like_site_routes_are_downloaded(tmp_path):
    # WDTK puts the filename last in an attachment URL (spec §1.2); a file named "new" or "feed"
    # is a file, not the /new/ or /feed/ route robots.txt forbids (its attachment Allow wins).
    names = ["new", "feed", "track", "report"]
    with Mirror(profile="small") as mirror:
        target = next(iter(expected_requests(mirror, {"metropolitan"}).values()))
        message = mirror.wdtk.add_response(
            target.id, "Dear requester,\n\nOur answer on facial recognition is attached.", state="successful",
            attachments=[{"name": name, "format": "txt", "text": f"Facial recognition, part {name}."} for name in names])
        result = crawl(mirror, tmp_path, "-a", "forces=metropolitan")
        assert result.returncode == 0, result.stderr[-3000:]
        assert last_report(tmp_path)["errors"] == 0
        item = latest(tmp_path)[str(target.id)]
        for attachment in message.attachments:
            stored = _item_attachment(item, attachment)
            assert stored["url"] == REAL + target.attachment_url(message, attachment)
            assert stored["error"] is None and stored["sha256"], stored
        fetched = {e["path"]: e["status"] for e in mirror.access_log}
        assert all(fetched[target.attachment_url(message, a)] == 200 for a in message.attachments)


def test_wait_page_retries_are_bounded(tmp_path):
    with Mirror(profile="small") as mirror:
        waiting = [r for r in expected_requests(mirror).values()
                   if any(a.wait and not a.hidden for _, a in _attachments(r))]
        assert waiting, "the mirror has no attachment behind a wait page"
        force = next(f.force_id for f in load_forces() if f.wdtk_url_name in
                     (waiting[0].body.url_name, *waiting[0].body.historic_url_names))
        result = crawl(mirror, tmp_path, "-a", f"forces={force}", "-s", "WDTK_WAIT_RETRIES=0",
                       "-s", "CRAWL_MAX_ERRORS=100")
        item = latest(tmp_path)[str(waiting[0].id)]
        errors = [a["error"] for m in item["messages"] for a in m["attachments"] if a["error"]]
        assert any("still being prepared" in e for e in errors), result.stderr[-3000:]


def test_failed_listing_fails_the_crawl(tmp_path):
    with Mirror(profile="small") as mirror:
        mirror.add_fault(REAL, Fault(r"^/body/kent_police", "status", status=500, times=None))
        result = crawl(mirror, tmp_path, "-a", "forces=kent,essex")
        assert result.returncode == 1
        report = last_report(tmp_path)
        assert report["failures"] == ["kent: its listing could not be read"]
        assert report["forces"]["essex"]["items"] > 0 and "FAILED: kent" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_crawl_resumes_with_each_request_once(tmp_path, sig):
    with Mirror(profile="small") as mirror:
        expected = expected_requests(mirror)
        # Request pages are slowed until three items are written, then held 10 s each, so the kill
        # lands mid-crawl however fast the machine is (the rest of the crawl cannot finish in the
        # moment before the kill), and a SIGINT's graceful stop, which lets the page in flight
        # finish, takes at most 10 s more.
        slow = mirror.add_fault(REAL, Fault(r"^/request/[^/]+$", "delay", seconds=0.15, times=None))
        process = subprocess.Popen(crawl_command(mirror, tmp_path), cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120  # only how long a broken crawl is waited for
        while len(all_items(tmp_path)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        slow.seconds = 10
        os.kill(process.pid, sig)
        process.wait(timeout=60)
        slow.times = 0  # the resumed crawl runs at full speed
        before = len(all_items(tmp_path))
        assert 3 <= before < len(expected)

        resumed = crawl(mirror, tmp_path)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        ids = [item["source_id"] for item in all_items(tmp_path)]
        assert sorted(ids) == sorted(str(i) for i in expected)  # every request, each exactly once


def test_a_request_json_that_is_not_json_is_an_error_not_a_crash(tmp_path):
    with Mirror(profile="small") as mirror:
        expected = expected_requests(mirror, {"metropolitan"})
        mirror.add_fault(REAL, Fault(r"^/request/[^/]+\.json", "status", status=200, times=1))
        result = crawl(mirror, tmp_path, "-a", "forces=metropolitan")
        report = last_report(tmp_path)
        assert report["errors"] == 1 and report["forces"]["metropolitan"]["errors"] == 1
        assert "did not answer JSON" in result.stderr and "Traceback" not in result.stderr
        assert len(latest(tmp_path)) == len(expected) - 1  # the next refresh fetches the missing one
        assert crawl(mirror, tmp_path, "-a", "forces=metropolitan").returncode == 0
        assert sorted(latest(tmp_path)) == sorted(str(i) for i in expected)


def test_a_sites_file_without_wdtk_never_falls_back_to_the_live_site(tmp_path):
    sites = tmp_path / "sites.json"
    sites.write_text('{"https://www.example.police.uk": "http://127.0.0.1:9"}')
    env = {**os.environ, "FOI_CRAWL_CONTACT": "tests@example.org"}
    command = [str(SCRAPY), "crawl", "wdtk", "-s", f"DATA_DIR={tmp_path}", "-s", f"SITE_URLS_FILE={sites}"]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "does not map https://www.whatdotheyknow.com" in result.stderr
    assert not (tmp_path / "raw").exists()
