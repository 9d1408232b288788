"""The site's own pages (publish/plugins/pages.py and its templates) on the sample build
(publish/sample.py), through Datasette's in-process client: the overview at /, /force/<id>,
/gaps, /map, /batch/<id> and the evidence on a finding's page.

The sample is changed before publishing so every state shows: Essex's DPIA answer is made
`conflicting` (as the roll-up does when recent replies disagree), three requests are put in one
batch, the Met's DPIA quote is widened to take in the <script> planted in its reply, one
exemption's offsets are moved off its quote, and Essex's DPIA evidence URL is a javascript: URL.
"""

import asyncio
import re
import shutil
import sqlite3
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from datasette.tracer import capture_traces
from parsel import Selector

from publish.metadata import DEMO_NOTICE, TITLE
from publish.pages import map_layout, palette, status_fields
from publish.sample import write_sample
from publish.site import publish
from schema.derive import to_arrow
from reference import technologies
from schema.tables import TECHNOLOGIES, metadata
from tests.sitecheck import Site

BATCH = "b1"
BATCH_REQUESTS = ["wdtk:1001", "wdtk:1002", "wdtk:1003"]


def _patch(data_dir, table, change):
    path = data_dir / "parquet" / f"{table}.parquet"
    frame = pq.read_table(path).to_pandas()
    change(frame)
    pq.write_table(to_arrow(table, pd.DataFrame(frame)), path)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("pages")
    tables = write_sample(data_dir, builds=2)
    met_reply = next(d["text"] for d in tables["documents"] if d["document_id"] == "wdtk:1001:incoming")
    dpia = next(f for f in tables["findings"] if f["finding_id"] == "wdtk:1001:dpia:fr")
    hostile_quote = met_reply[:dpia["evidence_end"]]  # from the start of the reply: <img>, <script>
    assert "<script>" in hostile_quote

    def conflicting(frame):
        essex = frame.force_id == "essex"
        frame.loc[essex, "dpia_candidate"] = frame.loc[essex, "dpia"]
        frame.loc[essex, "dpia"] = "conflicting"
        frame.loc[frame.force_id == "metropolitan", "dpia_quote"] = hostile_quote
        frame.loc[frame.force_id == "essex", "dpia_url"] = "javascript:window.__injected='url'"

    def widen(frame):
        frame.loc[frame.finding_id == "wdtk:1001:dpia:fr", ["evidence_start", "evidence_quote"]] = [0, hostile_quote]

    def script_url(frame):
        frame.loc[frame.finding_id == "wdtk:1004:dpia:fr", "evidence_url"] = "javascript:window.__injected='url'"

    def misplaced(frame):  # offsets that do not hold the quote: shown unhighlighted, never a wrong passage
        frame.loc[frame.exemption_id == "wdtk:1004:s24(2):ncnd", "evidence_start"] += 3

    def batch(frame):
        frame.loc[frame.request_id.isin(BATCH_REQUESTS), "batch_id"] = BATCH

    _patch(data_dir, "force_status_wide", conflicting)
    _patch(data_dir, "findings", widen)
    _patch(data_dir, "findings", script_url)
    _patch(data_dir, "exemptions", misplaced)
    _patch(data_dir, "requests", batch)
    publish(data_dir)
    site = Site(data_dir)
    site.tables, site.data_dir = tables, data_dir
    return site


def page(site, path) -> Selector:
    response = site.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return Selector(text=response.text)


def cells(selector: Selector, force_id: str) -> dict:
    """field -> (state, text of the cell with spaces squeezed) of a force's row."""
    row = selector.css(f'tr[data-force="{force_id}"]')
    assert row, force_id
    return {td.attrib["data-field"]: (td.attrib["data-state"], " ".join(" ".join(td.css("::text").getall()).split()))
            for td in row.css("td.answer")}


