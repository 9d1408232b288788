"""One build: the raw layer in, every published table out as Parquet.

Steps, in order: reference tables; a summary of the newest raw item of each request, and which
items are one request (``transform.merge``); the text of every attachment (``transform.extract``,
cached by content hash); requests read in chunks into documents and answers
(``transform.request_tables``; each request's rows and what the reader finds are cached, so
only new and changed requests are read, and when no request changed the previous
``documents.parquet`` is copied instead of written again); committed overrides; the per-force
roll-up; what changed since the previous build; build_info. All tables are conformed to
``schema/`` and written to a temporary directory that replaces ``parquet/`` only once every table
is written, so a failed build leaves the previous one in place.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.parquet as pq

from reference.registry import load_forces, load_suppliers
from reference import technologies
from schema.derive import arrow_schema, to_arrow
from schema.tables import PUBLISHED_TABLES
from scrapers import rawstore
from transform import rollup
from transform.atomic import staged_dir, write_json_atomic
from transform.cache import Cache
from transform.documents import files_to_extract, request_id, stored_files
from transform.extract import extract_many
from transform.merge import blocked_sources, merge_groups, request_reference
from transform.overrides import OVERRIDES_CSV, apply_overrides, load_overrides, review_queue, write_review_csv
from transform.progress import Progress
from transform.request_tables import (READER_INPUTS, TRANSFORM_INPUTS, Chunk, ChunkContext, item_fingerprint,
                                      read_cache, read_chunk, request_key, versions)

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class BuildError(RuntimeError):
    """The build cannot go ahead; the message says what to do."""


@dataclass
class BuildSummary:
    build_id: str
    mode: str
    tables: dict[str, int]
    parquet_dir: Path
    seconds: dict[str, float]  # per step: plan, extract, read, tables


def parquet_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "parquet"


def crawl_mode(items: list[dict]) -> str:
    """``demo`` when anything was crawled from a loopback mirror, else ``live``."""
    hosts = {urlsplit(item.get("site") or item.get("url") or "").hostname for item in items}
    return "demo" if hosts & LOOPBACK_HOSTS else "live"


def _previous(data_dir: Path, table: str) -> list[dict]:
    path = parquet_dir(data_dir) / f"{table}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def review_rows(findings: list[dict]) -> list[dict]:
    """Doubtful findings (low confidence, rules disagreeing, unclear) and those behind a
    ``conflicting`` force status: what a maintainer should read before trusting the table."""
    queue = {row["finding_id"]: row for row in review_queue(findings)}
    for row in rollup.conflicts(findings):
        if row["method"] == "override":
            continue
        entry = queue.setdefault(row["finding_id"], {**row, "reason": ""})
        entry["reason"] = "; ".join(filter(None, [entry["reason"], "recent answers of the force disagree"]))
    return sorted(queue.values(), key=lambda r: (r["force_id"] or "", r["finding_id"]))


def change_rows(previous: list[dict], current: list[dict], build_id: str, built_at: datetime) -> list[dict]:
    """A row for every answer of force_status_wide that differs from the previous build."""
    if not previous:
        return []
    before = {row["force_id"]: row for row in previous}
    rows = []
    for row in current:
        old = before.get(row["force_id"], {})
        for field in [*rollup.STATUS_FIELDS, "suppliers"]:
            old_value, new_value = old.get(field), row.get(field)
            if field == "suppliers":
                old_value, new_value = ",".join(old_value or []) or None, ",".join(new_value or []) or None
            if old_value != new_value:
                rows.append({
                    "change_id": f"{build_id}:{row['force_id']}:{field}", "build_id": build_id,
                    "force_id": row["force_id"], "field": field, "old_value": old_value, "new_value": new_value,
                    "evidence_url": row.get(f"{field}_url"), "changed_at": built_at,
                })
    return rows


# Requests per task of the reading step: small enough that a chunk's documents are a few MB.
CHUNK_REQUESTS = 100
# Below this many requests a process pool costs more to start than it saves.
PARALLEL_FROM = 200


def _summary(data_dir: Path):
    """What the build keeps of each raw item while planning: no messages, just what merging and
    extraction need and where the whole item is stored."""
    def keep(stored: rawstore.Stored, item: dict) -> dict:
        head = {key: item.get(key) for key in ("source", "source_id", "force_id", "url", "site")}
        located = stored_files(item, data_dir)
        return {**head, "reference": request_reference(item), "stored": stored,
                "files": files_to_extract(located), "fingerprint": item_fingerprint(item, located)}
    return keep


def _read_chunks(context: ChunkContext, requests: list[tuple[str, list[rawstore.Stored]]],
                 workers: int) -> Iterator[Chunk]:
    """``read_chunk`` over every chunk, in order; on a large build in ``workers`` processes."""
    chunks = [requests[i:i + CHUNK_REQUESTS] for i in range(0, len(requests), CHUNK_REQUESTS)]
    if workers <= 1 or len(requests) < PARALLEL_FROM:
        yield from (read_chunk(context, chunk) for chunk in chunks)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(partial(read_chunk, context), chunks)


# The cache entry saying which requests' rows the last documents.parquet was written from.
DOCUMENTS_WRITTEN = "documents.parquet"


def _unchanged_requests(cache: Cache, keys: list[str], previous: Path) -> Chunk | None:
    """When the previous build wrote ``previous`` (its documents.parquet) from the rows of exactly
    these requests, in this order, and the file is still the one it wrote: every request's rows
    but its documents, from the cache, in one chunk (the file is copied, not written again).
    Otherwise None: some request changed, or the transform did (it is part of every key)."""
    written = cache.get(DOCUMENTS_WRITTEN)
    if written is None or written["requests"] != _keys_digest(keys) or not previous.exists():
        return None
    if _file_digest(previous) != written["sha256"]:
        return None  # replaced or damaged since
    chunk = Chunk()
    for key in keys:
        rows = cache.get("rows:" + key)
        if rows is None:  # not cached (its text had a machine error): read the requests again
            return None
        chunk.add(rows)
    return chunk


def _write_documents(chunks: Iterator[Chunk], path: Path) -> Iterator[Chunk]:
    """The chunks, each one's documents written to ``path`` first."""
    with pq.ParquetWriter(path, arrow_schema("documents")) as writer:
        for chunk in chunks:
            writer.write_table(chunk.documents)
            yield chunk


