"""A cache in one SQLite file: keys to JSON values (compressed), for the text of attachments
(``transform.extract.batch``) and the answers read from requests (``transform.request_tables``).

One file instead of a file per entry: a lookup or a write is a B-tree operation instead of a
file created and renamed. The file is in WAL mode and each ``put_many`` is one transaction, so a
killed process leaves every committed entry readable and an uncommitted one simply absent (SQLite
rolls it back the next time the file is opened). A file SQLite cannot read (damaged, or not a
database) is moved aside with a warning and the cache starts empty: a cache only saves work, it
never changes a result.

A ``Cache`` can be pickled into worker processes: each process opens its own connection.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)


class Cache:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._pid = None

    def __getstate__(self):
        return {"path": self.path}

    def __setstate__(self, state):
        self.__init__(state["path"])

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = _open(self.path)
            except sqlite3.DatabaseError as error:
                aside = self.path.with_name(f"{self.path.name}.damaged")
                log.warning("the cache %s cannot be read (%s): moved to %s, starting an empty cache",
                            self.path, error, aside)
                os.replace(self.path, aside)
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._db = _open(self.path)
            self._pid = os.getpid()
        return self._db

    def get(self, key: str):
        """The value stored under ``key``, or None."""
        row = self._connection().execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return decode(row[0]) if row else None

    def keys(self, prefix: str = "") -> set[str]:
        """Every key starting with ``prefix``."""
        rows = self._connection().execute("SELECT key FROM entries WHERE key >= ? AND key < ?",
                                          (prefix, prefix + "\U0010ffff"))
        return {key for (key,) in rows}

    def put_many(self, entries: Iterable[tuple[str, object]]) -> None:
        """Store (key, value) pairs in one transaction: all of them or, if the process dies, none."""
        self.put_encoded_many((key, encode(value)) for key, value in entries)

    def put_encoded_many(self, entries: Iterable[tuple[str, bytes]]) -> None:
        """``put_many`` with values already encoded (``encode``), by a worker process, say, so
        that the one writing process does not also spend its time encoding."""
        db = self._connection()
        with db:
            db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", entries)

    def put(self, key: str, value) -> None:
        self.put_many([(key, value)])

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


def encode(value) -> bytes:
    """A value as stored: JSON, compressed (level 1: cached texts shrink about fivefold for little
    time)."""
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode(), 1)


def decode(stored: bytes):
    return json.loads(zlib.decompress(stored))


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60)  # ``with db``: one transaction, committed or rolled back
    # WAL: readers in other processes never block the writer; NORMAL: a commit survives the
    # process being killed (not a power cut, after which the cache may lose its last entries).
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    return db