def test_overview_shows_each_forces_answers_as_words_with_their_dates(site):
    home = page(site, "/")
    never_asked_drones = {field: ("never_asked", "never asked") for field in ("drone_use", "drones_planned", "drones_dpia")}
    assert cells(home, "metropolitan") == {
        "lfr_use": ("yes", "yes 2024-02-07"), "rfr_use": ("never_asked", "never asked"),
        "oifr_use": ("never_asked", "never asked"), "planned": ("never_asked", "never asked"),
        "dpia": ("withheld", "withheld 2024-02-07"), **never_asked_drones}
    assert cells(home, "south-wales") == {
        "lfr_use": ("no", "no 2024-03-01"), "rfr_use": ("yes", "yes 2024-03-01"),
        "oifr_use": ("never_asked", "never asked"), "planned": ("never_asked", "never asked"),
        "dpia": ("provided", "provided 2024-03-01"), **never_asked_drones}
    # Doubt is shown as doubt, with the candidate answer in brackets, never as the answer.
    essex = cells(home, "essex")
    title = home.css('tr[data-force="essex"] td[data-field="dpia"]::attr(title)').get()
    assert title == "the data protection impact assessment (DPIA) for facial recognition: conflicting (not held), 2024-04-01: Essex Police does not hold a DPIA."
    assert essex["lfr_use"] == ("needs_review", "review (NCND) 2024-04-01")
    assert essex["dpia"] == ("conflicting", "conflicting (not held) 2024-04-01")
    assert cells(home, "kent")["lfr_use"] == ("yes", "yes 2026-10-20")
    # Asked (a request waiting since May 2024) but not answered on RFR: awaiting, not never asked.
    assert cells(home, "kent")["rfr_use"] == ("awaiting", "awaiting reply")
    met = home.css('tr[data-force="metropolitan"]')
    assert met.css("th a::attr(href)").get() == "/force/metropolitan"
    assert met.css("td.suppliers a::text").getall() == ["NEC"]
    assert met.css("td.suppliers a::attr(href)").getall() == ["/foi/suppliers/nec"]


def test_overview_cells_link_to_the_evidence_and_say_it_on_hover(site):
    met = page(site, "/").css('tr[data-force="metropolitan"] td[data-field="lfr_use"]')
    assert met.css("a::attr(href)").get() == "/foi/findings/wdtk~3A1001~3Ause~3Alfr"
    assert met.attrib["title"] == ("use of live facial recognition: yes, 2024-02-07: "
                                   "The MPS does use live facial recognition at planned deployments.")


def test_overview_is_grouped_by_country_with_every_force_once(site):
    home = page(site, "/")
    countries = home.css("table.overview-grid th.country::text").getall()
    assert countries == sorted(countries) and {"England", "Wales", "Scotland", "Northern Ireland"} <= set(countries)
    forces = home.css("table.overview-grid tr[data-force]::attr(data-force)").getall()
    assert sorted(forces) == sorted(r["force_id"] for r in site.tables["forces"])
    wales = home.xpath('//tbody[tr/th[@class="country"]="Wales"]/tr[@data-force]/@data-force').getall()
    assert wales == ["dyfed-powys", "gwent", "north-wales", "south-wales"]


def test_overview_columns_come_from_the_schema(site):
    # One column per answer of force_status_wide (per family of the technology registry: each
    # kind's use, then plans and the DPIA), then the suppliers.
    answers = [c[:-len("_finding_id")] for c in metadata.tables["force_status_wide"].columns.keys() if c.endswith("_finding_id")]
    assert [f["field"] for f in status_fields()] == answers == [f.field for f in technologies.status_fields()]
    headings = page(site, "/").css("table.overview-grid thead th::text").getall()
    assert headings == ["Force", "LFR", "RFR", "OIFR", "FR plans", "FR DPIA", "Drones", "Drones plans", "Drones DPIA",
                        "Suppliers named"]


def test_overview_counts_above_the_grid(site):
    counts = [" ".join(li.split()) for li in page(site, "/").css("ul.overview-counts li::text").getall()]
    forces = len(site.tables["forces"])
    assert counts[0] == (f"2 forces say they use LFR (live facial recognition), 1 say no, 0 neither confirm nor deny, "
                         f"{forces - 4} have never been asked (1 other: withheld, not held, not answered, unclear, "
                         f"under review, conflicting or awaiting a reply).")
    # Kent was asked (its request of May 2024 is still waiting): not "never asked" on RFR.
    assert counts[1] == (f"1 force says it uses RFR (retrospective facial recognition), 0 say no, "
                         f"0 neither confirm nor deny, {forces - 2} have never been asked (1 other: withheld, not held, "
                         f"not answered, unclear, under review, conflicting or awaiting a reply).")
    assert len(counts) == len(TECHNOLOGIES)


