"""The site on real demo builds: the mirror crawled over HTTP, transformed and published, twice.

Between the two builds the mirror's awaiting Gloucestershire request gets a reply that says the
force uses live facial recognition, with HTML and script planted in it. The second build must
publish that change (changes table, canned query, Atom feed) and show the planted markup as text.
Every canned query is checked against the same answer computed in Python from the tables.
"""

import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from mirror import Mirror
from pipeline.refresh import refresh
from publish.feed import ATOM
from publish.queries import AWAITING_STATES, QUERIES, REVIEW_CONFIDENCE
from publish.site import site_dir
from tests.sitecheck import Site

pytestmark = pytest.mark.timeout(900)

PLANTED = "<script>window.__injected = 'mirror'</script>"
REPLY = ("Dear A. Campaigner,\n\nThank you for your request. " + PLANTED +
         "\n\nGloucestershire Constabulary currently uses live facial recognition technology."
         "\n\nYours sincerely,\nInformation Compliance")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("two-builds")
    sites = data_dir / "sites.json"
    with Mirror(profile="small") as mirror:
        mirror.write_sites_file(sites)
        refresh(data_dir, sites_file=sites, mode="demo")
        first = Site(data_dir)
        first_state = {
            "changes": first.rows("select * from changes"),
            "awaiting": canned(first, "requests_awaiting_answer"),
            "feed": (site_dir(data_dir) / "downloads" / "DEMO-changes.atom").read_bytes(),
        }
        target = next(r for r in mirror.wdtk.content.requests if r.body.url_name == "gloucestershire_police")
        mirror.wdtk.add_response(target.id, REPLY, state="successful")
        refresh(data_dir, sites_file=sites, mode="demo")
    return first_state, Site(data_dir), data_dir, f"wdtk:{target.id}"


def canned(site, name, **params):
    """A canned query through its own URL, as the site runs it."""
    response = site.get(f"/foi/{name}.json?" + "&".join(f"{k}={v}" for k, v in {**params, "_shape": "objects"}.items()))
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_first_build_has_no_changes_and_an_empty_feed(builds):
    first, _, _, request_id = builds
    assert first["changes"] == []
    assert ET.fromstring(first["feed"]).findall(f"{{{ATOM}}}entry") == []
    assert request_id in {r["request_id"] for r in first["awaiting"]}


def test_second_build_publishes_the_change_with_its_evidence(builds):
    _, site, _, request_id = builds
    rows = canned(site, "changes_since_previous_build")
    assert [(r["force_id"], r["field"], r["old_value"], r["new_value"]) for r in rows] == [
        ("gloucestershire", "lfr_use", None, "yes")]
    status = site.rows("select lfr_use_url from force_status_wide where force_id = 'gloucestershire'")[0]
    assert rows[0]["evidence_url"] == status["lfr_use_url"] and "/request/" in rows[0]["evidence_url"]
    assert request_id not in {r["request_id"] for r in canned(site, "requests_awaiting_answer")}


def test_second_build_feed_has_the_change(builds):
    _, _, data_dir, _ = builds
    feed = ET.fromstring((site_dir(data_dir) / "downloads" / "DEMO-changes.atom").read_bytes())
    titles = [e.find(f"{{{ATOM}}}title").text for e in feed.findall(f"{{{ATOM}}}entry")]
    assert titles == ["Gloucestershire Constabulary: lfr_use changed from (none) to yes"]


def test_markup_planted_in_the_mirror_is_shown_as_text(builds):
    _, site, _, request_id = builds
    documents = site.rows("select document_id, text from documents where request_id = :r and text like :t",
                          r=request_id, t=f"%{PLANTED}%")
    assert documents, "the planted reply did not reach the documents table"
    pages = {f"/foi/documents/{documents[0]['document_id'].replace(':', '~3A')}": "window.__injected",
             f"/foi/documents?request_id={request_id}": "window.__injected",
             "/foi/search?q=injected": "window.__[injected]"}  # the search marks the match
    for path, shown in pages.items():
        page = site.get(path).text
        assert f"&lt;script&gt;{shown}" in page, path
        assert "<script>window" not in page, path


