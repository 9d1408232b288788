"""The WhatDoTheyKnow mirror serves the real site's formats (../shared/specs/whatdotheyknow.md),
checked over real HTTP."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from mirror import Mirror

WDTK = "https://www.whatdotheyknow.com"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(base: str, path: str, headers: dict | None = None):
    """(status, headers, body) without following redirects."""
    request = urllib.request.Request(base + path, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def mirror():
    # The hand-written cases only: listings here are small enough to count by hand.
    with Mirror(profile="small") as m:
        yield m


@pytest.fixture(scope="module")
def base(mirror):
    return mirror.base_url(WDTK)


def get_json(base, path):
    status, headers, body = fetch(base, path)
    assert status == 200, (path, status)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(body)


def slug_for(mirror, body_url_name: str, title_start: str) -> str:
    return next(r.url_title for r in mirror.wdtk.content.requests
                if r.body.url_name == body_url_name and r.title.startswith(title_start))


def test_sites_mapping(mirror, base):
    assert list(mirror.sites)[0] == WDTK  # the first site family: it gets the base port
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)


def test_robots_txt_is_the_alaveteli_default(base):
    status, headers, body = fetch(base, "/robots.txt")
    lines = body.decode().splitlines()
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert lines[0].startswith("# ") and lines[2] == "User-agent: *"
    assert "Disallow: */search/*" in lines and "Disallow: */feed/*" in lines
    assert lines.index("Allow: */request/*/response/*/attach/*") + 1 == lines.index("Disallow: */request/*/response/*")
    assert lines[-1] == "Disallow: */request/*/upload"
    assert not any(line.startswith(("Crawl-delay", "Sitemap")) for line in lines)


def test_request_json_keys_types_and_order(mirror, base):
    slug = slug_for(mirror, "the_met", "Live facial recognition deployments")
    data = get_json(base, f"/request/{slug}.json")
    assert list(data) == ["id", "url_title", "title", "created_at", "updated_at", "described_state",
                          "display_status", "awaiting_description", "prominence", "law_used", "tags", "user",
                          "public_body", "info_request_events"]
    assert data["url_title"] == slug and data["described_state"] == "successful"
    assert data["awaiting_description"] is False
    iso_ms = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"
    assert re.fullmatch(iso_ms, data["created_at"]) and re.fullmatch(iso_ms, data["updated_at"])
    assert list(data["user"]) == ["id", "url_name", "name", "ban_text", "about_me"]
    assert list(data["public_body"]) == ["id", "url_name", "name", "short_name", "created_at", "updated_at",
                                         "home_page", "notes", "publication_scheme", "disclosure_log", "tags", "info"]
    events = data["info_request_events"]
    assert [e["event_type"] for e in events][0] == "sent"
    assert {"response", "status_update", "comment"} <= {e["event_type"] for e in events}
    for event in events:
        assert list(event)[:9] == ["id", "event_type", "created_at", "described_state", "calculated_state",
                                   "last_described_at", "incoming_message_id", "outgoing_message_id", "comment_id"]
        assert ("display_status" in event) == bool(event["incoming_message_id"] or event["outgoing_message_id"])
    assert [e["created_at"] for e in events] == sorted(e["created_at"] for e in events)
    # The classified response carries the state; the acknowledgement before it does not.
    responses = [e for e in events if e["event_type"] == "response"]
    assert responses[-1]["calculated_state"] == "successful" and responses[0]["calculated_state"] is None


def test_london_offsets_in_summer_and_winter(mirror, base):
    slug = slug_for(mirror, "the_met", "Facial recognition watchlist sizes")
    events = get_json(base, f"/request/{slug}.json")["info_request_events"]
    assert events[0]["created_at"].endswith("+01:00")  # May: British Summer Time
    slug = slug_for(mirror, "the_met", "Live facial recognition deployments")
    assert get_json(base, f"/request/{slug}.json")["created_at"].endswith("+00:00")


def test_body_json(base):
    data = get_json(base, "/body/the_met.json")
    assert data["url_name"] == "the_met" and data["name"] == "Metropolitan Police Service"
    assert ["police_force", None] in data["tags"]
    assert list(data["info"]) == ["requests_count", "requests_successful_count", "requests_not_held_count",
                                  "requests_overdue_count", "requests_visible_classified_count"]


def test_request_page_markup(mirror, base):
    slug = slug_for(mirror, "the_met", "Live facial recognition deployments")
    status, headers, body = fetch(base, f"/request/{slug}")
    html = body.decode()
    assert status == 200
    assert headers["Cache-Control"] == "max-age=3600, public"
    assert headers["Vary"] == "Cookie" and headers["Content-Language"] == "en"
    assert '<div class="request-header">\n    <div class="row">\n    <h1>Live facial recognition deployments</h1>' in html
    assert re.search(r'<p class="request-header__subtitle">\s*<a href="/user/a_campaigner">A\. Campaigner</a>', html)
    assert '<a href="/body/the_met">Metropolitan Police Service</a>' in html
    assert 'id="request_status" class="request-status-message request-status-message--successful"' in html
    assert re.search(r'<div class="outgoing correspondence js-collapsible" id="outgoing-\d+">', html)
    assert re.search(r'<div class="incoming correspondence normal js-collapsible" id="incoming-\d+">', html)
    assert "Information Rights Unit, Metropolitan Police Service" in html
    assert re.search(r'<a href="#incoming-\d+" class="correspondence__header__date"><time datetime="2024-02-07T11:02:44\+00:00" '
                     r'title="2024-02-07 11:02:44 \+0000"> 7 February 2024</time></a>', html)
    assert re.search(r'<div class="correspondence_text">\s*<div class="attachments">', html)
    assert re.search(r'<div id="attachment-\d+">\s*<p>Dear A\. Campaigner,</p>', html)
    item = re.search(r'<li class="attachment" id="attachment-(\d+)">(.*?)</li>', html, re.S).group(2)
    assert '<p class="attachment__name">01 FOI 24 034567 Response.pdf</p>' in item
    assert re.search(r'<p class="attachment__meta">\s*\d+K\s', item)
    assert re.search(r'/attach/2/01%20FOI%2024%20034567%20Response\.pdf\?cookie_passthrough=1">Download</a>', item)
    assert re.search(r'/attach/html/2/01%20FOI%2024%20034567%20Response\.pdf\.html">View</a>', item)
    assert re.search(r'<div class="comment_in_request box" id="comment-\d+">', html)
    assert '<div class="comment_in_request_text">' in html


def test_numeric_request_urls_redirect_to_the_slug(mirror, base):
    request = next(r for r in mirror.wdtk.content.requests if r.body.url_name == "nyp")
    status, headers, _ = fetch(base, f"/request/{request.id}")
    assert status == 301 and headers["Location"] == f"/request/{request.url_title}"
    status, headers, _ = fetch(base, f"/request/{request.id}.json")
    assert status == 301 and headers["Location"] == f"/request/{request.url_title}.json"


def test_attachment_download_headers(mirror, base):
    slug = slug_for(mirror, "south_wales_police", "Live facial recognition and DPIA")
    request = mirror.wdtk.content.by_slug[slug]
    message = request.incoming_messages[-1]
    status, headers, body = fetch(base, f"/request/{slug}/response/{message.id}/attach/2/DPIA.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="DPIA.pdf"'
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    # The same bytes every time: hashes must be stable across runs.
    assert fetch(base, f"/request/{slug}/response/{message.id}/attach/2/DPIA.pdf")[2] == body


def test_attachment_filename_rules(mirror, base):
    slug = slug_for(mirror, "the_met", "Live facial recognition deployments")
    message = mirror.wdtk.content.by_slug[slug].incoming_messages[-1]
    prefix = f"/request/{slug}/response/{message.id}/attach"
    status, headers, body = fetch(base, f"{prefix}/2/{quote('01 FOI 24 034567 Response.pdf')}")
    assert status == 200 and headers["Content-Disposition"] == 'attachment; filename="01 FOI 24 034567 Response.pdf"'
    # Wrong filename: 303 back to the message; part number moved: still found by unique filename.
    status, headers, _ = fetch(base, f"{prefix}/2/other.pdf")
    assert status == 303 and headers["Location"] == f"/request/{slug}#incoming-{message.id}"
    assert fetch(base, f"{prefix}/3/{quote('01 FOI 24 034567 Response.pdf')}")[0] == 200
    status, headers, body = fetch(base, f"{prefix}/2")
    assert status == 403 and body == b"Directory listing not allowed"


def test_corrupt_pdf_starts_like_a_pdf(mirror, base):
    slug = slug_for(mirror, "durham_police", "Facial recognition - Durham")
    message = mirror.wdtk.content.by_slug[slug].incoming_messages[-1]
    attachment = message.attachments[0]
    status, headers, body = fetch(base, f"/request/{slug}/response/{message.id}/attach/2/{quote(attachment.display_filename)}")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and b"%%EOF" not in body


def listing_slugs(html: str) -> list[str]:
    return re.findall(r'<span class="head"><a href="/request/([a-z0-9_]+)[#"]', html)


def test_body_listing_markup_and_query(base):
    status, headers, body = fetch(base, "/body/the_met?query=%22facial+recognition%22")
    html = body.decode()
    assert status == 200 and headers["Cache-Control"] == "max-age=86400, public"
    assert html.count('<div class="request_listing">') == 3
    assert re.search(r'<div class="requester">Response by <a href="http://127\.0\.0\.1:\d+/body/the_met">', html)
    assert re.search(r'<i class="icon-standalone icon_partially_successful"></i> <strong>Partially successful</strong>', html)
    assert '<span class="desc">' in html
    assert 'class="pagination"' not in html  # one page: no pager
    # Words must all match the title or an event's text.
    status, _, body = fetch(base, "/body/the_met?query=watchlist")
    assert len(listing_slugs(body.decode())) == 1
    status, _, body = fetch(base, "/body/the_met?query=%22no+such+phrase+anywhere%22")
    assert status == 200 and listing_slugs(body.decode()) == []


def test_date_filters(base):
    _, _, body = fetch(base, "/body/the_met?request_date_after=2024/05/01&request_date_before=2024/12/31")
    assert len(listing_slugs(body.decode())) == 1
    _, _, body = fetch(base, "/body/the_met?request_date_after=01/01/2024&request_date_before=31/01/2024")
    assert len(listing_slugs(body.decode())) == 1


def test_page_21_is_404(base):
    status, _, body = fetch(base, "/body/the_met?page=21")
    assert status == 404 and b"Sorry. No pages after 20." in body
    assert fetch(base, "/body/the_met?page=20")[0] == 200


def test_awaiting_request_has_only_the_outgoing_message(mirror, base):
    slug = slug_for(mirror, "gloucestershire_police", "Facial recognition in Gloucestershire")
    data = get_json(base, f"/request/{slug}.json")
    assert data["described_state"] == "waiting_response"
    assert [e["event_type"] for e in data["info_request_events"]] == ["sent"]
    html = fetch(base, f"/request/{slug}")[2].decode()
    assert "request-status-message--waiting_response" in html and 'class="incoming' not in html


def test_required_cases_exist(mirror):
    content = mirror.wdtk.content
    states = {(r.body.url_name, r.described_state) for r in content.requests}
    for case in [("the_met", "successful"), ("northumbria_police", "rejected"), ("kent_police", "not_held"),
                 ("essex_police", "rejected"), ("south_wales_police", "successful"),
                 ("gloucestershire_police", "waiting_response")]:
        assert case in states
    assert len(content.requests) >= 25
    assert len({r.body.url_name for r in content.requests}) >= 10


def test_add_response_changes_one_request():
    with Mirror(profile="small") as mirror:
        _add_response_changes_one_request(mirror, mirror.base_url(WDTK))


def _add_response_changes_one_request(mirror, base):
    slug = slug_for(mirror, "gloucestershire_police", "Facial recognition in Gloucestershire")
    before = get_json(base, f"/request/{slug}.json")
    message = mirror.wdtk.add_response(slug, "Dear A. Campaigner,\n\nPlease find our answer attached.",
                                       attachments=[{"name": "Answer.pdf", "text": "The force does not use it."}],
                                       state="successful")
    after = get_json(base, f"/request/{slug}.json")
    assert after["updated_at"] > before["updated_at"] and after["described_state"] == "successful"
    status, headers, body = fetch(base, f"/request/{slug}/response/{message.id}/attach/2/Answer.pdf")
    assert status == 200 and body.startswith(b"%PDF-")