def test_legend_and_palette_tell_every_state_apart(site):
    colours = palette()
    legend = page(site, "/").css("ul.legend li")
    assert [li.attrib["class"] for li in legend] == [f"s-{state}" for state in colours]
    look = {state: (p["background"], p["outline"]) for state, p in colours.items()}
    # needs_review, conflicting and never asked differ from each other and from every answer.
    for state in ("needs_review", "conflicting", "never_asked"):
        assert [s for s, v in look.items() if v == look[state]] == [state], state
    assert len({p["word"] for p in colours.values()}) == len(colours)
    # Answers: the Okabe-Ito colours (colour-blind safe), each answer its own.
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    answers = [p["background"] for p in colours.values() if p["outline"] == "none"]
    assert set(answers) <= okabe_ito and len(answers) == len(set(answers))


def test_tables_stay_one_click_away_from_the_overview(site):
    home = page(site, "/")
    links = home.css("a::attr(href)").getall()
    # The database page lists every table; the overview links its own table and Datasette's list.
    assert "/foi" in links and "/foi/force_status_wide" in links


def test_every_new_page_says_demo(site):
    for path in ["/", "/force/kent", "/gaps", "/map", f"/batch/{BATCH}", "/foi/findings/wdtk~3A1001~3Ause~3Alfr"]:
        assert DEMO_NOTICE in unescape(site.get(path).text), path


def test_unknown_force_and_batch_are_not_found(site):
    assert site.get("/force/no-such-force").status_code == 404
    assert site.get("/batch/no-such-batch").status_code == 404


def test_force_page_has_answers_timeline_documents_suppliers_exemptions_and_links(site):
    met = page(site, "/force/metropolitan")
    assert met.css("h1::text").get() == "Metropolitan Police Service"
    answers = {tr.attrib["data-field"]: tr for tr in met.css("table.force-answers tbody tr")}
    assert answers["lfr_use"].css("td.answer::attr(data-state)").get() == "yes"
    assert "The MPS does use live facial recognition" in answers["lfr_use"].get()
    assert answers["lfr_use"].css("a::attr(href)").getall()[-1] == "http://127.0.0.1:8100/request/1001#incoming"
    assert met.css("a.wdtk::attr(href)").get() == "https://www.whatdotheyknow.com/body/the_met"
    assert met.css("a.disclosure-log::attr(href)").get().startswith("https://")
    assert met.css("ul.suppliers li a::text").getall()[0] == "NEC"
    assert [" ".join(" ".join(li.css("::text").getall()).split()) for li in met.css("ul.suppliers li")] == [
        "NEC : NeoFace Live (1 mention, lfr) source"]
    assert met.css("ul.exemptions li::text").get().startswith("s31 (s31(1)(a)): cited 1 time")
    events = [tr.css("td::text").getall()[:2] for tr in met.css("table.timeline tbody tr")]
    # The force_timeline canned query's rows, newest first.
    assert [e[1] for e in events] == ["exemption cited", "answer: use lfr", "answer: dpia fr", "request sent"]
    assert met.css("h2 + p a::attr(href)").getall()[-1] == "/foi/force_timeline?force_id=metropolitan"
    assert met.css("table.documents a::attr(href)").getall()[:2] == [
        "/foi/documents/wdtk~3A1001~3Aincoming", "/foi/requests/wdtk~3A1001"]


def test_force_page_names_the_request_waiting_for_an_answer(site):
    kent = page(site, "/force/kent")
    assert kent.css("p.awaiting a::attr(href)").getall() == ["/foi/requests/wdtk~3A1003", "http://127.0.0.1:8100/request/1003"]
    assert " ".join(kent.css("p.awaiting ::text").getall()).split()[:5] == ["Waiting", "for", "an", "answer", "since"]
    assert not page(site, "/force/metropolitan").css("p.awaiting")


