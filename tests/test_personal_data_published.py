"""Personal data planted in the mirror's correspondence is kept in the raw layer (what the site
published) and absent from everything the site publishes: the tables, full-text search, every
download and the site's pages (issues 8 and 15, DESIGN rule 7).

Issue 15's names are the signature blocks of mirror/content/wdtk/requests/signatures.yaml: an
e-mail, a text PDF, a scanned PDF read by OCR, a Word reply and an annotation, whose headers name
only the department."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import timedelta

import pyarrow.parquet as pq
import pytest

from mirror import Mirror
from pipeline.refresh import refresh
from scrapers import rawstore
from tests.sitecheck import Site
from transform.extract import extract_file

SLUG = "live_facial_recognition_deployme"
OFFICER = "Priya Okonkwo"
OFFICER_EMAIL = "priya.okonkwo@met.police.example"
OFFICE_PHONE = "020 7946 0321"
MOBILE = "07700 900123"
REQUESTER_EMAIL = "r.hollingsworth@example.org"
REQUESTER_PHONE = "+44 7700 900456"
ANSWER = "The Metropolitan Police Service uses live facial recognition technology."
# mirror/content/wdtk/requests/signatures.yaml: each signed name, by where it is signed.
SIGNED_SLUG = "facial_recognition_systems_in_wi"
SIGNED = {"e-mail signature": "Ottoline Vasquez-Brierley", "PDF signature": "Thaddeus Okparaeke",
          "scanned signature": "Wenonah Fairclough", "Word author line": "Cressida Munroe-Baptiste",
          "Word signature": "Lysander Oduya", "annotation signature": "Fenwick Adeyemi-Roth",
          "e-mail extension": "Ext: 4512", "PDF extension": "Ext: 6240"}
# Planted in the attachments (the PDF, the scan and the Word file), not in the messages.
IN_ATTACHMENTS = ("Thaddeus Okparaeke", "Wenonah Fairclough", "Cressida Munroe-Baptiste", "Lysander Oduya",
                  "Ext: 6240")
SIGNED_NAMES = [value for what, value in SIGNED.items() if "extension" not in what]
# What the same letters say that must stay: a public office holder, the force, units, roles, the supplier.
KEPT = ("Chief Constable Rowena Attenborough-Fisk", "Information Compliance Assistant | Information Compliance Unit",
        "Disclosure Officer, Information Compliance Unit", "Information Rights Advisor", "FOI Decision Maker",
        "Wiltshire Police", "Cognitec Systems")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("personal")
    with Mirror(profile="small") as mirror:
        content = mirror.wdtk.content
        request = content.request(SLUG)
        requester = request.requester_name
        with content.lock:
            content.add_followup(request, request.events[-1].created_at.replace(tzinfo=None) + timedelta(hours=1),
                                 f"Please call me on {REQUESTER_PHONE} or write to {REQUESTER_EMAIL}.\n\n"
                                 f"Yours faithfully,\n\n{requester}")
        mirror.wdtk.add_response(
            SLUG, f"Dear {requester},\n\n{ANSWER} For questions contact {OFFICER} on {OFFICE_PHONE}, "
                  f"mobile {MOBILE}, or {OFFICER_EMAIL}.\n\nYours sincerely,\n\n{OFFICER}\nInformation Manager",
            from_name=f"{OFFICER}, Metropolitan Police Service", state="successful",
            attachments=[{"name": "Covering letter.pdf",
                          "text": f"Dear {requester}\n\n{ANSWER}\n\nContact: {OFFICER}, {OFFICER_EMAIL}, {OFFICE_PHONE}"}])
        mirror.write_sites_file(data_dir / "sites.json")
        refresh(data_dir, sites_file=data_dir / "sites.json", mode="demo", spiders=["wdtk"],
                crawl_args=["-a", "forces=metropolitan,wiltshire"])
    planted = {**SIGNED, "requester": requester, "requester surname": requester.split()[-1], "officer": OFFICER,
               "officer surname": OFFICER.split()[-1], "officer e-mail": OFFICER_EMAIL,
               "office phone": OFFICE_PHONE, "mobile": MOBILE, "requester e-mail": REQUESTER_EMAIL,
               "requester phone": REQUESTER_PHONE}
    return data_dir, planted


def leaks(text: str, planted: dict) -> list[str]:
    return [what for what, value in planted.items() if value.casefold() in text.casefold()]


def test_the_raw_layer_keeps_what_the_site_published(published):
    data_dir, planted = published
    raw = "\n".join(path.read_text(encoding="utf-8") for path in (data_dir / "raw" / "items").rglob("*.jsonl"))
    in_messages = {what: value for what, value in planted.items() if value not in IN_ATTACHMENTS}
    assert leaks(raw, in_messages) == list(in_messages)
    # The attachments' names are in their stored files, and the extractors read them (the scanned
    # letter through OCR), so their absence from the published text is the redaction's doing.
    items = [json.loads(line) for path in (data_dir / "raw" / "items").rglob("*.jsonl")
             for line in path.read_text(encoding="utf-8").splitlines()]
    signed = next(item for item in items if item.get("url", "").endswith(SIGNED_SLUG))
    texts = " ".join(extract_file(rawstore.file_path(data_dir, a["sha256"]), name_hint=a["filename"]).text or ""
                     for m in signed["messages"] for a in m["attachments"] if a.get("sha256"))
    # Without Tesseract the scan has no text (README: OCR is optional), so only the others are checked.
    readable = [v for v in IN_ATTACHMENTS if shutil.which("tesseract") or v != SIGNED["scanned signature"]]
    assert [value for value in readable if value not in texts] == []


def signed_documents(site: Site) -> list[dict]:
    return site.rows("select document_id, text from documents where request_id in "
                     "(select request_id from requests where url like :u)", u=f"%{SIGNED_SLUG}")


def test_signature_blocks_keep_roles_units_suppliers_and_office_holders(published):
    data_dir, _ = published
    texts = "\n".join(d["text"] or "" for d in signed_documents(Site(data_dir)))
    assert [kept for kept in KEPT if kept not in texts] == []
    assert texts.count("[name removed]") >= len(SIGNED_NAMES)


def test_evidence_quotes_are_the_published_text_at_their_offsets(published):
    data_dir, _ = published
    site = Site(data_dir)
    texts = {d["document_id"]: d["text"] for d in site.rows("select document_id, text from documents")}
    evidence = site.rows("select evidence_document_id, evidence_quote, evidence_start, evidence_end from findings "
                         "where evidence_document_id is not null")
    assert any(e["evidence_document_id"] in {d["document_id"] for d in signed_documents(site)} for e in evidence)
    for e in evidence:
        assert texts[e["evidence_document_id"]][e["evidence_start"]:e["evidence_end"]] == e["evidence_quote"]


def test_the_site_pages_and_search_hold_no_signed_names(published):
    data_dir, planted = published
    site = Site(data_dir)
    for name in SIGNED_NAMES:
        surname = name.split()[-1]
        response = site.get(f"/foi/documents.json?_search={surname}&_shape=objects")
        assert response.status_code == 200 and response.json()["rows"] == [], name
    pages = [f"/foi/documents/{d['document_id']}" for d in signed_documents(site)]
    pages += ["/foi/requests", "/foi/documents?_search=Wiltshire", "/foi/findings"]
    for page in pages:
        response = site.get(page)
        assert response.status_code == 200, page
        assert leaks(response.text, planted) == [], page


def test_published_tables_hold_no_personal_data(published):
    data_dir, planted = published
    site = Site(data_dir)
    # The planted messages were published, with the answer kept and the people removed.
    texts = [r["text"] for r in site.rows("select text from documents where request_id in "
                                          "(select request_id from requests where url like :u)", u=f"%{SLUG}")]
    assert sum(ANSWER in (t or "") for t in texts) >= 2 and any("[name removed]" in (t or "") for t in texts)
    connection = sqlite3.connect(f"file:{data_dir / 'site' / 'foi.db'}?mode=ro", uri=True)
    tables = [r[0] for r in connection.execute("select name from sqlite_master where type = 'table'")]
    for table in tables:  # the full-text index tables too
        for row in connection.execute(f"select * from [{table}]"):
            text = " ".join(str(v) for v in row if isinstance(v, str))
            assert leaks(text, planted) == [], f"{table}: {text[:300]}"
    connection.close()
    # Full-text search does not find them either.
    for value in (OFFICER.split()[-1], OFFICER_EMAIL.split("@")[0].split(".")[-1]):
        assert site.rows("select rowid from documents_fts where documents_fts match :q", q=value) == []


def test_downloads_hold_no_personal_data(published):
    data_dir, planted = published
    files = [p for p in (data_dir / "site" / "downloads").rglob("*") if p.is_file()]
    assert any(p.suffix == ".csv" for p in files) and any(p.suffix == ".parquet" for p in files)
    for path in files:
        if path.suffix == ".parquet":
            text = " ".join(str(v) for column in pq.read_table(path).to_pylist() for v in column.values())
        elif path.suffix == ".db":
            continue  # the SQLite download is the database checked above
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
        assert leaks(text, planted) == [], path.name
