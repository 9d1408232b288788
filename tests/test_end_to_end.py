"""The whole path, for real: mirror over HTTP -> wdtk spider -> transform -> publish -> Datasette.

One demo build is made per test session (it takes a few seconds) and every test here reads the
published site through Datasette's in-process client, as a campaigner's browser would.
"""

import csv
import io
import shutil
from urllib.parse import quote

import pyarrow.parquet as pq
import pypdfium2
import pytest

from mirror import Mirror
from pipeline.refresh import refresh
from publish.plugins.csv_formulas import FORMULA_STARTS, NUMBER
from publish.site import publish, site_dir
from reference.registry import load_forces
from tests.sitecheck import Site
from transform.build import build
from transform.extract.ocr import tesseract_available
from transform.overrides import OverrideError

WDTK = "https://www.whatdotheyknow.com"
# Planted in the mirror (mirror/content/wdtk/requests/special_cases.yaml).
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","x")'
PLUS_QUOTE = "+ Lancashire Constabulary does not use live facial recognition."


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    with Mirror(profile="small") as mirror:
        mirror.write_sites_file(data_dir / "sites.json")
        refresh(data_dir, sites_file=data_dir / "sites.json", mode="demo")
    site = Site(data_dir)
    site.data_dir = data_dir
    return site


def status(site, force_id):
    rows = site.rows("select * from force_status_wide where force_id = :f", f=force_id)
    assert len(rows) == 1, force_id
    return rows[0]


def test_force_confirming_live_use_has_yes_with_a_quote_from_its_pdf(demo_site):
    met = status(demo_site, "metropolitan")
    assert met["lfr_use"] == "yes"
    finding = demo_site.rows("select f.*, d.kind, d.filename, d.text from findings f "
                             "join documents d on d.document_id = f.evidence_document_id "
                             "where f.finding_id = :id", id=met["lfr_use_finding_id"])[0]
    assert finding["kind"] == "attachment" and finding["filename"].lower().endswith(".pdf")
    assert finding["text"][finding["evidence_start"]:finding["evidence_end"]] == finding["evidence_quote"]
    assert "facial recognition" in finding["evidence_quote"].lower()
    assert met["lfr_use_quote"] == finding["evidence_quote"]
    assert "nec" in met["suppliers"]


def test_denying_force_has_no(demo_site):
    nyp = status(demo_site, "north-yorkshire")
    assert (nyp["lfr_use"], nyp["rfr_use"], nyp["oifr_use"]) == ("no", "no", "no")


def test_ncnd_force_has_ncnd_and_the_sections_it_cited(demo_site):
    northumbria = status(demo_site, "northumbria")
    assert northumbria["lfr_use"] == "ncnd"
    sections = {r["section"] for r in demo_site.rows(
        "select section from exemptions where force_id = 'northumbria' and ncnd = 1")}
    assert {"s24", "s31"} <= sections


def test_awaiting_request_produces_no_finding(demo_site):
    awaiting = demo_site.rows("select request_id from requests where force_id = 'gloucestershire' "
                              "and status = 'waiting_response'")
    assert awaiting, "the mirror's awaiting request was not crawled"
    for row in awaiting:
        assert demo_site.rows("select * from findings where request_id = :r", r=row["request_id"]) == []


def test_every_registry_force_is_in_forces_and_force_status(demo_site):
    ids = {f.force_id for f in load_forces()}
    assert {r["force_id"] for r in demo_site.rows("select force_id from forces")} == ids
    assert {r["force_id"] for r in demo_site.rows("select force_id from force_status_wide")} == ids


def test_corrupt_pdf_is_a_document_row_with_its_error(demo_site):
    broken = demo_site.rows("select d.* from documents d join requests r using (request_id) "
                            "where r.force_id = 'durham' and d.kind = 'attachment'")
    assert broken and all(d["extraction_error"] for d in broken)
    assert all(d["sha256"] for d in broken), "the corrupt file itself is kept"


@pytest.mark.skipif(not tesseract_available(),
                    reason="tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-eng)")
@pytest.mark.parametrize("force_id, technology, answer, filename, method", [
    ("nottinghamshire", "lfr", "no", "Reply 2025 0815 scan.pdf", "ocr"),  # two scanned pages, no text layer
    ("northamptonshire", "lfr", "ncnd", "FOI 000917 25 letter.pdf", "ocr"),  # one scanned page
    ("south-yorkshire", "rfr", "yes", "Response 2025 1177.pdf", "mixed"),  # typed pages around a scanned one
    ("north-wales", "lfr", "no", "Signed letter.jpg", "ocr"),  # a photographed letter
])
def test_an_answer_given_only_in_a_scan_is_read_by_ocr_and_quoted_exactly(demo_site, force_id, technology,
                                                                         answer, filename, method):
    rows = demo_site.rows("select f.*, d.filename, d.extraction_method, d.ocr_confidence, d.text, d.sha256 "
                          "from findings f join documents d on d.document_id = f.evidence_document_id "
                          "where f.force_id = :f and f.technology = :t and f.question = 'use'",
                          f=force_id, t=technology)
    assert len(rows) == 1, rows
    finding = rows[0]
    assert (finding["answer"], finding["filename"], finding["extraction_method"]) == (answer, filename, method)
    assert finding["ocr_confidence"] > 0.8
    assert finding["text"][finding["evidence_start"]:finding["evidence_end"]] == finding["evidence_quote"]
    assert status(demo_site, force_id)[f"{technology}_use"] == answer
    if filename.endswith(".pdf"):  # the answer is in no text layer: only OCR could have found it
        raw = demo_site.data_dir / "raw" / "files" / finding["sha256"][:2] / finding["sha256"]
        pdf = pypdfium2.PdfDocument(str(raw))
        text_layer = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
        pdf.close()
        assert " ".join(finding["evidence_quote"].split()[:4]) not in text_layer