def test_gaps_lists_never_asked_and_stale_answers_with_a_link_to_ask(site):
    gaps = page(site, "/gaps")
    listed = {(tr.attrib["data-force"], gap.attrib["data-field"]): gap.attrib["data-gap"]
              for tr in gaps.css("table.gaps tbody tr") for gap in tr.css("span.gap")}
    # The Met answered on LFR in February 2024: more than a year before the build (2026-11-08).
    assert listed[("metropolitan", "lfr_use")] == "stale"
    assert cells(gaps, "metropolitan")["lfr_use"] == ("yes", "yes 2024-02-07 ask again")
    assert listed[("metropolitan", "rfr_use")] == "never_asked"
    assert cells(gaps, "metropolitan")["rfr_use"] == ("never_asked", "never asked ask")
    forces = len(site.tables["forces"])
    # South Wales answered RFR in 2024 (over a year ago: listed); Kent's request is still waiting (not listed).
    assert len([k for k in listed if k[1] == "rfr_use"]) == forces - 1
    # Kent: a recent answer on LFR, a facial recognition request waiting on the rest; never asked about drones.
    assert {field for force, field in listed if force == "kent"} == {"drone_use", "drones_planned", "drones_dpia"}


def test_the_ask_link_opens_whatdotheyknow_new_request_form_filled_in(site):
    link = page(site, "/gaps").css('tr[data-force="metropolitan"] a.ask[data-field="rfr_use"]::attr(href)').get()
    url = urlsplit(link)
    assert (url.scheme, url.netloc, url.path) == ("https", "www.whatdotheyknow.com", "/new/the_met")
    params = parse_qs(url.query)
    assert set(params) == {"title", "default_letter"}
    assert params["title"] == ["Use of retrospective facial recognition"]
    letter = params["default_letter"][0]
    assert letter.startswith("Under the Freedom of Information Act 2000, please tell me:")
    assert "Whether Metropolitan Police Service currently uses retrospective facial recognition" in letter
    scotland = page(site, "/gaps").css('tr[data-force="police-scotland"] a.ask[data-field="dpia"]::attr(href)').get()
    assert "Freedom of Information (Scotland) Act 2002" in parse_qs(urlsplit(scotland).query)["default_letter"][0]


def test_map_has_one_tile_per_force_where_the_layout_puts_it_coloured_and_linked(site):
    layout = {t["force_id"]: t for t in map_layout()}
    assert sorted(layout) == sorted(r["force_id"] for r in site.tables["forces"])
    assert len({(t["row"], t["col"]) for t in layout.values()}) == len(layout)
    colours = palette()
    svg = page(site, "/map?field=lfr_use")
    links = svg.xpath('//*[local-name()="svg"]/*[local-name()="a"]')
    assert len(links) == len(layout)
    tiles = {a.attrib["data-force"]: a for a in links}
    for force_id, a in tiles.items():
        assert a.attrib["href"] == f"/force/{force_id}"
    met = tiles["metropolitan"]
    rect = met.xpath('./*[local-name()="rect"]')[0].attrib
    assert (int(rect["x"]), int(rect["y"])) == (layout["metropolitan"]["col"] * 68, layout["metropolitan"]["row"] * 48)
    assert rect["fill"] == colours["yes"]["background"]
    assert met.xpath('./*[local-name()="text"]/text()').getall() == ["Met", "yes"]
    essex = tiles["essex"].xpath('./*[local-name()="rect"]')[0].attrib
    assert essex["stroke-dasharray"] == "6 3"  # needs_review is dashed
    dpia = {a.attrib["data-force"]: a.attrib["data-state"] for a in
            page(site, "/map?field=dpia").xpath('//*[local-name()="svg"]/*[local-name()="a"]')}
    assert (dpia["metropolitan"], dpia["essex"], dpia["kent"], dpia["surrey"]) == (
        "withheld", "conflicting", "awaiting", "never_asked")
    assert page(site, "/map?field=nonsense").css("select option[selected]::attr(value)").get() == "lfr_use"


def test_batch_page_shows_each_forces_answers_side_by_side_and_who_has_not_replied(site):
    batch = page(site, f"/batch/{BATCH}")
    assert cells(batch, "metropolitan")["lfr_use"] == ("yes", "yes")
    assert cells(batch, "south-wales")["rfr_use"] == ("yes", "yes")
    assert cells(batch, "south-wales")["lfr_use"] == ("no", "no")
    assert cells(batch, "kent")["lfr_use"] == ("", "–")  # Kent's batch request is unanswered
    assert batch.css("span.awaiting a::text").getall() == ["Kent Police"]
    assert batch.css('tr[data-force="kent"] td.replied::text').get() == "not replied"


