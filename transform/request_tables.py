"""Read requests in chunks: raw items in, rows of ``requests``, ``documents``, ``findings``,
``supplier_mentions`` and ``exemptions`` out.

A chunk is read from where its items are stored in the raw layer (``rawstore.Stored``), with the
text of attachments read back from the extraction cache, so a worker process needs only the
chunk's locations and the build holds no more than a chunk of documents at a time. Documents come
back as an Arrow table conformed to the schema, ready for the Parquet writer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from schema.derive import to_arrow
from scrapers import rawstore
from transform.answers import Document, read_request
from transform.documents import document_rows, fill_extraction, request_id, request_row
from transform.extract.batch import load_cached
from transform.extract.model import Extraction
from transform.merge import merge_group

log = logging.getLogger(__name__)


@dataclass
class Chunk:
    """The rows read from one chunk of requests."""

    requests: list[dict] = field(default_factory=list)
    documents: pa.Table | None = None
    documents_failed: int = 0
    findings: list[dict] = field(default_factory=list)
    supplier_mentions: list[dict] = field(default_factory=list)
    exemptions: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class ChunkContext:
    """What every chunk needs besides its items: the same for the whole build."""

    data_dir: Path
    cache_dir: Path  # the extraction cache (text of the attachments)
    known_forces: frozenset[str]
    # Extractions the cache does not hold (the machine's errors, retried next build).
    uncached: dict[str, Extraction]


def read_chunk(context: ChunkContext, groups: list[list[rawstore.Stored]]) -> Chunk:
    """``groups``: for each request, where its items are stored, primary first (merge_groups)."""
    chunk, documents = Chunk(), []
    for group in groups:
        item = merge_group([rawstore.load_item(stored) for stored in group])
        force_id = item.get("force_id") if item.get("force_id") in context.known_forces else None
        if force_id is None:
            log.warning("request %s: force %r is not in the registry; kept without a force",
                        request_id(item), item.get("force_id"))
        rows, attachments = document_rows(item, context.data_dir)
        by_id = {row["document_id"]: row for row in rows}
        for attachment in attachments:
            fill_extraction(by_id[attachment.document_id], _extraction(context, attachment.sha256), attachment.names)
        request = request_row(item, rows, force_id)
        findings, suppliers, exemptions = answer_rows(request, rows)
        chunk.requests.append(request)
        chunk.findings += findings
        chunk.supplier_mentions += suppliers
        chunk.exemptions += exemptions
        chunk.documents_failed += sum(1 for d in rows if d["extraction_error"] and not d["hidden"])
        documents += rows
    chunk.documents = to_arrow("documents", documents)
    return chunk


def _extraction(context: ChunkContext, sha256: str) -> Extraction:
    cached = context.uncached.get(sha256) or load_cached(context.cache_dir, sha256)
    if cached is None:  # written by this build's extraction, then lost or damaged on disk
        return Extraction("application/octet-stream", "none",
                          error=f"the extraction of {sha256} is missing from the cache under "
                                f"{context.cache_dir}; run the transform again")
    return cached


def _evidence(document: dict | None, start: int, end: int) -> dict:
    return {
        "evidence_document_id": document["document_id"] if document else None,
        "evidence_quote": document["text"][start:end] if document else None,
        "evidence_start": start, "evidence_end": end,
        "evidence_url": document["url"] if document else None,
    }


def answer_rows(request: dict, documents: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Findings, supplier mentions and exemptions for one request."""
    by_id = {d["document_id"]: d for d in documents}
    answers = read_request([
        Document(d["document_id"], d["kind"], d["author_role"], d["text"] or "")
        for d in documents if not d["hidden"]
    ])
    rid, fid = request["request_id"], request["force_id"]

    def dated(document_id: str):
        sent = by_id[document_id]["sent_at"]
        return sent[:10] if sent else request["response_date"]

    best: dict[tuple[str, str], object] = {}
    for f in answers.findings:
        key = (f.question, f.technology)
        if key not in best or f.confidence > best[key].confidence:
            best[key] = f
    findings = [{
        "finding_id": f"{rid}:{f.question}:{f.technology}", "request_id": rid, "force_id": fid,
        "technology": f.technology, "question": f.question, "answer": f.answer,
        "response_date": dated(f.document_id), **_evidence(by_id.get(f.document_id), f.start, f.end),
        "method": f.rule, "confidence": f.confidence,
    } for f in best.values()]

    suppliers, seen = [], set()
    for s in answers.suppliers:
        if (s.supplier_id, s.product) in seen:
            continue
        seen.add((s.supplier_id, s.product))
        suppliers.append({
            "mention_id": f"{rid}:{s.supplier_id}:{s.product or '-'}", "request_id": rid, "force_id": fid,
            "supplier_id": s.supplier_id, "product": s.product, "technology": s.technology,
            **_evidence(by_id.get(s.document_id), s.start, s.end), "method": s.rule,
        })

    exemptions, seen = [], set()
    for e in answers.exemptions:
        key = (e.subsection, e.ncnd)
        if key in seen:
            continue
        seen.add(key)
        exemptions.append({
            "exemption_id": f"{rid}:{e.subsection}{':ncnd' if e.ncnd else ''}", "request_id": rid,
            "force_id": fid, "section": e.section, "subsection": e.subsection, "ncnd": e.ncnd,
            **_evidence(by_id.get(e.document_id), e.start, e.end),
        })
    return findings, suppliers, exemptions
