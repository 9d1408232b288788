"""Read requests in chunks: raw items in, rows of ``requests``, ``documents``, ``findings``,
``supplier_mentions`` and ``exemptions`` out.

A chunk is read from where its items are stored in the raw layer (``rawstore.Stored``), with the
text of attachments read back from the extraction cache, so a worker process needs only the
chunk's locations and the build holds no more than a chunk of documents at a time. Documents come
back as an Arrow table conformed to the schema, ready for the Parquet writer.

Two caches, in one SQLite file (``read_cache``), make a build read only what changed:

- each request's rows, keyed by ``request_key``: its raw items, whether their attachment files are
  stored, and ``versions(TRANSFORM_INPUTS)`` (a hash of the transform's code and reference files).
  A request whose items did not change is not read again at all. Its documents are kept apart
  from its other rows (``rows:`` and ``documents:`` entries), so a build that reuses the previous
  ``documents.parquet`` (transform/build.py) never decodes them;
- what ``read_request`` finds, keyed by the request's documents as the reader sees them (ids,
  kinds, authors, texts after personal data is removed) and ``versions(READER_INPUTS)``, a hash of
  every file the reader's output depends on: a request whose items changed but not its documents
  (a new status, say) is not read again either. A changed rule, vocabulary or registry file
  changes both versions and every request is read again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from reference import technologies
from schema.derive import to_arrow
from scrapers import rawstore
from transform.cache import Cache, encode
from transform.documents import document_rows, fill_extraction, request_row
from transform.extract.batch import load_cached
from transform.extract.model import Extraction
from transform.merge import merge_group

if TYPE_CHECKING:
    from transform.answers import RequestAnswers

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# The files whose content decides what the reader finds in a text: its rules and vocabulary, the
# personal data rules (they decide the text it is given), the technology and supplier registries.
# The rule table is a YAML file beside the reader; a registry read from another folder
# (FOI_TECHNOLOGIES_DIR) counts with its own files.
READER_INPUTS = ("transform/answers/*.py", "transform/answers/*.yaml", "transform/personal_data.py",
                 "transform/personal_data.yaml", "reference/technologies.py", "reference/technologies/*.yaml",
                 "reference/registry.py", "reference/suppliers.csv", "reference/forces.csv",
                 *([f"{technologies.TECHNOLOGIES_DIR}/*.yaml"] if os.environ.get("FOI_TECHNOLOGIES_DIR") else []))
# The files whose content decides a request's rows: the whole transform (extractors included),
# the schema and the reference files.
TRANSFORM_INPUTS = READER_INPUTS + ("transform/*.py", "transform/*.yaml", "transform/extract/*.py", "schema/*.py",
                                    "scrapers/rawstore.py")


def versions(inputs: tuple[str, ...], root: Path = ROOT) -> str:
    """A hash of the files matching ``inputs`` (names and contents), part of the cache keys."""
    digest = hashlib.sha256()
    for path in sorted({path for pattern in inputs for path in _matching(root, pattern)}):
        digest.update(f"{path.relative_to(root) if path.is_relative_to(root) else path}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _matching(root: Path, pattern: str) -> list[Path]:
    paths = list(Path(pattern).parent.glob(Path(pattern).name) if Path(pattern).is_absolute() else root.glob(pattern))
    if not paths:
        raise FileNotFoundError(f"no file matches {root / pattern}, of which the transform's caches keep a "
                                "version: update READER_INPUTS or TRANSFORM_INPUTS in transform/request_tables.py")
    return paths


def read_cache(data_dir: Path) -> Cache:
    return Cache(Path(data_dir) / "cache" / "requests.sqlite")


def item_fingerprint(item: dict, located: list[tuple[dict, Path | None, str | None]]) -> str:
    """A raw item as its request's rows depend on it: its content, and for each attachment
    whether its file is stored (``stored_files``: a file fetched or lost since changes the rows)."""
    return _hash([item, [error for _, _, error in located]])


def request_key(transform_version: str, fingerprints: list[str]) -> str:
    """The cache key of a request's rows: its items' fingerprints (primary first) and the
    transform's version."""
    return _hash([transform_version, fingerprints])


@dataclass
class Chunk:
    """The rows read from one chunk of requests."""

    requests: list[dict] = field(default_factory=list)
    documents: pa.Table | None = None  # None when the build reuses the previous documents.parquet
    documents_failed: int = 0
    methods: Counter = field(default_factory=Counter)  # documents by extraction method, for the report
    findings: list[dict] = field(default_factory=list)
    supplier_mentions: list[dict] = field(default_factory=list)
    exemptions: list[dict] = field(default_factory=list)
    # For context.cache, encoded here: the process writing them has only to store them.
    new_cache_entries: list[tuple[str, bytes]] = field(default_factory=list)

    def add(self, rows: dict) -> None:
        """One request's rows but its documents (a ``rows:`` entry of the cache)."""
        self.requests.append(rows["request"])
        self.findings += rows["findings"]
        self.supplier_mentions += rows["supplier_mentions"]
        self.exemptions += rows["exemptions"]
        self.documents_failed += rows["documents_failed"]
        self.methods.update(dict(rows["methods"]))
        if rows["unknown_force"] is not None:
            _warn_unknown_force(rows["request"]["request_id"], rows["unknown_force"])


