"""The benchmark corpora: the scaled WDTK requests (mirror/sites/wdtk/scaled.py) written straight
into the raw layer, as if crawled, at any N; generated once and cached under data/bench/corpus/.

Why synthesised rather than crawled: a crawl fetches a request's JSON, its page and each
attachment, one after another; 50k requests are ~150k HTTP fetches, which alone would take longer
than the whole 30-minute benchmark on two cores. The crawl is measured separately, at 1k, against
the mirror serving the same plan. Items follow the raw-layer contract (docs/ARCHITECTURE.md) and
attachment bytes are the bytes the mirror serves for the same request.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from pathlib import Path

from mirror.sites.wdtk import files, scaled
from mirror.sites.wdtk.loader import Loader
from mirror.sites.wdtk.model import simplify_url_part
from scrapers import rawstore

from .common import ROOT

CACHE = ROOT / "data" / "bench" / "corpus"
SITE = "http://127.0.0.1:8100"  # a loopback site: the build is a demo build, as from the mirror
FETCHED_AT = "2026-11-20T12:00:00.000000Z"
PARTS = 2  # generating processes (the machine has two cores)


def fingerprint() -> str:
    """Changes when the plan, the file writers or this writer change, so a stale cached corpus is
    rebuilt."""
    code = b"".join(Path(module.__file__).read_bytes() for module in (scaled, files)) + Path(__file__).read_bytes()
    return hashlib.sha256(code).hexdigest()[:16]


def raw_corpus(n: int) -> Path:
    """A data directory whose raw/ holds the n-request corpus (built on first use)."""
    folder = CACHE / f"n{n}"
    marker = folder / "complete"
    if marker.exists() and marker.read_text() == fingerprint():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "raw").mkdir(parents=True)
    content = Loader().load()
    bodies = scaled.force_bodies(content)
    force_ids = {b.url_name: b.force_id for b in content.bodies.values() if b.force_id}
    with multiprocessing.get_context("fork").Pool(PARTS) as pool:
        pool.starmap(_write_part, [(folder, n, bodies, force_ids, part) for part in range(PARTS)])
    marker.write_text(fingerprint())
    return folder


def _write_part(folder: Path, n: int, bodies: list[str], force_ids: dict[str, str], part: int) -> None:
    items = rawstore.raw_dir(folder) / "items" / "wdtk" / f"20261120T120000{part:06d}Z.jsonl"
    items.parent.mkdir(parents=True, exist_ok=True)
    with items.open("wb") as out:
        for planned in scaled.plan(n, bodies, part, PARTS):
            item = raw_item(folder, planned, force_ids)
            out.write(json.dumps(item, ensure_ascii=False, sort_keys=True).encode() + b"\n")


def _store(folder: Path, body: bytes) -> str:
    # Like rawstore.FileStore without the fsync per file: a cache we can rebuild, not crawl state.
    sha = hashlib.sha256(body).hexdigest()
    path = rawstore.file_path(folder, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".tmp-{os.getpid()}")
        tmp.write_bytes(body)
        os.replace(tmp, path)
    return sha


def raw_item(folder: Path, planned: scaled.PlannedRequest, force_ids: dict[str, str]) -> dict:
    """``force_ids``: each public body's url_name -> its force_id (the forces only)."""
    number = planned.number
    slug = simplify_url_part(planned.title)
    url = f"{SITE}/request/{slug}"
    sent = planned.sent_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    messages = [{"message_id": f"outgoing-{1_000_000 + number}", "direction": "outgoing", "event_type": "sent",
                 "author": planned.user.replace("_", " ").title(), "sent_at": sent,
                 "text": planned.request_text, "hidden": False, "attachments": []}]
    signature = f"outgoing-{1_000_000 + number}|{sent}|waiting_response"
    if planned.state:
        answered = planned.answered_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        incoming = f"incoming-{2_000_000 + number}"
        attachments = []
        for part, a in enumerate(planned.attachments, 2):
            body = scaled.attachment_bytes(a)
            attachments.append({
                "attachment_id": str(10_000_000 + number * 10 + part), "name": a.name, "filename": a.name,
                "display_size": f"{max(1, len(body) // 1024)}K", "url": f"{url}/response/{2_000_000 + number}/attach/{part}/{a.name}",
                "hidden": False, "sha256": _store(folder, body), "size": len(body),
                "served_content_type": None, "error": None})
        messages.append({"message_id": incoming, "direction": "incoming", "event_type": "response",
                         "author": f"{planned.from_name}, {planned.body}", "sent_at": answered,
                         "text": planned.response_text, "hidden": False, "attachments": attachments})
        signature = f"{incoming}|{answered}|{planned.state}"
    return {
        "item_type": "request", "source": "wdtk", "source_id": str(5_000_000 + number),
        "force_id": force_ids[planned.body], "body_url_name": planned.body, "site": SITE, "url": url,
        "url_title": slug, "title": planned.title, "created_at": sent, "updated_at": sent,
        "described_state": planned.state or "waiting_response", "awaiting_description": False,
        "prominence": "normal", "law_used": "foi", "batch_id": None, "reference": None,
        "listing_signature": signature, "fetched_at": FETCHED_AT, "json_sha256": None, "html_sha256": None,
        "messages": messages,
    }