def test_home_page_says_demo_and_force_status_lists_answers(demo_site):
    home = demo_site.get("/")
    assert home.status_code == 200 and "DEMO DATA" in home.text
    page = demo_site.get("/foi/force_status_wide")
    assert page.status_code == 200 and "DEMO DATA" in page.text
    assert "Metropolitan Police Service" in page.text
    builds = demo_site.rows("select mode from build_info")
    assert [b["mode"] for b in builds] == ["demo"]


def test_an_override_changes_the_published_answer_and_survives_a_rebuild(demo_site, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_site.data_dir / "raw", data_dir / "raw")
    kent = demo_site.rows("select request_id, answer from findings where force_id = 'kent' "
                          "and question = 'use' and technology = 'lfr'")[0]
    assert kent["answer"] == "not_held"
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("request_id,technology,question,field,value,reason,reviewer,date\n"
                         f"{kent['request_id']},lfr,use,answer,no,the letter's second page says no,A. Reviewer,2026-11-30\n")
    for _ in range(2):  # the correction holds on every build, not just the first
        build(data_dir, overrides_path=overrides, progress=False)
        publish(data_dir)
        site = Site(data_dir)
        row = site.rows("select answer, method from findings where request_id = :r and question = 'use' "
                        "and technology = 'lfr'", r=kent["request_id"])[0]
        assert (row["answer"], row["method"]) == ("no", "override")
        assert status(site, "kent")["lfr_use"] == "no"


def test_an_override_naming_an_unknown_request_fails_the_build_with_its_line(demo_site, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_site.data_dir / "raw", data_dir / "raw")
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("request_id,technology,question,field,value,reason,reviewer,date\n"
                         "wdtk:999999999,lfr,use,answer,no,typo,A. Reviewer,2026-11-30\n")
    with pytest.raises(OverrideError, match=r"overrides.csv:2: unknown request_id 'wdtk:999999999'"):
        build(data_dir, overrides_path=overrides, progress=False)


def csv_cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_every_published_csv_defuses_the_formulas_planted_in_the_mirror(demo_site):
    files = sorted((site_dir(demo_site.data_dir) / "downloads").glob("*.csv")) + [demo_site.data_dir / "review_queue.csv"]
    cells = {}
    for path in files:
        cells[path.name] = [cell for row in csv_cells(path.read_bytes()) for cell in row]
        # Only a number may start with - or +; any other cell that would be a formula starts with '.
        assert [c for c in cells[path.name] if c.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(c)] == [], path.name
    assert "'" + FORMULA_TITLE in cells["DEMO-requests.csv"]
    assert "'" + PLUS_QUOTE in cells["DEMO-findings.csv"] and "'" + PLUS_QUOTE in cells["DEMO-force_status_wide.csv"]
    # Datasette's own CSV export of the same rows.
    header, row = csv_cells(demo_site.get("/foi/requests.csv?title=" + quote(FORMULA_TITLE)).content)
    assert row[header.index("title")] == "'" + FORMULA_TITLE


def test_parquet_sqlite_and_json_keep_the_planted_text_exactly(demo_site):
    titles = pq.read_table(demo_site.data_dir / "parquet" / "requests.parquet", columns=["title"]).column("title")
    assert FORMULA_TITLE in titles.to_pylist()
    assert demo_site.rows("select title from requests where title = :t", t=FORMULA_TITLE)
    quotes = {r["evidence_quote"] for r in demo_site.rows("select evidence_quote from findings where force_id = 'lancashire'")}
    assert PLUS_QUOTE in quotes
    assert status(demo_site, "lancashire")["lfr_use_quote"] == PLUS_QUOTE


def test_answers_typed_inside_folded_quoted_sections_are_published(demo_site):
    """Dyfed-Powys answered inside the quoted request, which the request page folds away until
    ?unfold=1 (spec §10.4, mirror/content/wdtk/requests/dyfed_powys.yaml); its body was renamed
    on the site too (§10.2). The spider reads the unfolded page, so the answers are published."""
    found = {(r["technology"], r["answer"]): r["evidence_quote"] for r in demo_site.rows(
        "select technology, answer, evidence_quote from findings where force_id = 'dyfed-powys' "
        "and question = 'use' and request_id like 'wdtk:%'")}
    assert found[("lfr", "yes")].startswith("RESPONSE: Yes")
    assert "does not use retrospective facial recognition" in found[("rfr", "no")]
    mentions = demo_site.rows("select evidence_quote from supplier_mentions where force_id = 'dyfed-powys' "
                              "and supplier_id = 'nec' and request_id like 'wdtk:%'")
    assert [m["evidence_quote"] for m in mentions] == [
        "RESPONSE: The live facial recognition software is NEC NeoFace Live."]