def test_a_findings_page_highlights_its_quote_at_its_offsets(site):
    finding = next(f for f in site.tables["findings"] if f["finding_id"] == "wdtk:1001:use:lfr")
    text = next(d["text"] for d in site.tables["documents"] if d["document_id"] == finding["evidence_document_id"])
    row = page(site, "/foi/findings/wdtk~3A1001~3Ause~3Alfr")
    mark = row.css("pre.evidence-text mark")
    assert (int(mark.attrib["data-start"]), int(mark.attrib["data-end"])) == (finding["evidence_start"], finding["evidence_end"])
    assert mark.css("::text").get() == text[finding["evidence_start"]:finding["evidence_end"]] == finding["evidence_quote"]
    # The whole document around it, as text: what precedes the mark is the text before the quote.
    pre = row.css("pre.evidence-text").get()
    before = unescape(re.sub(r"<[^>]+>", "", pre.split("<mark")[0]))
    assert before == text[:finding["evidence_start"]]
    assert row.css("a.original::attr(href)").get() == "http://127.0.0.1:8100/request/1001#incoming"
    # Also on the other tables that quote a document; offsets that miss the quote mark nothing.
    mention = page(site, "/foi/supplier_mentions/wdtk~3A1001~3Anec~3ANeoFace~20Live")
    assert mention.css("pre.evidence-text mark::text").get() == "The NEC NeoFace Live system is used."
    misplaced = page(site, "/foi/exemptions/wdtk~3A1004~3As24(2)~3Ancnd")
    assert not misplaced.css("pre.evidence-text") and "could not be placed" in misplaced.css("section.evidence").get()


def test_a_planted_script_in_a_quote_is_shown_as_text_everywhere(site):
    for path in ["/", "/force/metropolitan", "/gaps", "/map?field=dpia", f"/batch/{BATCH}",
                 "/foi/findings/wdtk~3A1001~3Adpia~3Afr"]:
        html = site.get(path).text
        assert "<script>window.__injected" not in html and "<img src=x" not in html, path
    row = site.get("/foi/findings/wdtk~3A1001~3Adpia~3Afr").text
    assert "<mark data-start=\"0\"" in row and "&lt;script&gt;window.__injected = &#39;text&#39;&lt;/script&gt;" in row
    assert "&lt;script&gt;window.__injected" in site.get("/").text  # in the DPIA cell's title
    # A URL in the data that is not http(s) is never a link.
    for path in ["/force/essex", "/foi/findings/wdtk~3A1004~3Adpia~3Afr"]:
        assert "javascript:" not in " ".join(page(site, path).css("a::attr(href)").getall()), path


# Tables that grow with the corpus: the site's own pages must only seek them through an index.
LARGE_TABLES = ("requests", "documents", "findings", "supplier_mentions", "exemptions", "changes")


def tables_of(sql: str) -> dict:
    """alias -> table for every ``from``/``join`` of the SQL (the plan names tables by alias)."""
    keywords = {"where", "on", "join", "left", "inner", "order", "group", "limit", "using", "union"}
    return {(alias if alias and alias.lower() not in keywords else table): table
            for table, alias in re.findall(r"\b(?:from|join)\s+\[?(\w+)\]?(?:\s+(?:as\s+)?(\w+))?", sql, re.I)}


def large_build_planner(path, copy):
    """A copy of the sample database whose planner statistics (sqlite_stat1) say every large
    table has 10,000 times its rows, with as few rows per key (so 10,000 times the keys): the
    sample's few rows would make SQLite scan tables it never scans at 50k, where an indexed
    filter keeps a small share of the rows."""
    shutil.copyfile(path, copy)
    database = sqlite3.connect(copy)
    with database:
        for table, index, stat in database.execute("select tbl, idx, stat from sqlite_stat1").fetchall():
            if table in LARGE_TABLES:
                rows, *per_key = stat.split()  # rows, then rows per distinct key of each prefix
                scaled = " ".join([str(int(rows) * 10_000), *per_key])
                database.execute("update sqlite_stat1 set stat = ? where tbl = ? and idx is ?", (scaled, table, index))
    database.close()
    return sqlite3.connect(copy)  # a new connection reads the new statistics