def _keys_digest(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def _file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def build(data_dir: str | Path, mode: str | None = None, workers: int = 2, progress: bool = True,
          overrides_path: Path = OVERRIDES_CSV) -> BuildSummary:
    """Streaming: the raw layer is planned from summaries of its items, attachments are extracted
    into the cache, then requests are read in chunks and ``documents`` is written chunk by chunk,
    so memory holds the small tables and a chunk of documents, whatever the size of the corpus."""
    data_dir = Path(data_dir)
    built_at = _build_time(data_dir)
    build_id = built_at.strftime("%Y%m%dT%H%M%SZ")

    clock = _StepClock()
    forces = [f.as_row() for f in load_forces()]
    heads = list(rawstore.latest_items(data_dir, keep=_summary(data_dir)).values())
    if not heads:
        raise BuildError(f"no raw items under {rawstore.raw_dir(data_dir)}: run the crawl first (make crawl)")
    crawled_mode = crawl_mode(heads)
    if mode and mode != crawled_mode:
        raise BuildError(f"asked for a {mode} build but the raw layer in {data_dir} was crawled from "
                         f"{'the local mirror' if crawled_mode == 'demo' else 'the live sites'}; "
                         "demo and live builds use separate data directories")
    mode = crawled_mode

    groups = sorted(merge_groups(heads), key=lambda group: request_id(heads[group[0]]))
    transform_version = versions(TRANSFORM_INPUTS)
    keys = [request_key(transform_version, [heads[i]["fingerprint"] for i in group]) for group in groups]
    clock.step("plan")
    cache_dir = data_dir / "cache" / "text"
    uncached = extract_many([file for head in heads for file in head["files"]], cache_dir=cache_dir,
                            workers=workers, progress=progress, keep_cached=False)
    cache = read_cache(data_dir)
    context = ChunkContext(data_dir, cache_dir, frozenset(f["force_id"] for f in forces), uncached,
                           cache, versions(READER_INPUTS), transform_version)
    clock.step("extract")

    requests, findings, supplier_mentions, exemptions = [], [], [], []
    documents_failed = 0
    methods: Counter = Counter()  # documents by extraction method, for the build's report
    meter = Progress("read", len(groups), "requests", progress)
    with staged_dir(parquet_dir(data_dir)) as staging:
        documents_path, previous = staging / "documents.parquet", parquet_dir(data_dir) / "documents.parquet"
        unchanged = _unchanged_requests(cache, keys, previous)
        if unchanged is not None:
            shutil.copyfile(previous, documents_path)
            chunks = iter([unchanged])
        else:
            chunks = _write_documents(_read_chunks(
                context, [(key, [heads[i]["stored"] for i in group]) for key, group in zip(keys, groups)], workers),
                documents_path)
        for chunk in chunks:
            documents_failed += chunk.documents_failed
            methods.update(chunk.methods)
            requests += chunk.requests
            findings += chunk.findings
            supplier_mentions += chunk.supplier_mentions
            exemptions += chunk.exemptions
            cache.put_encoded_many(chunk.new_cache_entries)  # by this process only: the cache has one writer
            meter.advance(len(chunk.requests))
        documents = sum(methods.values())
        if unchanged is None:
            written = {"requests": _keys_digest(keys), "sha256": _file_digest(documents_path)}
        meter.finish()
        clock.step("read")
        findings = apply_overrides(findings, load_overrides(overrides_path),
                                   known_request_ids={r["request_id"]: r["force_id"] for r in requests})

        force_status, force_status_wide = rollup.force_status_rows(forces, requests, findings, supplier_mentions,
                                                                   exemptions)
        write_review_csv(review_rows(findings), data_dir / "review_queue.csv")
        changes = _previous(data_dir, "changes") + change_rows(
            _previous(data_dir, "force_status_wide"), force_status_wide, build_id, built_at)
        build_info = _previous(data_dir, "build_info") + [{
            "build_id": build_id, "built_at": built_at, "mode": mode, "requests": len(requests),
            "documents": documents, "documents_failed": documents_failed, "findings": len(findings),
            "sources": [f"{s}={n}" for s, n in sorted(Counter(r["source"] for r in requests).items())],
            "blocked_sources": [f"{b['force_id']}: {b['source']} answered {b['status']} ({b['reason']}) at {b['url']}"
                                for b in blocked_sources(data_dir)],
            "versions": [f"python={sys.version.split()[0]}", *(f"{p}={version(p)}" for p in
                         ("police-surveillance-foi", "scrapy", "pandas", "pyarrow", "datasette"))],
        }]
        tables = {
            "forces": forces, "suppliers": [s.as_row() for s in load_suppliers()],
            "technologies": technologies.rows(), "requests": requests,
            "findings": findings, "supplier_mentions": supplier_mentions,
            "exemptions": exemptions, "force_status": force_status,
            "force_status_wide": force_status_wide, "changes": changes, "build_info": build_info,
        }
        for name, rows in tables.items():
            pq.write_table(to_arrow(name, rows), staging / f"{name}.parquet")
    clock.step("tables")
    # Recorded once the new tables are in place: a build killed before then leaves the previous
    # record, which no longer matches the file, so the next build writes documents.parquet again.
    if unchanged is None:
        cache.put(DOCUMENTS_WRITTEN, written)
    counts = {name: documents if name == "documents" else len(tables[name]) for name in PUBLISHED_TABLES}
    summary = BuildSummary(build_id, mode, counts, parquet_dir(data_dir), clock.seconds)
    _write_report(data_dir, summary, documents_failed, methods)
    return summary


def _build_time(data_dir: Path) -> datetime:
    """Now, to the second (build ids are made of it). A build with nothing to read can finish
    within a second of the previous one: it waits for the next second so its id is new."""
    previous = {row["built_at"] for row in _previous(data_dir, "build_info")}
    while (now := datetime.now(timezone.utc).replace(microsecond=0)) in previous:
        time.sleep(1.05 - datetime.now(timezone.utc).microsecond / 1e6)
    return now


class _StepClock:
    """Seconds spent in each step of the build, for its report."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = time.monotonic()

    def step(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = round(now - self._last, 3)
        self._last = now


def _write_report(data_dir: Path, summary: BuildSummary, documents_failed: int, methods: Counter) -> None:
    """``<data-dir>/reports/transform/<build_id>.json``: the build's counts and each step's time."""
    report = {"build_id": summary.build_id, "mode": summary.mode, "tables": summary.tables,
              "documents_failed": documents_failed,
              # A hidden or undownloaded attachment has no file to read, so no method.
              "documents_by_method": {method or "no_file": n for method, n in methods.most_common()},
              "seconds": summary.seconds}
    write_json_atomic(data_dir / "reports" / "transform" / f"{summary.build_id}.json", report, indent=1)