@dataclass(frozen=True)
class ChunkContext:
    """What every chunk needs besides its items: the same for the whole build."""

    data_dir: Path
    cache_dir: Path  # the extraction cache (text of the attachments)
    known_forces: frozenset[str]
    # Extractions the cache does not hold (the machine's errors, retried next build).
    uncached: dict[str, Extraction]
    cache: Cache  # each request's rows, and read_request's results (read_cache)
    reader_version: str  # versions(READER_INPUTS)
    transform_version: str  # versions(TRANSFORM_INPUTS)


def read_chunk(context: ChunkContext, requests: list[tuple[str, list[rawstore.Stored]]]) -> Chunk:
    """``requests``: for each request its ``request_key`` and where its items are stored, primary
    first (merge_groups)."""
    chunk, documents = Chunk(), []
    for key, group in requests:
        rows, docs = context.cache.get("rows:" + key), context.cache.get("documents:" + key)
        if rows is None or docs is None:
            rows, docs, cacheable = _read(context, merge_group([rawstore.load_item(s) for s in group]), chunk)
            if cacheable:
                chunk.new_cache_entries += [("rows:" + key, encode(rows)), ("documents:" + key, encode(docs))]
        chunk.add(rows)
        documents += docs
    chunk.documents = to_arrow("documents", documents)
    return chunk


def _read(context: ChunkContext, item: dict, chunk: Chunk) -> tuple[dict, list[dict], bool]:
    """One request's rows (but its documents), its documents, and whether they may be cached
    (every text came from the extraction cache: the machine's errors are retried next build)."""
    force_id = item.get("force_id") if item.get("force_id") in context.known_forces else None
    rows, attachments = document_rows(item, context.data_dir)
    by_id = {row["document_id"]: row for row in rows}
    cacheable = True
    for attachment in attachments:
        extraction = load_cached(context.cache_dir, attachment.sha256)
        if extraction is None:
            extraction, cacheable = _not_in_cache(context, attachment.sha256), False
        fill_extraction(by_id[attachment.document_id], extraction, attachment.names)
    request = request_row(item, rows, force_id)
    findings, suppliers, exemptions = answer_rows(request, rows, _answers(context, rows, chunk))
    return {"request": request, "findings": findings, "supplier_mentions": suppliers, "exemptions": exemptions,
            "documents_failed": sum(1 for d in rows if d["extraction_error"] and not d["hidden"]),
            "methods": list(Counter(d["extraction_method"] for d in rows).items()),
            "unknown_force": None if force_id else item.get("force_id")}, rows, cacheable


def _warn_unknown_force(request: str, force_id) -> None:
    log.warning("request %s: force %r is not in the registry; kept without a force", request, force_id)


def _not_in_cache(context: ChunkContext, sha256: str) -> Extraction:
    cached = context.uncached.get(sha256)
    if cached is None:  # written by this build's extraction, then lost or damaged on disk
        return Extraction("application/octet-stream", "none",
                          error=f"the extraction of {sha256} is missing from the cache under "
                                f"{context.cache_dir}; run the transform again")
    return cached


def _answers(context: ChunkContext, rows: list[dict], chunk: Chunk):
    """``read_request`` on the documents, or its result from the cache."""
    # Imported here: the reader compiles its rules on import, which a build that reads nothing
    # again (every request's rows cached) need not wait for.
    from transform.answers import Exemption, Finding, RequestAnswers, SupplierMention, read_request
    documents = reader_documents(rows)
    key = "answers:" + _hash([context.reader_version, *([d.document_id, d.kind, d.author_role, d.text]
                                                       for d in documents)])
    cached = context.cache.get(key)
    if cached is not None:
        return RequestAnswers([Finding(**f) for f in cached["findings"]],
                              [SupplierMention(**s) for s in cached["suppliers"]],
                              [Exemption(**{**e, "covers": tuple(e["covers"])}) for e in cached["exemptions"]])
    answers = read_request(documents)
    # The dataclasses' fields as they are: dataclasses.asdict copies every value deeply, which
    # cost as much as building the request's document rows.
    chunk.new_cache_entries.append((key, encode({"findings": [vars(f) for f in answers.findings],
                                                 "suppliers": [vars(s) for s in answers.suppliers],
                                                 "exemptions": [vars(e) for e in answers.exemptions]})))
    return answers


def reader_documents(rows: list[dict]) -> list:
    """A request's document rows as the reader takes them (``transform.answers.Document``; hidden
    ones left out)."""
    from transform.answers import Document
    return [Document(d["document_id"], d["kind"], d["author_role"], d["text"] or "") for d in rows if not d["hidden"]]


def _hash(content: list) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _evidence(document: dict | None, start: int, end: int) -> dict:
    return {
        "evidence_document_id": document["document_id"] if document else None,
        "evidence_quote": document["text"][start:end] if document else None,
        "evidence_start": start, "evidence_end": end,
        "evidence_url": document["url"] if document else None,
    }


def answer_rows(request: dict, documents: list[dict], answers: RequestAnswers) -> tuple[list[dict], list[dict], list[dict]]:
    """Findings, supplier mentions and exemptions for one request, from what the reader found."""
    by_id = {d["document_id"]: d for d in documents}
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
