"""The published site, through Datasette's in-process client, on the sample build
(publish/sample.py): metadata, browsing set-up, canned queries, escaping, serving settings."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from publish.__main__ import SERVE_SETTINGS, serve_command
from publish.metadata import DEMO_NOTICE, LICENSE, SOURCE
from publish.queries import QUERIES
from publish.sample import HOSTILE_TITLE, write_sample
from publish.site import publish
from schema.tables import PUBLISHED_TABLES, metadata
from tests.sitecheck import Site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("sample")
    write_sample(data_dir, builds=2)
    publish(data_dir)
    return Site(data_dir)


def query(site, name, **params):
    response = site.get(f"/foi/{name}.json?" + "&".join(f"{k}={v}" for k, v in {**params, "_shape": "objects"}.items()))
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_every_table_and_column_of_the_database_has_a_description(site):
    published = site.get("/-/metadata.json").json()["databases"]["foi"]["tables"]
    database = site.get("/foi.json").json()
    visible = [t for t in database["tables"] if not t["hidden"]]
    assert sorted(t["name"] for t in visible) == sorted(PUBLISHED_TABLES)
    for table in visible:
        entry = published[table["name"]]
        assert entry["description"].strip(), table["name"]
        for column in table["columns"]:
            assert entry["columns"].get(column, "").strip(), f"{table['name']}.{column}"


def test_licence_and_source_on_every_table_and_query_page(site):
    for name in PUBLISHED_TABLES:
        page = site.get(f"/foi/{name}.json").json()
        assert (page["license"], page["source"]) == (LICENSE, SOURCE), name
    for name in QUERIES:
        page = site.get(f"/foi/{name}?force_id=kent&q=facial")
        assert LICENSE in unescape(page.text) and SOURCE in unescape(page.text), name


def test_demo_notice_and_build_on_every_kind_of_page(site):
    pages = ["/", "/foi", "/foi/force_status_wide", "/foi/forces/kent", "/foi/review_queue", "/downloads",
             "/foi?sql=select+1"]
    for path in pages:
        page = site.get(path)
        assert page.status_code == 200, path
        assert DEMO_NOTICE in unescape(page.text), path
    home = site.get("/").text
    assert "DEMO - UK police facial recognition" in home
    assert "Built 2026-11-08 06:00 UTC (demo build 20261108T060000Z)" in home


def test_home_page_links_downloads_feed_and_a_search_box_across_titles_and_documents(site):
    home = site.get("/").text
    assert 'href="/downloads"' in home and 'href="/downloads/DEMO-changes.atom"' in home
    for page in ["/", "/foi/force_status_wide", "/foi/forces/kent"]:  # feed readers find the feed from any page
        assert '<link rel="alternate" type="application/atom+xml" title="What changed" ' \
               'href="/downloads/DEMO-changes.atom">' in site.get(page).text, page
    assert re.search(r'<form[^>]*action="/foi/search"', home) and 'name="q"' in home


def test_internal_tables_are_hidden(site):
    hidden = {t["name"] for t in site.get("/foi.json").json()["tables"] if t["hidden"]}
    assert {"requests_fts", "documents_fts", "documents_fts_data"} <= hidden
    assert "requests_fts" not in site.get("/foi").text.split("hidden tables")[0]


def test_force_ids_show_names_and_findings_link_to_request_document_and_source(site):
    table = site.get("/foi/findings?finding_id=wdtk:1001:use:lfr").text
    assert '<a href="/foi/forces/metropolitan">Metropolitan Police Service</a>' in table
    assert 'href="/foi/requests/wdtk~3A1001"' in table
    assert 'href="/foi/documents/wdtk~3A1001~3Aincoming"' in table
    assert '<a href="http://127.0.0.1:8100/request/1001#incoming">' in table
    row = site.get("/foi/findings/wdtk~3A1001~3Ause~3Alfr").text
    for link in ['href="/foi/forces/metropolitan"', 'href="/foi/requests/wdtk~3A1001"',
                 'href="/foi/documents/wdtk~3A1001~3Aincoming"', 'href="http://127.0.0.1:8100/request/1001#incoming"']:
        assert link in row, link
    assert "The MPS does use live facial recognition at planned deployments." in row


def test_a_force_page_links_the_finding_behind_each_answer(site):
    page = site.get("/foi/force_status_wide/metropolitan").text
    assert 'href="/foi/findings/wdtk~3A1001~3Ause~3Alfr"' in page
    assert 'href="/foi/findings/wdtk~3A1001~3Adpia~3Afr"' in page
    assert 'href="/foi/forces/metropolitan"' in page


def test_default_sorts_and_facets(site):
    status = site.get("/foi/force_status_wide.json?_shape=objects&_size=100").json()
    names = [r["name"] for r in status["rows"]]
    assert names == sorted(names)
    assert {"lfr_use", "rfr_use", "dpia", "country", "suppliers"} <= set(status["facet_results"])
    assert status["facet_results"]["suppliers"]["type"] == "array"
    lfr_yes = site.get("/foi/force_status_wide.json?_shape=objects&lfr_use=yes").json()["rows"]
    assert {r["force_id"] for r in lfr_yes} == {"metropolitan", "kent"}
    findings = site.get("/foi/findings.json?_shape=objects").json()
    assert {"technology", "answer", "response_date"} <= set(findings["facet_results"])
    assert findings["facet_results"]["response_date"]["type"] == "date"
    dates = [r["response_date"] for r in findings["rows"]]
    assert dates == sorted(dates, reverse=True)
    assert "supplier_id" in site.get("/foi/supplier_mentions.json").json()["facet_results"]


def test_full_text_search_on_request_titles_and_document_text(site):
    assert [r["request_id"] for r in site.get("/foi/requests.json?_search=suppliers&_shape=objects").json()["rows"]] == ["wdtk:1003"]
    found = query(site, "search", q="NeoFace")
    assert {(r["found_in"], r["request_id"]) for r in found} == {
        ("document response", "wdtk:1001"), ("document response", "wdtk:1002")}
    assert any("[NeoFace]" in r["passage"] for r in found)
    titles = query(site, "search", q="deployments")
    assert ("request title", "wdtk:1001") in {(r["found_in"], r["request_id"]) for r in titles}
    # Input that is not valid FTS syntax is searched as words, not an error.
    assert query(site, "search", q='"live AND (') == []


def test_every_canned_query_has_a_title_and_description(site):
    queries = site.get("/-/metadata.json").json()["databases"]["foi"]["queries"]
    assert set(queries) == set(QUERIES)
    for name, entry in queries.items():
        assert entry["title"].strip() and entry["description"].strip(), name
        assert entry["title"] in unescape(site.get(f"/foi/{name}").text), name


def test_canned_queries_return_the_expected_rows(site):
    assert [r["force_id"] for r in query(site, "forces_using_lfr")] == ["kent", "metropolitan"]
    assert [r["force_id"] for r in query(site, "forces_using_rfr")] == ["south-wales"]
    assert [(r["supplier_id"], r["force_id"], r["products"]) for r in query(site, "forces_by_supplier")] == [
        ("nec", "metropolitan", "NeoFace Live"), ("nec", "south-wales", "NeoFace Reveal")]
    assert [(r["force_id"], r["dpia"]) for r in query(site, "dpia_withheld_or_not_held")] == [
        ("essex", "not_held"), ("metropolitan", "withheld")]
    assert [(r["section"], r["citations"], r["forces"], r["ncnd_citations"]) for r in query(site, "refusals_by_exemption")] == [
        ("s31", 2, 2, 1), ("s24", 1, 1, 1)]
    assert [(r["force_id"], r["field"], r["old_value"], r["new_value"]) for r in query(site, "changes_since_previous_build")] == [
        ("kent", "lfr_use", None, "yes")]
    assert [r["request_id"] for r in query(site, "requests_awaiting_answer")] == ["wdtk:1003"]
    assert [(r["finding_id"], r["reason"]) for r in query(site, "review_queue")] == [
        ("wdtk:1004:use:lfr", "low confidence")]


def test_force_timeline_lists_requests_answers_exemptions_and_changes_in_date_order(site):
    kent = query(site, "force_timeline", force_id="kent")
    assert [(r["date"], r["event"], r["answer"]) for r in kent] == [
        ("2024-05-01", "request sent", None),
        ("2026-10-01", "request sent", None),
        ("2026-10-20", "answer: use lfr", "yes"),
        ("2026-11-08", "changed in build 20261108T060000Z", "(none) -> yes"),
    ]
    met = query(site, "force_timeline", force_id="metropolitan")
    assert [r["event"] for r in met] == ["request sent", "answer: dpia fr", "answer: use lfr", "exemption cited"]
    assert query(site, "force_timeline", force_id="no-such-force") == []


def test_review_queue_lists_findings_behind_a_conflicting_status(tmp_path):
    write_sample(tmp_path)
    import pandas as pd
    import pyarrow.parquet as pq
    from schema.derive import to_arrow
    # Make Essex's status conflicting, as the roll-up does when two recent replies disagree.
    path = tmp_path / "parquet" / "force_status.parquet"
    frame = pq.read_table(path).to_pandas()
    frame.loc[(frame.force_id == "essex") & (frame.question == "dpia"), "status"] = "conflicting"
    pq.write_table(to_arrow("force_status", pd.DataFrame(frame)), path)
    publish(tmp_path)
    rows = query(Site(tmp_path), "review_queue")
    assert [(r["finding_id"], r["reason"]) for r in rows] == [
        ("wdtk:1004:dpia:fr", "conflicting answers"), ("wdtk:1004:use:lfr", "low confidence")]


def test_scraped_html_and_script_are_shown_as_text(site):
    for path in ["/foi/requests/wdtk:1001", "/foi/requests", "/foi/documents/wdtk:1001:incoming",
                 "/foi/force_timeline?force_id=metropolitan", "/foi/search?q=thank"]:
        page = site.get(path).text
        assert "<script>window.__injected" not in page, path
        assert "<img src=x" not in page, path
    assert "&lt;script&gt;window.__injected" in site.get("/foi/requests/wdtk:1001").text
    assert HOSTILE_TITLE.startswith("Live facial recognition <script>")


def test_robots_are_kept_off_table_pages(site):
    robots = site.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /foi\n" in robots.text and "Allow: /downloads" in robots.text


def test_serving_settings_are_applied(site):
    settings = site.get("/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == int(SERVE_SETTINGS["sql_time_limit_ms"])
    assert settings["max_returned_rows"] == int(SERVE_SETTINGS["max_returned_rows"])
    # A runaway query is stopped by the time limit instead of holding the site.
    slow = site.get("/foi.json?" + urlencode(
        {"sql": "with recursive n(x) as (select 1 union all select x+1 from n) select count(*) from n"}))
    assert slow.status_code == 400 and "SQL query took too long" in slow.json()["error"]


def test_serve_command_is_immutable_with_inspect_file_plugins_and_settings(tmp_path):
    command = serve_command(tmp_path, "127.0.0.1", 8001)
    assert command[command.index("-i") + 1].endswith("site/foi.db")
    assert command[command.index("--inspect-file") + 1].endswith("site/inspect.json")
    assert command[command.index("--plugins-dir") + 1].endswith("site/plugins")
    for name, value in SERVE_SETTINGS.items():
        assert f"{name}" in command and value in command

