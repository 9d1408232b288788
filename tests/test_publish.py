"""The publish step: downloads, datapackage.json, the changes feed, refusing undocumented
columns, live versus demo labelling, and two builds in a row."""

import csv
import io
import json
import sqlite3
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pyarrow.parquet as pq
import pytest

from publish.check_latest import check
from publish.feed import ATOM
from publish.metadata import DEMO_NOTICE
from publish.sample import WELSH_GREETING, write_sample
from publish.site import PublishError, publish, site_dir
from schema.derive import to_arrow
from schema.tables import PUBLISHED_TABLES, metadata
from tests.sitecheck import Site

A = f"{{{ATOM}}}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    tables = write_sample(data_dir, builds=2)
    publish(data_dir)
    return data_dir, tables


def downloads(data_dir):
    return site_dir(data_dir) / "downloads"


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark to read accents right"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_every_table_downloads_as_csv_with_a_header_and_every_row(demo):
    data_dir, tables = demo
    for name in PUBLISHED_TABLES:
        path = downloads(data_dir) / f"DEMO-{name}.csv"
        rows = read_csv(path)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [c.name for c in metadata.tables[name].columns], name
        assert len(rows) == len(tables[name]), name
    assert b"\r\n" in (downloads(data_dir) / "DEMO-requests.csv").read_bytes()  # Excel's line ends


def test_csv_keeps_accents_commas_and_markup_as_written(demo):
    data_dir, _ = demo
    requests = {r["request_id"]: r for r in read_csv(downloads(data_dir) / "DEMO-requests.csv")}
    assert requests["wdtk:1001"]["title"].startswith("Live facial recognition <script>")
    forces = {r["force_id"]: r for r in read_csv(downloads(data_dir) / "DEMO-forces.csv")}
    assert json.loads(forces["metropolitan"]["aliases"])  # lists as JSON
    documents = {d["document_id"]: d for d in read_csv(downloads(data_dir) / "DEMO-documents.csv")}
    assert documents["wdtk:1002:incoming"]["text"].startswith(WELSH_GREETING)
    status = {r["force_id"]: r for r in read_csv(downloads(data_dir) / "DEMO-force_status_wide.csv")}
    assert status["south-wales"]["rfr_use_date"] == "2024-03-01"


def test_parquet_and_sqlite_downloads_hold_the_tables(demo):
    data_dir, tables = demo
    for name in PUBLISHED_TABLES:
        assert pq.read_table(downloads(data_dir) / f"DEMO-{name}.parquet").num_rows == len(tables[name])
    connection = sqlite3.connect(downloads(data_dir) / "DEMO-foi.db")
    assert connection.execute("select count(*) from findings").fetchone()[0] == len(tables["findings"])


def test_datapackage_describes_every_table_column_key_and_the_licence(demo):
    data_dir, _ = demo
    package = json.loads((downloads(data_dir) / "DEMO-datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package" and package["name"].endswith("-demo")
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["name"] for r in package["resources"]] == PUBLISHED_TABLES
    for resource in package["resources"]:
        table = metadata.tables[resource["name"]]
        assert (downloads(data_dir) / resource["path"]).exists()
        assert resource["description"] == table.comment
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in table.columns]
        assert all(f["description"] for f in fields)
        assert resource["schema"]["primaryKey"] == [c.name for c in table.primary_key.columns]
    findings = next(r for r in package["resources"] if r["name"] == "findings")
    types = {f["name"]: f["type"] for f in findings["schema"]["fields"]}
    assert (types["confidence"], types["response_date"], types["evidence_start"]) == ("number", "date", "integer")
    assert {"fields": "force_id", "reference": {"resource": "forces", "fields": "force_id"}} in findings["schema"]["foreignKeys"]


