"""extract_many: many files, cached by content hash, on all cores, each with a time limit.

Why our own small pool instead of concurrent.futures: a worker stuck inside a C library (a PDF
that sends a parser into a loop) cannot be interrupted, only killed, and ProcessPoolExecutor
cannot kill one worker without breaking the whole pool. Here each worker is a process group
(so Tesseract, its child, dies with it); a worker past its time limit is killed and replaced,
and the document becomes an error row.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import time
from functools import cache
from multiprocessing.connection import wait
from pathlib import Path

from transform.cache import Cache, decode, encode
from transform.progress import Progress

from . import limits
from .core import EXTRACTOR_VERSION, extract_file
from .model import Extraction

log = logging.getLogger(__name__)

# Errors caused by the machine rather than the file are not cached, so the next run retries.
_NOT_CACHED = ("time limit", "worker process died", "tesseract is not installed", "cannot read file")
CACHE_FILE = "extractions.sqlite"


@cache
def text_cache(cache_dir: Path) -> Cache:
    """The extraction cache of ``cache_dir``: one SQLite file, entries keyed by extractor version
    and content hash (one open connection per process)."""
    return Cache(Path(cache_dir) / CACHE_FILE)


def _key(sha256: str) -> str:
    return f"v{EXTRACTOR_VERSION}:{sha256}"


def load_cached(cache_dir: Path, sha256: str) -> Extraction | None:
    found = text_cache(Path(cache_dir)).get(_key(sha256))
    return Extraction.from_dict(found) if found is not None else None


def cached_hashes(cache_dir: Path) -> set[str]:
    """The content hashes the cache holds an extraction of, for this extractor version."""
    prefix = _key("")
    return {key[len(prefix):] for key in text_cache(Path(cache_dir)).keys(prefix)}


def cacheable(ex: Extraction) -> bool:
    """False for the machine's errors, which are retried next run instead."""
    return not (ex.error and any(marker in ex.error for marker in _NOT_CACHED))


def migrate_file_cache(cache_dir: Path) -> None:
    """Before the cache was one file it was a JSON file per result under ``v<version>/``: the
    current version's results are copied into the file (so no OCR is done again) and the old
    folders removed."""
    old = [d for d in Path(cache_dir).glob("v*") if d.is_dir() and d.name[1:].isdigit()]
    current = Path(cache_dir) / f"v{EXTRACTOR_VERSION}"
    if current in old:
        entries = []
        for path in current.glob("*/*.json"):
            try:
                entries.append((_key(path.stem), Extraction.from_dict(json.loads(path.read_text("utf-8"))).to_dict()))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # unreadable: extracted again
        text_cache(Path(cache_dir)).put_many(entries)
        log.info("extraction cache: %d results moved from %s into %s", len(entries), current, CACHE_FILE)
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)


def extract_many(items: list[tuple[str, Path, str | None]], cache_dir: Path, workers: int = 2,
                 progress: bool = True, time_limit: float = limits.DOCUMENT_SECONDS,
                 keep_cached: bool = True) -> dict[str, Extraction]:
    """Extract every (sha256, path, name_hint); results keyed by sha256.

    Files already in the cache (same hash, same extractor version) are not read again.
    ``keep_cached=False`` returns only the results the cache does not hold (errors of the machine,
    retried next run), so a large build does not keep every text in memory: read the others back
    with ``load_cached``.
    """
    migrate_file_cache(cache_dir)
    in_cache = cached_hashes(cache_dir)
    results: dict[str, Extraction] = {}
    todo: list[tuple[str, Path, str | None]] = []
    seen: set[str] = set()
    for sha, path, hint in items:
        if sha in seen:
            continue  # the same file attached to several messages is extracted once
        seen.add(sha)
        if sha not in in_cache:
            todo.append((sha, Path(path), hint))
        elif keep_cached:
            results[sha] = load_cached(cache_dir, sha)
    # Largest first: the long jobs start early and the two cores finish together.
    todo.sort(key=lambda t: _size(t[1]), reverse=True)
    meter = Progress("extract", len(seen), "documents", progress, cached=len(seen) - len(todo), count_pages=True)
    for sha, encoded, can_cache, pages in _run_pool(todo, workers, time_limit):
        # Stored by this process only, so the cache has one writer; each result is committed as it
        # comes, so a killed build loses none of the results it had.
        if can_cache:
            text_cache(Path(cache_dir)).put_encoded_many([(_key(sha), encoded)])
        if keep_cached or not can_cache:
            results[sha] = Extraction.from_dict(decode(encoded))
        meter.advance(pages=pages or 0)
    meter.finish()
    return results


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --- the pool -------------------------------------------------------------------------------------


def _worker_main(conn) -> None:
    os.setpgid(0, 0)  # own process group, so a kill also reaches Tesseract
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limits.WORKER_MEMORY_BYTES, limits.WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass
    conn.send("ready")  # start-up time is not charged to the first document's time limit
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        sha, path, hint = job
        ex = extract_file(Path(path), hint)
        # Encoded here for the cache, so that the parent, which writes it, has little to do.
        conn.send((sha, encode(ex.to_dict()), cacheable(ex), ex.pages))


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv() != "ready":
            raise RuntimeError("an extraction worker process did not start")
        self.job = None
        self.started = 0.0

    def give(self, job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send((job[0], str(job[1]), job[2]))

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _run_pool(todo, workers: int, time_limit: float):
    """(sha256, the extraction encoded for the cache, whether it may be cached, pages) for each
    job."""
    if not todo:
        return
    # spawn, not fork: the caller may hold threads or open libraries that fork would copy.
    ctx = multiprocessing.get_context("spawn")
    pool = [_Worker(ctx) for _ in range(max(1, min(workers, len(todo))))]
    queue = list(reversed(todo))

    def feed(i: int) -> None:
        w = pool[i]
        if w.job is None and queue:
            try:
                w.give(queue[-1])
            except (BrokenPipeError, OSError):  # an idle worker died: replace it, retry later
                w.kill()
                pool[i] = _Worker(ctx)
                return
            queue.pop()

    try:
        while queue or any(w.job for w in pool):
            for i in range(len(pool)):
                feed(i)
            busy = [w for w in pool if w.job]
            ready = wait([w.conn for w in busy], timeout=0.5)
            for i, w in enumerate(pool):
                if w.job is None:
                    continue
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                        w.job = None
                        feed(i)  # the worker's next file before this result is handled: no idle gap
                        yield result
                        continue
                    except (EOFError, OSError):
                        w.proc.join(1)
                        code = w.proc.exitcode
                        ex = _crashed(f"worker process died (exit code {code}) while extracting; "
                                      "a parsing library crashed or ran out of memory")
                elif time.monotonic() - w.started > time_limit:
                    ex = _crashed(f"extraction exceeded the time limit of {time_limit:g}s; stopped")
                else:
                    continue
                sha = w.job[0]
                ex.content_type = _sniff_quietly(w.job[1])
                w.kill()
                pool[i] = _Worker(ctx)
                yield sha, encode(ex.to_dict()), cacheable(ex), None
    finally:
        for w in pool:
            w.conn.close()  # the worker sees EOF and exits
        for w in pool:
            w.proc.join(2)
            if w.proc.is_alive():
                w.kill()


def _crashed(message: str) -> Extraction:
    return Extraction("application/octet-stream", "none", error=message)


def _sniff_quietly(path: Path) -> str:
    from .sniff import UNKNOWN, sniff
    try:
        return sniff(path)
    except Exception:
        return UNKNOWN
