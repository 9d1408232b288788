"""Publishing streams the Parquet tables a batch at a time: the database holds exactly the rows a
whole-table read gives, in the same order, whatever the batch size."""
import sqlite3

import pyarrow.parquet as pq

from publish import stream
from publish.sample import write_sample
from publish.site import _read_tables, write_database
from schema.derive import sqlite_value
from schema.tables import PUBLISHED_TABLES


def test_streamed_database_holds_the_rows_of_whole_tables(tmp_path, monkeypatch):
    write_sample(tmp_path, builds=2)
    monkeypatch.setattr(stream, "BATCH_ROWS", 3)  # many batches even in the small sample
    database = tmp_path / "foi.db"
    write_database(database, _read_tables(tmp_path / "parquet"))
    connection = sqlite3.connect(database)
    several_batches = 0
    for name in PUBLISHED_TABLES:
        whole = pq.read_table(tmp_path / "parquet" / f"{name}.parquet").to_pylist()
        expected = [tuple(sqlite_value(v) for v in row.values()) for row in whole]
        assert connection.execute(f"SELECT * FROM [{name}] ORDER BY rowid").fetchall() == expected, name
        several_batches += len(whole) > 3
    assert several_batches >= 3
    # and the full-text index covers every document
    assert connection.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == \
        pq.ParquetFile(tmp_path / "parquet" / "documents.parquet").metadata.num_rows
