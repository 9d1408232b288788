"""CSV injection (issue 13): text that a spreadsheet would run as a formula is defused in every CSV
the project writes (the downloads, the review queue, Datasette's own .csv export); numbers stay
numbers. The published demo build is checked in tests/test_end_to_end.py."""

import asyncio
import csv
import io
import shutil
import sqlite3
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from publish.downloads import write_csv
from publish.plugins import csv_formulas
from publish.plugins.csv_formulas import CsvRecords, defuse
from transform.overrides import REVIEW_COLUMNS, write_review_csv

PLANTED = '=HYPERLINK("http://example.invalid","x")'
HOSTILE = [PLANTED, "+ The force does not use it.", "-1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
           "\tTabbed", "\rCarriage return"]


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_defuse_prefixes_text_that_starts_like_a_formula():
    for text in HOSTILE:
        assert defuse(text) == "'" + text
    for value in ("Live facial recognition", "", "'=already defused", " =after a space", "a=b", None, -1, 2.5,
                  True, date(2024, 1, 2)):
        assert defuse(value) == value


def test_downloads_defuse_text_columns_and_keep_numbers(tmp_path):
    table = pa.table({"title": HOSTILE + ["plain"], "count": [-1, 2, -3, 4, 5, 6, 7, 8],
                      "confidence": [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]})
    path = tmp_path / "t.csv"
    pq.write_table(table, tmp_path / "t.parquet")
    write_csv(path, pq.ParquetFile(tmp_path / "t.parquet"))
    header, *rows = read(path.read_bytes().decode("utf-8-sig"))
    assert header == ["title", "count", "confidence"]
    assert [r[0] for r in rows] == ["'" + t for t in HOSTILE] + ["plain"]
    assert rows[0][1:] == ["-1", "-0.5"]  # numeric columns are written as numbers


def test_review_queue_defuses_its_quotes(tmp_path):
    row = {c: None for c in REVIEW_COLUMNS} | {"finding_id": "wdtk:1:use:lfr", "confidence": -0.0,
                                               "evidence_quote": "+ The force does not use it."}
    path = write_review_csv([row], tmp_path / "review_queue.csv")
    (written,) = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8"), newline=""))
    assert written["evidence_quote"] == "'+ The force does not use it."
    assert written["finding_id"] == "wdtk:1:use:lfr" and written["confidence"] == "-0.0"


def _datasette_csv(rows: list[list]) -> bytes:
    """``rows`` as Datasette's csv.writer writes them (CRLF line ends, minimal quoting)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_stream_rewriter_defuses_records_however_the_bytes_are_cut():
    rows = [["title", "n", "x"], [PLANTED, -1, 2.5e-05], ['a "quoted"\nline break', 3, "-1"],
            ["\rCR first", 4, "Zoë, naïve – ünïcode"], ["@", "", "+44 7700"]]
    data = _datasette_csv(rows)
    expected = [["title", "n", "x"], ["'" + PLANTED, "-1", "2.5e-05"], ['a "quoted"\nline break', "3", "-1"],
                ["'\rCR first", "4", "Zoë, naïve – ünïcode"], ["'@", "", "'+44 7700"]]
    for size in (1, 2, 3, 7, 64, len(data)):
        records = CsvRecords()
        chunks = [data[i:i + size] for i in range(0, len(data), size)]
        out = b"".join(records.feed(chunk) for chunk in chunks) + records.feed(b"", final=True)
        assert read(out.decode("utf-8")) == expected, size
    # A stream with nothing to defuse comes out byte for byte as it went in.
    plain = _datasette_csv([["a", "b"], ["x, y", 1], ['"q"', -2]])
    records = CsvRecords()
    assert records.feed(plain[:5]) + records.feed(plain[5:], final=True) == plain


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A Datasette with only this plugin, over a table with hostile text and negative numbers."""
    from datasette.app import Datasette

    folder = tmp_path_factory.mktemp("datasette")
    plugins = folder / "plugins"
    plugins.mkdir()
    shutil.copy(csv_formulas.__file__, plugins)
    db = folder / "foi.db"
    with sqlite3.connect(db) as connection:
        connection.execute("create table requests (id integer primary key, title text, n integer, x real)")
        connection.executemany("insert into requests values (?, ?, ?, ?)",
                               [(i, text, -i, -0.5) for i, text in enumerate(HOSTILE * 3, start=1)])
    connection.close()
    return Datasette([str(db)], plugins_dir=str(plugins), settings={"max_returned_rows": len(HOSTILE)})


def get(site, path):
    async def fetch():
        return await site.client.get(path)
    return asyncio.run(fetch())


def test_datasette_csv_export_is_defused_and_json_keeps_the_text(site):
    # Datasette's CSV does not say which column is text: a cell that is a plain number stays one.
    expected = [t if t == "-1" else "'" + t for t in HOSTILE] * 3
    # A table streams page after page (7 rows each); a query stops at max_returned_rows.
    for path, count in (("/foi/requests.csv?_size=max&_stream=1", 21), ("/foi/requests.csv?_size=max&_stream=1&_dl=1", 21),
                        ("/foi.csv?sql=select+title,n,x+from+requests", 7)):
        response = get(site, path)
        assert response.status_code == 200, path
        header, *rows = read(response.text)
        title, n, x = header.index("title"), header.index("n"), header.index("x")
        assert [r[title] for r in rows] == expected[:count], path
        assert all(int(r[n]) < 0 and r[x] == "-0.5" for r in rows), path  # numbers stay numbers
    row = read(get(site, "/foi/requests/1.csv").text)
    assert row[1][1] == "'" + PLANTED
    data = get(site, "/foi/requests.json?_shape=array&_size=max").json()
    assert [r["title"] for r in data] == HOSTILE


def test_datasette_pages_other_than_csv_are_untouched(site):
    page = get(site, "/foi/requests?id=1")
    assert page.status_code == 200 and "&#39;=HYPERLINK" not in page.text and "=HYPERLINK" in page.text
