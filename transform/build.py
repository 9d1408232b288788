"""One build: the raw layer in, every published table out as Parquet.

Steps, in order: reference tables; the newest raw item of each request; documents and their text
(attachments through ``transform.extract``, cached by content hash); answers per request
(``transform.answers``); committed overrides; the per-force roll-up; what changed since the
previous build; build_info. All tables are conformed to ``schema/`` and written to a temporary
directory that replaces ``parquet/`` only once every table is written, so a failed build leaves
the previous one in place.
"""

from __future__ import annotations

import logging
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pyarrow.parquet as pq

from reference.registry import load_forces, load_suppliers
from schema.derive import arrow_schema, to_arrow
from schema.tables import PUBLISHED_TABLES
from scrapers import rawstore
from transform import rollup
from transform.atomic import staged_dir
from transform.answers import Document, read_request
from transform.documents import document_rows, fill_extraction, request_id, request_row
from transform.extract import extract_many
from transform.merge import blocked_sources, merge_sources
from transform.overrides import OVERRIDES_CSV, apply_overrides, load_overrides, review_queue, write_review_csv

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


def parquet_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "parquet"


def crawl_mode(items: list[dict]) -> str:
    """``demo`` when anything was crawled from a loopback mirror, else ``live``."""
    hosts = {urlsplit(item.get("site") or item.get("url") or "").hostname for item in items}
    return "demo" if hosts & LOOPBACK_HOSTS else "live"


def _previous(data_dir: Path, table: str) -> list[dict]:
    path = parquet_dir(data_dir) / f"{table}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


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


# Below this many requests a process pool costs more to start than it saves.
PARALLEL_ANSWERS_FROM = 200


def _answer_rows_of(pair: tuple[dict, list[dict]]):
    return answer_rows(*pair)


def read_answers(requests: list[dict], documents_by_request: dict, workers: int):
    """``answer_rows`` for every request, in request order. Reading answers is pure Python and
    independent per request, so on a large build it runs in ``workers`` processes."""
    pairs = [(r, documents_by_request[r["request_id"]]) for r in requests]
    if workers <= 1 or len(pairs) < PARALLEL_ANSWERS_FROM:
        return map(_answer_rows_of, pairs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_answer_rows_of, pairs, chunksize=32))


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
    """A row for every force_status answer that differs from the previous build."""
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


def _write_parquet(data_dir: Path, tables: dict[str, list[dict]]) -> Path:
    target = parquet_dir(data_dir)
    with staged_dir(target) as tmp:
        for name in PUBLISHED_TABLES:
            pq.write_table(to_arrow(name, pd.DataFrame(tables[name], columns=arrow_schema(name).names)),
                           tmp / f"{name}.parquet")
    return target


def build(data_dir: str | Path, mode: str | None = None, workers: int = 2, progress: bool = True,
          overrides_path: Path = OVERRIDES_CSV) -> BuildSummary:
    data_dir = Path(data_dir)
    built_at = datetime.now(timezone.utc).replace(microsecond=0)
    build_id = built_at.strftime("%Y%m%dT%H%M%SZ")

    forces = [f.as_row() for f in load_forces()]
    known_forces = {f["force_id"] for f in forces}
    items = merge_sources(list(rawstore.latest_items(data_dir).values()))
    if not items:
        raise BuildError(f"no raw items under {rawstore.raw_dir(data_dir)}: run the crawl first (make crawl)")
    crawled_mode = crawl_mode(items)
    if mode and mode != crawled_mode:
        raise BuildError(f"asked for a {mode} build but the raw layer in {data_dir} was crawled from "
                         f"{'the local mirror' if crawled_mode == 'demo' else 'the live sites'}; "
                         "demo and live builds use separate data directories")
    mode = crawled_mode

    requests, documents, to_extract = [], [], []
    documents_by_request = {}
    for item in sorted(items, key=request_id):
        force_id = item.get("force_id") if item.get("force_id") in known_forces else None
        if force_id is None:
            log.warning("request %s: force %r is not in the registry; kept without a force",
                        request_id(item), item.get("force_id"))
        rows, attachments = document_rows(item, data_dir)
        requests.append(request_row(item, rows, force_id))
        documents += rows
        documents_by_request[request_id(item)] = rows
        to_extract += attachments

    extractions = extract_many([(a.sha256, a.path, a.name_hint) for a in to_extract],
                               cache_dir=data_dir / "cache" / "text", workers=workers, progress=progress)
    rows_by_id = {d["document_id"]: d for d in documents}
    for attachment in to_extract:
        fill_extraction(rows_by_id[attachment.document_id], extractions[attachment.sha256], attachment.names)

    findings, supplier_mentions, exemptions = [], [], []
    for f, s, e in read_answers(requests, documents_by_request, workers):
        findings += f
        supplier_mentions += s
        exemptions += e
    findings = apply_overrides(findings, load_overrides(overrides_path),
                               known_request_ids={r["request_id"]: r["force_id"] for r in requests})

    force_status = rollup.force_status_rows(forces, requests, findings, supplier_mentions, exemptions)
    write_review_csv(review_rows(findings), data_dir / "review_queue.csv")
    changes = _previous(data_dir, "changes") + change_rows(
        _previous(data_dir, "force_status"), force_status, build_id, built_at)
    failed = sum(1 for d in documents if d["extraction_error"] and not d["hidden"])
    build_info = _previous(data_dir, "build_info") + [{
        "build_id": build_id, "built_at": built_at, "mode": mode, "requests": len(requests),
        "documents": len(documents), "documents_failed": failed, "findings": len(findings),
        "sources": [f"{s}={n}" for s, n in sorted(pd.Series([r["source"] for r in requests]).value_counts().items())],
        "blocked_sources": [f"{b['force_id']}: {b['source']} answered {b['status']} ({b['reason']}) at {b['url']}"
                            for b in blocked_sources(data_dir)],
        "versions": [f"python={sys.version.split()[0]}", *(f"{p}={version(p)}" for p in
                     ("police-surveillance-foi", "scrapy", "pandas", "pyarrow", "datasette"))],
    }]
    tables = {
        "forces": forces, "suppliers": [s.as_row() for s in load_suppliers()], "requests": requests,
        "documents": documents, "findings": findings, "supplier_mentions": supplier_mentions,
        "exemptions": exemptions, "force_status": force_status, "changes": changes, "build_info": build_info,
    }
    target = _write_parquet(data_dir, tables)
    return BuildSummary(build_id, mode, {name: len(rows) for name, rows in tables.items()}, target)
