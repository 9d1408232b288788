"""Parquet tables read a batch of rows at a time, so publishing never holds a whole table (the
documents table, with every text, is most of the data)."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow.parquet as pq

BATCH_ROWS = 2_000


def rows(table: pq.ParquetFile) -> Iterator[dict]:
    """The rows of a table as dicts, in order."""
    for batch in table.iter_batches(batch_size=BATCH_ROWS):
        yield from batch.to_pylist()