def test_the_site_pages_queries_never_scan_a_large_table(site, tmp_path):
    """Every query plugins/pages.py runs for each page, as SQLite would plan it on a large build:
    a SCAN of a large table would be a full scan per request on a 50k build."""
    database = large_build_planner(site.data_dir / "site" / "foi.db", tmp_path / "planner.db")

    async def traced(path):
        traces = []
        with capture_traces(traces):
            response = await site.app.client.get(path + ("&" if "?" in path else "?") + "trace=plan")
        assert response.status_code == 200, path
        return [t for t in traces if t.get("type") == "sql" and any("plugins/pages.py" in line for line in t["traceback"])]

    for path in ["/", "/force/metropolitan", "/force/kent", "/gaps", "/map?field=dpia", f"/batch/{BATCH}",
                 "/foi/findings/wdtk~3A1001~3Ause~3Alfr", "/foi/exemptions/wdtk~3A1004~3As24(2)~3Ancnd"]:
        queries = asyncio.run(traced(path))
        assert queries, path
        for query in queries:
            plan = [row[3] for row in database.execute("explain query plan " + query["sql"], query["params"] or {})]
            scanned = [tables_of(query["sql"]).get(step.split()[1], step.split()[1]) for step in plan if step.startswith("SCAN ")]
            assert not set(scanned) & set(LARGE_TABLES), (path, query["sql"], plan)


def test_new_pages_go_through_the_response_cache(site):
    # A query string no other test asked for, so the first request is the cache's first sight of it.
    for path in ["/?cache=1", "/force/essex?cache=1", "/gaps?cache=1", "/map?field=rfr_use&cache=1",
                 f"/batch/{BATCH}?cache=1"]:
        first, second = site.get(path), site.get(path)
        assert (first.headers["x-response-cache"], second.headers["x-response-cache"]) == ("miss", "hit"), path
        assert first.text == second.text


def test_using_the_data_page_commands_name_the_download_files_and_run(site, monkeypatch):
    guide = page(site, "/using-the-data")
    assert DEMO_NOTICE in unescape(guide.get())
    assert "/using-the-data" in page(site, "/").css("p.site-links a::attr(href)").getall()
    downloads = site.data_dir / "site" / "downloads"
    # Each DuckDB line's SQL, with the Parquet files read as the SQLite tables of the same name.
    for command in guide.css("pre::text").getall():
        if command.startswith("duckdb -c"):
            sql = re.sub(r"'DEMO-(\w+)\.parquet'", r"\1", command[len('duckdb -c "'):-1])
            assert (downloads / re.search(r"'(DEMO-\w+\.parquet)'", command).group(1)).exists()
            assert site.rows(sql) is not None
    monkeypatch.chdir(downloads)
    scope = {}
    exec(guide.css("pre.pandas::text").get(), scope)  # the pandas lines, as a reader would paste them
    assert sorted(scope["status"][scope["status"].lfr_use == "yes"].name) == ["Kent Police", "Metropolitan Police Service"]


def test_citation_file_describes_the_dataset_and_its_licence():
    citation = yaml.safe_load((Path(__file__).parent.parent / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    assert citation["license"] == "CC-BY-4.0" and citation["authors"]
    assert citation["title"] == TITLE


def test_table_pages_fold_column_descriptions_away_and_show_key_columns_first(site):
    table = page(site, "/foi/force_status_wide")
    folded = table.css("details.column-descriptions")
    assert folded.css("summary::text").get() == "What each column means"
    described = folded.css("dt::text").getall()
    assert sorted(described) == sorted(metadata.tables["force_status_wide"].columns.keys())
    assert "dl.column-descriptions:not(.folded) { display: none; }" in table.get()  # Datasette's own list
    answers = [f["field"] for f in status_fields()]
    key = ["force_id", "name", "country", *answers, "suppliers", "exemptions", "requests", "last_response_date"]
    headers = table.css("table.rows-and-columns th::attr(data-column)").getall()
    assert headers[:len(key)] == key and described[:len(key)] == key
    assert sorted(headers) == sorted(metadata.tables["force_status_wide"].columns.keys())
    # Each cell stays under its own header.
    for row in table.css("table.rows-and-columns tbody tr"):
        assert [td.attrib["class"].split()[0] for td in row.css("td")] == [f"col-{h}" for h in headers]
    # Other tables keep their order; ?_col= still picks columns.
    assert page(site, "/foi/findings").css("table.rows-and-columns th::attr(data-column)").getall()[:3] == [
        "finding_id", "request_id", "force_id"]
    picked = page(site, "/foi/force_status_wide?_col=lfr_use_quote&_col=dpia")
    assert picked.css("table.rows-and-columns th::attr(data-column)").getall() == ["force_id", "dpia", "lfr_use_quote"]
