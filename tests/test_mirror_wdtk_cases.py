"""Every case of the spec's fixture checklist (§9) is served by the full WDTK mirror, over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

import pytest

from mirror import Mirror
from mirror.sites.wdtk import build
from mirror.sites.wdtk.api import request_json
from mirror.sites.wdtk.files import build_file
from mirror.sites.wdtk.model import CONTENT_TYPES, DESCRIBED_STATES
from reference.registry import load_forces
from tests.test_mirror_wdtk import WDTK, fetch, get_json, listing_slugs

NEXT_PAGE = re.compile(r'<a class="next_page" aria-label="Next page" rel="next" href="([^"]+)">')


@pytest.fixture(scope="module")
def mirror():
    with Mirror() as m:
        yield m


@pytest.fixture(scope="module")
def base(mirror):
    return mirror.base_url(WDTK)


@pytest.fixture(scope="module")
def content(mirror):
    return mirror.wdtk.content


def find(content, body: str, title_start: str):
    return next(r for r in content.requests if r.body.url_name == body and r.title.startswith(title_start))


def test_every_registry_force_is_a_body_and_most_have_requests(content):
    forces = [f for f in load_forces() if f.wdtk_url_name]
    assert len(forces) == 49
    with_requests = {r.body.url_name for r in content.requests}
    # every registry name is a body, or an old name of one (Dyfed-Powys was renamed, spec §10.2)
    assert all(f.wdtk_url_name in content.bodies or f.wdtk_url_name in content.historic_url_names for f in forces)
    assert content.historic_url_names["dyfed_powys_police"].url_name == "heddlu_dyfed_powys"
    assert {"cnc", "mdp", "warwickshire_police"}.isdisjoint(with_requests)
    assert len([f for f in forces if f.wdtk_url_name in with_requests]) == 45 and "heddlu_dyfed_powys" in with_requests


def test_all_authorities_csv(base):
    status, headers, body = fetch(base, "/body/all-authorities.csv")
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert headers["Content-Disposition"] == 'attachment; filename="all-authorities.csv"'
    text = body.decode("utf-8")
    assert text.endswith("\n") and "\r\n" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Internal ID", "Name", "Short name", "URL name", "Tags", "Home page", "Publication scheme",
                       "Disclosure log", "Notes", "Created at", "Updated at", "Version"]
    assert all(len(row) == 12 for row in rows)
    by_name = {row[3]: row for row in rows[1:]}
    assert "defunct" in by_name["cleveland_police_authority"][4].split()
    notes = by_name["mopac"][8]
    assert "\n" in notes and "," in notes and '<a href="/body/the_met">' in notes
    assert "wikidata:Q6797375" in by_name["mopac"][4].split()
    assert "url:https://www.npcc.police.uk/our-work/" in by_name["npcc"][4].split()  # a value holding ':'
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", by_name["the_met"][9])
    # PublicBodyCSV writes nil as "" and Ruby CSV quotes empty strings.
    assert ',"",' in text.splitlines()[1]
    mdp_line = next(line for line in text.splitlines() if ",mdp," in line)
    assert by_name["mdp"][5] == "" and ',mdp,police_force police wikidata:Q1937192,"",' in mdp_line


def test_body_list_police_force(base, content):
    status, _, body = fetch(base, "/body/list/police_force")
    html = body.decode()
    names = re.findall(r'<span class="head"><a href="/body/([a-z0-9_]+)">', html)
    assert status == 200 and len(names) == 49
    assert re.search(r'<div class="body_listing tag--police_force tag--police tag--wikidata">', html)


def walk(base: str, path: str) -> tuple[list[str], int]:
    """Follow a.next_page links; returns the slugs seen and the status that stopped the walk."""
    slugs = []
    while path:
        status, _, body = fetch(base, path)
        if status != 200:
            return slugs, status
        html = body.decode()
        slugs += listing_slugs(html)
        found = NEXT_PAGE.search(html)
        path = found.group(1).replace("&amp;", "&") if found else None
    return slugs, 200


def test_big_force_needs_date_splits(base, content):
    query = "/body/the_met?query=%22facial+recognition%22"
    expected = {r.url_title for r in content.requests if r.body.url_name == "the_met" and r.searchable}
    assert len(expected) > 500
    # Walking the plain listing stops with a 404 at page 21, short of everything.
    seen, stopped = walk(base, query)
    assert stopped == 404 and len(seen) == 500
    # Splitting by year reaches every request (a request is listed in each year it has events).
    split = set()
    for year in range(2016, 2027):
        slugs, stopped = walk(base, f"{query}&request_date_after={year}/01/01&request_date_before={year}/12/31")
        assert stopped == 200, year
        split |= set(slugs)
    assert split == expected
    # The same range written inside the query (Xapian's dd/mm/yyyy..dd/mm/yyyy) gives the same page.
    a = listing_slugs(fetch(base, f"{query}&request_date_after=01/01/2019&request_date_before=31/12/2019")[2].decode())
    b = listing_slugs(fetch(base, "/body/the_met?query=%22facial+recognition%22+01/01/2019..31/12/2019")[2].decode())
    assert a == b and a


def test_empty_results_and_body_redirects(base):
    status, _, body = fetch(base, "/body/kent_police?query=%22no+such+words+here%22")
    assert status == 200 and listing_slugs(body.decode()) == [] and b"pagination" not in body
    # The redirects rebuild the path only: query, page and dates are dropped (spec §10.2).
    status, headers, _ = fetch(base, "/body/metropolitan_police_service?query=x&page=2")
    assert status == 302 and headers["Location"] == "/body/the_met"
    status, headers, _ = fetch(base, "/body/cumbria_constabulary.json")
    assert status == 302 and headers["Location"] == "/body/cumbria_police.json"
    status, headers, _ = fetch(base, "/body/The_Met?query=x")
    assert status == 301 and headers["Location"] == "/body/the_met"


def test_every_described_state_and_calculated_state(content):
    described = {r.described_state for r in content.requests}
    assert set(DESCRIBED_STATES) <= described
    calculated = {r.calculated_status(content.today) for r in content.requests}
    assert {"waiting_classification", "waiting_response_overdue", "waiting_response_very_overdue"} <= calculated
    assert any(r.awaiting_description for r in content.requests)


def test_awaiting_description_request(base, content):
    request = next(r for r in content.requests if r.awaiting_description and r.searchable)
    data = get_json(base, f"/request/{request.url_title}.json")
    assert data["awaiting_description"] is True and data["display_status"] == "Awaiting classification"
    html = fetch(base, f"/request/{request.url_title}")[2].decode()
    assert "request-status-message--waiting_classification" in html


def test_batch_page_and_members(base, content):
    batch = max(content.batches.values(), key=lambda b: len(b.requests))
    status, _, body = fetch(base, f"/info_request_batch/{batch.id}")
    html = body.decode()
    assert status == 200 and f"<h1>{batch.title} - a batch request</h1>" in html
    assert html.count('<div class="request_listing">') == 25 and 'class="next_page"' in html
    page2 = fetch(base, f"/info_request_batch/{batch.id}?page=2")[2].decode()
    assert len(listing_slugs(html)) + len(listing_slugs(page2)) == len(batch.requests)
    member = batch.requests[0]
    member_html = fetch(base, f"/request/{member.url_title}")[2].decode()
    assert f'<a href="/info_request_batch/{batch.id}">' in member_html
    assert '<div class="sidebar__section sidebar__part-of-batch">' in member_html
    assert "batch" not in json.dumps(get_json(base, f"/request/{member.url_title}.json"))


def test_hidden_message_and_hidden_attachment(base, content):
    request = find(content, "west_mercia_police", "Facial recognition van")
    hidden, shown = request.incoming_messages
    html = fetch(base, f"/request/{request.url_title}")[2].decode()
    block = html[html.index(f'id="incoming-{hidden.id}"'):html.index(f'id="incoming-{shown.id}"')]
    assert '<p id="hidden_message" class="hidden_message">' in block and "correspondence_text" not in block
    assert f'<div class="incoming correspondence hidden js-collapsible" id="incoming-{hidden.id}">' in html
    events = get_json(base, f"/request/{request.url_title}.json")["info_request_events"]
    assert hidden.id in [e["incoming_message_id"] for e in events]
    secret = shown.attachments[1]
    item = re.search(rf'<li class="attachment" id="attachment-{secret.id}">(.*?)</li>', html, re.S).group(1)
    # no link to the file; the template's only link is to the contact page
    assert '<span class="hidden_attachment">' in item and re.findall(r'href="([^"]*)"', item) == ["/help/contact"]
    assert fetch(base, request.attachment_url(shown, secret))[0] == 403


def test_requester_only_message_and_erased_attachment(base, content):
    request = find(content, "gwent_police", "Facial recognition at Newport")
    private = request.outgoing_messages[-1]
    html = fetch(base, f"/request/{request.url_title}")[2].decode()
    block = re.search(rf'<div class="outgoing correspondence js-collapsible" id="outgoing-{private.id}">(.*?)</div>',
                      html, re.S).group(1)
    assert 'class="hidden_message"' in block and "correspondence__header" not in block
    request, message, erased = next(x for x in all_attachments(content) if x[2].erased)
    html = fetch(base, f"/request/{request.url_title}")[2].decode()
    item = re.search(rf'<li class="attachment" id="attachment-{erased.id}">(.*?)</li>', html, re.S).group(1)
    assert "<em>This file has been erased.</em>" in item and "<a " not in item
    assert fetch(base, request.attachment_url(message, erased))[0] == 403


def test_resent_request_duplicates_the_outgoing_block(base, content):
    request = find(content, "gwent_police", "Facial recognition at Newport")
    html = fetch(base, f"/request/{request.url_title}")[2].decode()
    outgoing_id = request.outgoing_messages[0].id
    assert html.count(f'id="outgoing-{outgoing_id}"') == 2
    assert re.search(rf'<div class="outgoing correspondence box" id="outgoing-{outgoing_id}">', html)
    events = get_json(base, f"/request/{request.url_title}.json")["info_request_events"]
    assert [e["event_type"] for e in events][:2] == ["sent", "resent"]
    assert "comment" in [e["event_type"] for e in events] and "comment_in_request" not in html  # hidden annotation


def test_masks_in_bodies(base, content):
    request = find(content, "dorset_police", "Facial recognition policy owner")
    html = fetch(base, f"/request/{request.url_title}")[2].decode()
    assert '[<a href="/help/officers#mobiles">email address</a>]' in html
    assert "[mobile number]" in html
    assert f"[FOI #{request.id} email]" in html


def test_hidden_and_backpage_requests(base, content):
    hidden = find(content, "surrey_police", "Facial recognition of a named")
    status, _, body = fetch(base, f"/request/{hidden.url_title}")
    assert status == 403 and b"<h1>Request has been removed</h1>" in body
    status, headers, body = fetch(base, f"/request/{hidden.url_title}.json")
    assert status == 403 and body == b""
    backpage = find(content, "surrey_police", "Facial recognition cameras")
    status, headers, _ = fetch(base, f"/request/{backpage.url_title}")
    assert status == 200 and headers["X-Robots-Tag"] == "noindex"
    listed = listing_slugs(fetch(base, "/body/surrey_police")[2].decode())
    assert hidden.url_title not in listed and backpage.url_title not in listed


def test_welsh_prefix_redirects_and_sets_the_cookie(base, content):
    slug = find(content, "the_met", "Live facial recognition deployments").url_title
    status, headers, _ = fetch(base, f"/cy/request/{slug}")
    assert status == 301 and headers["Location"] == f"/request/{slug}?locale=cy"
    status, headers, _ = fetch(base, f"/request/{slug}?locale=cy")
    assert status == 302 and headers["Location"] == f"/request/{slug}"
    assert headers["Set-Cookie"].startswith("locale=cy")
    status, headers, body = fetch(base, f"/request/{slug}", {"Cookie": "locale=cy"})
    assert headers["Content-Language"] == "cy" and b'<html lang="cy"' in body and b"Chwefror" in body
    # Body pages render ?locale=cy directly.
    status, headers, _ = fetch(base, "/body/the_met?locale=cy")
    assert status == 200 and headers["Content-Language"] == "cy"
    # A crawler without cookies that asks for English gets English.
    assert fetch(base, f"/request/{slug}", {"Accept-Language": "en-GB,en"})[1]["Content-Language"] == "en"


def all_attachments(content):
    for request in content.requests:
        for message in request.incoming_messages:
            for attachment in message.attachments:
                yield request, message, attachment


def test_every_content_type_is_served(base, content):
    served = {}
    for request, message, attachment in all_attachments(content):
        if attachment.hidden or attachment.erased or attachment.wait or not request.public:
            continue
        status, headers, body = fetch(base, request.attachment_url(message, attachment))
        assert status == 200, attachment.filename
        assert headers["Content-Disposition"] == f'attachment; filename="{attachment.display_filename}"'
        served[attachment.extension] = (headers["Content-Type"], body)
        if attachment.extension == "csv":
            assert headers["Access-Control-Allow-Origin"] == "*"
    # Every type of the table except message/delivery-status (its extension cannot survive
    # display_filename), plus .jpeg served as octet-stream.
    for extension, content_type in CONTENT_TYPES.items():
        if extension != "delivery-status":
            assert served[extension][0] == content_type, extension
    assert served["jpeg"][0] == "application/octet-stream"
    assert served["jpeg"][1].startswith(b"\xff\xd8\xff")
    for extension in ("zip", "docx", "xlsx", "pptx"):
        assert served[extension][1].startswith(b"PK\x03\x04"), extension


def test_attachment_that_waits_first(base, content):
    request, message, attachment = next(x for x in all_attachments(content) if x[2].wait)
    url = request.attachment_url(message, attachment)
    status, headers, _ = fetch(base, url)
    assert status == 302 and headers["Location"].startswith("/attachments/") and "/wait?referer=" in headers["Location"]
    wait = headers["Location"]
    status, headers, body = fetch(base, wait)
    assert status == 200 and headers["X-Robots-Tag"] == "noindex"
    assert b'<meta http-equiv="refresh" content="2">' in body and "still preparing this attachment".encode() in body
    status, headers, _ = fetch(base, wait)  # the refresh: now done
    assert status == 302 and "/done?" in headers["Location"]
    done = fetch(base, headers["Location"])[2].decode()
    assert f'href="{url}">Download attachment</a>' in done
    status, headers, body = fetch(base, url)
    assert status == 200 and headers["Content-Type"] == "application/pdf"


def test_attach_html_wrappers(base, content):
    request = find(content, "the_met", "Live facial recognition deployments")
    message = request.incoming_messages[-1]
    pdf = message.attachments[0]
    html = fetch(base, f"/request/{request.url_title}/response/{message.id}/attach/html/{pdf.part}/"
                       f"{quote(pdf.display_filename)}.html")[2].decode()
    assert '<body id="wrapper_embed">' in html and f'<iframe src="{request.attachment_url(message, pdf)}"' in html
    request, message, text = next(x for x in all_attachments(content) if x[2].extension == "txt")
    html = fetch(base, f"/request/{request.url_title}/response/{message.id}/attach/html/{text.part}/"
                       f"{quote(text.display_filename)}.html")[2].decode()
    assert '<body id="wrapper">' in html and 'class="view_html_prefix"' in html and "Notes of the facial" in html


def test_version_json(base):
    data = get_json(base, "/version.json")
    assert data["alaveteli_version"] and data["alaveteli_git_commit"]
    assert data["visible_request_count"] > 500


def test_content_is_deterministic(content):
    again = build().content
    assert [r.url_title for r in again.requests] == [r.url_title for r in content.requests]
    for ref in (900001, 900020, 900300):
        assert request_json(again.by_id[ref], [], again.today) == request_json(content.by_id[ref], [], content.today)
    # Built twice from scratch (not through the cache): the same bytes, for the formats that
    # carry dates inside them.
    one_per_type = {a.extension: a for _, _, a in all_attachments(again)
                    if a.extension in ("pdf", "docx", "xlsx", "pptx", "zip")}
    for extension, attachment in one_per_type.items():
        assert build_file(extension, attachment.spec) == build_file(extension, attachment.spec), extension


def test_details_user_and_feeds(base, content):
    request = find(content, "the_met", "Live facial recognition deployments")
    html = fetch(base, f"/request/{request.url_title}/details")[2].decode()
    assert "<h1>Event history details</h1>" in html
    assert html.count("<tr>") == len(request.events) + 1
    html = fetch(base, "/user/c_reporter")[2].decode()
    assert "<h1>C. Reporter</h1>" in html
    assert listing_slugs(html)[0] == max((r for r in content.requests if r.user and r.user.url_name == "c_reporter"
                                          and r.searchable), key=lambda r: r.created_at).url_title
    status, headers, body = fetch(base, "/feed/body/the_met")
    atom = body.decode()
    assert headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert atom.count("<entry>") == 25 and "<updated>" not in atom and "<author>" not in atom
    assert re.search(r"<id>tag:[^,]+,2005:InfoRequestEvent/\d+</id>", atom)
    assert "&lt;span class=" in atom and "&lt;span class=&#34;head&#34;" not in atom  # head link removed
    items = get_json(base, f"/request/{request.url_title}/feed.json")
    assert {"snippet", "info_request", "public_body", "user"} <= set(items[0])
    assert "info_request_events" not in items[0]["info_request"]
    assert get_json(base, "/feed/body/the_met.json?page=99") == []
    status, headers, _ = fetch(base, f"/feed/request/{request.url_title}")
    assert status == 301 and headers["Location"] == f"/request/{request.url_title}/feed"


def test_quoted_sections_fold_unless_unfold(base, content):
    request = find(content, "nyp", "Use of facial recognition by North Yorkshire Police")
    folded = fetch(base, f"/request/{request.url_title}")[2].decode()
    assert "show quoted sections" in folded and "Original Message" not in folded
    unfolded = fetch(base, f"/request/{request.url_title}?unfold=1")[2].decode()
    assert "hide quoted sections" in unfolded and "-----Original Message-----" in unfolded
    # The quoted questions sit inside the force's message block: only unfolding shows them.
    message = request.incoming_messages[0]
    block = unfolded[unfolded.index(f'id="attachment-{message.body_part_id}"'):]
    assert "1. Does the force use live facial recognition" in block


def test_suspended_user(base, content):
    request = find(content, "cumbria_police", "Facial recognition cameras in Carlisle")
    user = get_json(base, f"/request/{request.url_title}.json")["user"]
    assert user["name"] == "G. Former (Account suspended)" and user["ban_text"]


def test_scanned_pages_have_no_text_layer_and_overlong_scans_are_refused():
    import pypdfium2

    spec = {"pages": [{"title": "Covering letter", "text": "Typed covering letter."},
                      {"scanned": True, "text": "The answer, signed and scanned."},
                      {"text": "Typed rights page."}]}
    pdf = pypdfium2.PdfDocument(build_file("pdf", spec))
    layers = [page.get_textpage().get_text_range() for page in pdf]
    assert "Typed covering letter." in layers[0] and "Typed rights page." in layers[2]
    assert layers[1].strip() == "" and len(list(pdf[1].get_objects())) == 1  # only the picture of the page
    pdf.close()
    with pytest.raises(ValueError, match="does not fit"):
        build_file("png", {"scanned": True, "text": "A line of a letter that goes on. " * 200})