def test_downloads_page_links_every_file_and_documents_every_column(demo):
    data_dir, _ = demo
    site = Site(data_dir)
    page = site.get("/downloads").text
    files = sorted(p.name for p in downloads(data_dir).iterdir() if p.name != "DEMO-README.txt")
    for name in files:
        assert f'href="/downloads/{name}"' in page, name
        assert site.get(f"/downloads/{name}").status_code == 200, name
    for table in metadata.sorted_tables:
        for column in table.columns:
            assert f"<td>{column.name}" in page, f"{table.name}.{column.name}"
    assert 'href="/downloads"' in site.get("/").text
    assert site.get("/foi.db").status_code == 200  # Datasette's own download of the database


def test_feed_has_an_entry_per_change_linking_its_evidence(demo):
    data_dir, _ = demo
    feed = ET.fromstring((downloads(data_dir) / "DEMO-changes.atom").read_bytes())
    assert feed.tag == f"{A}feed" and feed.find(f"{A}title").text.startswith("DEMO - ")
    assert feed.find(f"{A}updated").text == "2026-11-08T06:00:00Z"
    entries = feed.findall(f"{A}entry")
    assert [e.find(f"{A}title").text for e in entries] == ["Kent Police: lfr_use changed from (none) to yes"]
    assert entries[0].find(f"{A}link").get("href") == "http://127.0.0.1:8100/request/1005#incoming"
    assert entries[0].find(f"{A}id").text.endswith(":20261108T060000Z:kent:lfr_use")


def test_two_builds_in_a_row_publish_the_change_and_its_feed_entry(tmp_path):
    write_sample(tmp_path, builds=1)
    publish(tmp_path)
    first = Site(tmp_path)
    assert first.rows("select * from changes") == []
    assert ET.fromstring((downloads(tmp_path) / "DEMO-changes.atom").read_bytes()).findall(f"{A}entry") == []

    write_sample(tmp_path, builds=2)
    publish(tmp_path)
    second = Site(tmp_path)
    assert [(r["force_id"], r["field"], r["old_value"], r["new_value"], r["build_id"])
            for r in second.rows("select * from changes")] == [("kent", "lfr_use", None, "yes", "20261108T060000Z")]
    entries = ET.fromstring((downloads(tmp_path) / "DEMO-changes.atom").read_bytes()).findall(f"{A}entry")
    assert len(entries) == 1


def test_publishing_refuses_an_undocumented_column_and_keeps_the_previous_site(tmp_path, monkeypatch):
    write_sample(tmp_path)
    publish(tmp_path)
    before = (site_dir(tmp_path) / "metadata.json").read_text()
    monkeypatch.setattr(metadata.tables["findings"].c.confidence, "comment", "")
    with pytest.raises(PublishError, match="column findings.confidence"):
        publish(tmp_path)
    monkeypatch.setattr(metadata.tables["exemptions"], "comment", " ")
    with pytest.raises(PublishError, match="table exemptions"):
        publish(tmp_path)
    assert (site_dir(tmp_path) / "metadata.json").read_text() == before


def test_live_build_has_no_demo_notice_and_plain_file_names(tmp_path):
    write_sample(tmp_path)
    path = tmp_path / "parquet" / "build_info.parquet"
    builds = pq.read_table(path).to_pandas()
    builds["mode"] = "live"
    pq.write_table(to_arrow("build_info", pd.DataFrame(builds)), path)
    publish(tmp_path)
    site = Site(tmp_path)
    for page in ["/", "/foi/force_status_wide", "/downloads"]:
        assert "DEMO" not in site.get(page).text, page
    names = {p.name for p in downloads(tmp_path).iterdir()}
    assert "findings.csv" in names and "datapackage.json" in names and not any("DEMO" in n for n in names)


def test_demo_downloads_are_named_and_labelled_demo(demo):
    data_dir, _ = demo
    assert all(p.name.startswith("DEMO-") for p in downloads(data_dir).iterdir())
    assert (downloads(data_dir) / "DEMO-README.txt").read_text().strip() == DEMO_NOTICE


def test_check_datasette_latest_passes_on_the_pinned_line(demo):
    # The same checks `make check-datasette-latest` runs on the newest Datasette, run here on the
    # pinned one, so a failure there is about the new Datasette and not about the checks.
    data_dir, _ = demo
    assert check(sys.executable, data_dir, datasette_1=False) == []
