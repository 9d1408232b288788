"""The raw layer: original files stored by content hash, and items as JSON Lines.

This module owns the on-disk format (docs/ARCHITECTURE.md); spiders write through it and
transform reads through it. The layer is append-only: files are written to a temporary name in
the same directory and renamed, and item lines are appended whole, so a crawl killed at any
moment leaves at worst one unterminated last line, which readers skip.

Files are synced to disk before they are renamed into place, so not even a power cut can leave a
file under its hash without its whole content (the crawl would take it as stored). Item lines
are flushed to the system at once, which is all a killed process needs, and synced when the run
file is closed: a power cut may lose the last items, and the next crawl fetches those requests
again, the raw layer being its state. A crawl writes files through ``FileStore``, which syncs
them on a worker thread: on this machine the syncs were a third of a crawl's time when each
held up the crawl (docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


def raw_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / "raw"


def file_path(data_dir: str | Path, sha256: str) -> Path:
    return raw_dir(data_dir) / "files" / sha256[:2] / sha256


def _write_file(data_dir: str | Path, sha256: str, body: bytes) -> None:
    target = file_path(data_dir, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the layer (same file system, so the rename is atomic), never inside it: a
    # write cut short by a kill leaves nothing half-written under files/.
    staging = raw_dir(data_dir) / "tmp"
    staging.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=staging, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FileStore:
    """Bodies stored by their SHA-256, once: the hash at once, the write, sync and rename on a
    worker thread, so a slow disk does not hold up the crawl. ``durable()`` waits until every file handed over so
    far is in place; the item pipeline awaits it before writing an item, so no item ever names a
    file the layer does not hold. A file stored twice at once is written twice, to the same end."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = data_dir
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rawstore")
        self._pending: list[Future] = []

    def store(self, body: bytes) -> str:
        sha256 = hashlib.sha256(body).hexdigest()
        if not file_path(self.data_dir, sha256).exists():
            self._pending.append(self._pool.submit(_write_file, self.data_dir, sha256, body))
        return sha256

    async def durable(self) -> None:
        pending, self._pending = self._pending, []
        for future in pending:
            await asyncio.wrap_future(future)  # a failed write raises here: the item is not written

    def close(self) -> None:
        """Wait for the writes still running (a crawl's end)."""
        self._pool.shutdown(wait=True)
        for future in self._pending:
            future.result()
        self._pending = []


def download_failed(attachment: dict) -> bool:
    """An attachment the crawl meant to fetch and could not: it has a URL but no sha256 (its
    ``error`` says why). A hidden one was never meant to be fetched. The next crawl tries it again."""
    return bool(attachment.get("url")) and not attachment.get("sha256") and not attachment.get("hidden")


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


class ItemWriter:
    """Appends items to ``raw/items/<spider>/<run_id>.jsonl``, one whole line per write."""

    def __init__(self, data_dir: str | Path, spider: str, run_id: str | None = None):
        self.path = raw_dir(data_dir) / "items" / spider / f"{run_id or new_run_id()}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("ab")

    def write(self, item: dict) -> None:
        line = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
        self._handle.write(line)
        self._handle.flush()

    def close(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()


@dataclass(frozen=True)
class Stored:
    """Where a complete item is kept: its run file and the byte offset of its line."""

    path: Path
    offset: int


def iter_items(data_dir: str | Path, spider: str | None = None) -> Iterator[dict]:
    """Every complete item in the raw layer, oldest run first."""
    for _, item in iter_stored(data_dir, spider):
        yield item


def iter_stored(data_dir: str | Path, spider: str | None = None) -> Iterator[tuple[Stored, dict]]:
    """Every complete item with where it is stored, oldest run first."""
    base = raw_dir(data_dir) / "items"
    pattern = f"{spider}/*.jsonl" if spider else "*/*.jsonl"
    for path in sorted(base.glob(pattern), key=lambda p: p.name):
        yield from _read_run_stored(path)


def read_run(path: Path) -> Iterator[dict]:
    """The complete items of one run file."""
    for _, item in _read_run_stored(path):
        yield item


def _read_run_stored(path: Path) -> Iterator[tuple[Stored, dict]]:
    with path.open("rb") as handle:
        offset = 0
        for line in handle:
            if not line.endswith(b"\n"):
                break  # the unterminated tail of a killed crawl: never half an item
            if line.strip():
                yield Stored(path, offset), json.loads(line)
            offset += len(line)


def load_item(stored: Stored) -> dict:
    """The item kept at ``stored`` (from ``iter_stored`` or ``latest_items(keep=...)``)."""
    with stored.path.open("rb") as handle:
        handle.seek(stored.offset)
        return json.loads(handle.readline())


def latest_runs(data_dir: str | Path) -> list[Path]:
    """The newest run file of each spider."""
    runs = []
    for folder in sorted((raw_dir(data_dir) / "items").glob("*/")):
        files = sorted(folder.glob("*.jsonl"), key=lambda p: p.name)
        if files:
            runs.append(files[-1])
    return runs


def latest_items(data_dir: str | Path, item_type: str = "request",
                 keep: Callable[[Stored, dict], Any] | None = None) -> dict[tuple[str, str], Any]:
    """The newest item per (source, source_id): later fetches supersede earlier ones. ``keep``
    chooses what is held per key instead of the whole item (e.g. a summary and where the item is
    stored), so a large raw layer need not be held in memory."""
    latest: dict[tuple[str, str], tuple[str, Any]] = {}
    for stored, item in iter_stored(data_dir):
        if item.get("item_type") != item_type:
            continue
        key = (item["source"], str(item["source_id"]))
        fetched_at = item.get("fetched_at", "")
        if key not in latest or fetched_at >= latest[key][0]:
            latest[key] = (fetched_at, keep(stored, item) if keep else item)
    return {key: value for key, (_, value) in latest.items()}