def test_every_canned_query_runs_on_the_demo_build(builds):
    _, site, _, _ = builds
    for name in QUERIES:
        response = site.get(f"/foi/{name}.json?force_id=metropolitan&q=facial+recognition")
        assert response.status_code == 200, (name, response.text[:500])
        assert response.json()["rows"], f"{name} returned nothing on the demo build"


def test_forces_using_each_technology_match_force_status(builds):
    _, site, _, _ = builds
    status = site.rows("select * from force_status_wide")
    for technology in ("lfr", "rfr"):
        expected = sorted((r["name"], r["force_id"]) for r in status if r[f"{technology}_use"] == "yes")
        assert [(r["name"], r["force_id"]) for r in canned(site, f"forces_using_{technology}")] == expected
    lfr = {r["force_id"] for r in canned(site, "forces_using_lfr")}
    assert {"metropolitan", "gloucestershire"} <= lfr and "north-yorkshire" not in lfr


def test_dpia_query_matches_force_status(builds):
    _, site, _, _ = builds
    expected = {(r["force_id"], r["dpia"]) for r in site.rows("select * from force_status_wide")
                if r["dpia"] in ("withheld", "not_held")}
    assert {(r["force_id"], r["dpia"]) for r in canned(site, "dpia_withheld_or_not_held")} == expected


def test_forces_by_supplier_matches_the_mentions(builds):
    _, site, _, _ = builds
    mentions = defaultdict(int)
    for m in site.rows("select supplier_id, force_id from supplier_mentions"):
        mentions[(m["supplier_id"], m["force_id"])] += 1
    assert {(r["supplier_id"], r["force_id"]): r["mentions"] for r in canned(site, "forces_by_supplier")} == mentions


def test_refusals_by_exemption_count_citations_and_forces(builds):
    _, site, _, _ = builds
    citations = site.rows("select section, force_id, ncnd from exemptions")
    rows = {r["section"]: r for r in canned(site, "refusals_by_exemption")}
    assert set(rows) == {c["section"] for c in citations}
    for section, row in rows.items():
        cited = [c for c in citations if c["section"] == section]
        assert (row["citations"], row["forces"], row["ncnd_citations"]) == (
            len(cited), len({c["force_id"] for c in cited}), sum(c["ncnd"] for c in cited))
    assert "Northumbria Police" in rows["s24"]["force_names"]


def test_force_timeline_holds_the_forces_requests_and_answers_in_date_order(builds):
    _, site, _, _ = builds
    rows = canned(site, "force_timeline", force_id="gloucestershire")
    assert [r["event"] for r in rows if r["event"] in ("request sent", "answer: use lfr")] == [
        "request sent", "answer: use lfr"]
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    requests = site.rows("select request_id from requests where force_id = 'metropolitan'")
    met = canned(site, "force_timeline", force_id="metropolitan")
    assert {r["request_id"] for r in met if r["event"] == "request sent"} == {r["request_id"] for r in requests}


def test_requests_awaiting_answer_match_their_status(builds):
    _, site, _, _ = builds
    expected = {r["request_id"] for r in site.rows("select request_id, status from requests")
                if r["status"] in AWAITING_STATES}
    assert {r["request_id"] for r in canned(site, "requests_awaiting_answer")} == expected


def test_review_queue_holds_doubtful_and_conflicting_findings(builds):
    _, site, _, _ = builds
    status = {r["force_id"]: r for r in site.rows("select * from force_status_wide")}
    field = {("use", t): f"{t}_use" for t in ("lfr", "rfr", "oifr")} | {("planned", "fr"): "planned", ("dpia", "fr"): "dpia"}
    expected = set()
    for f in site.rows("select * from findings where method != 'override'"):
        column = field.get((f["question"], f["technology"]))
        conflicting = column and status.get(f["force_id"], {}).get(column) == "conflicting"
        if f["confidence"] < REVIEW_CONFIDENCE or conflicting:
            expected.add(f["finding_id"])
    assert {r["finding_id"] for r in canned(site, "review_queue")} == expected
