"""Personal data planted in the mirror's correspondence is kept in the raw layer (what the site
published) and absent from everything the site publishes: the tables, full-text search and every
download (issue 8, DESIGN rule 7)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pyarrow.parquet as pq
import pytest

from mirror import Mirror
from pipeline.refresh import refresh
from tests.sitecheck import Site

SLUG = "live_facial_recognition_deployme"
OFFICER = "Priya Okonkwo"
OFFICER_EMAIL = "priya.okonkwo@met.police.example"
OFFICE_PHONE = "020 7946 0321"
MOBILE = "07700 900123"
REQUESTER_EMAIL = "r.hollingsworth@example.org"
REQUESTER_PHONE = "+44 7700 900456"
ANSWER = "The Metropolitan Police Service uses live facial recognition technology."


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
                crawl_args=["-a", "forces=metropolitan"])
    planted = {"requester": requester, "requester surname": requester.split()[-1], "officer": OFFICER,
               "officer surname": OFFICER.split()[-1], "officer e-mail": OFFICER_EMAIL,
               "office phone": OFFICE_PHONE, "mobile": MOBILE, "requester e-mail": REQUESTER_EMAIL,
               "requester phone": REQUESTER_PHONE}
    return data_dir, planted


def leaks(text: str, planted: dict) -> list[str]:
    return [what for what, value in planted.items() if value.casefold() in text.casefold()]


def test_the_raw_layer_keeps_what_the_site_published(published):
    data_dir, planted = published
    raw = "\n".join(path.read_text(encoding="utf-8") for path in (data_dir / "raw" / "items").rglob("*.jsonl"))
    assert leaks(raw, planted) == list(planted)


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
