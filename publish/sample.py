"""A small hand-written sample build: Parquet tables for a few forces, made without crawling.

The site tests, the browser test and ``make check-datasette-latest`` publish it to get a site
whose every row is known. The requests and answers are invented (the build is a demo build);
the forces and suppliers are the real reference tables. Some text holds HTML and script on
purpose: the site must show it as text.

Build 2 is build 1 plus a reply from Kent saying it now uses live facial recognition, so the
two builds in a row produce known changes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from reference.registry import load_forces, load_suppliers
from reference import technologies
from schema.derive import arrow_schema, to_arrow
from schema.tables import PUBLISHED_TABLES
from transform.documents import request_technologies
from transform.rollup import force_status_rows

SITE = "http://127.0.0.1:8100"
# Scraped text with markup: it must reach the page as visible text, never as markup or script.
HOSTILE_TITLE = "Live facial recognition <script>window.__injected = 'title'</script> deployments"
HOSTILE_TEXT = ("Thank you for your request. <img src=x onerror=\"window.__injected='img'\"> "
                "<script>window.__injected = 'text'</script> ")
# Accents, curly quotes and a dash: they must survive into every download (and open right in Excel).
WELSH_GREETING = "Heddlu De Cymru – diolch am eich cais ‘ymateb’, â chroeso."

BUILDS = {
    1: datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc),
    2: datetime(2026, 11, 8, 6, 0, tzinfo=timezone.utc),
}

# request id -> force, title, sent, responded, status, reply text; answers are
# (question, technology, answer, confidence, the exact words of the reply they come from).
REQUESTS = {
    "wdtk:1001": ("metropolitan", HOSTILE_TITLE, "2024-01-10", "2024-02-07", "partially_successful",
                  HOSTILE_TEXT + "The MPS does use live facial recognition at planned deployments. "
                  "The NEC NeoFace Live system is used. The DPIA is withheld under section 31(1)(a).",
                  [("use", "lfr", "yes", 0.95, "The MPS does use live facial recognition at planned deployments."),
                   ("dpia", "fr", "withheld", 0.9, "The DPIA is withheld under section 31(1)(a).")]),
    "wdtk:1002": ("south-wales", "Retrospective facial recognition and DPIA", "2024-02-01", "2024-03-01",
                  "successful",
                  f"{WELSH_GREETING} South Wales Police uses retrospective facial recognition with NEC NeoFace Reveal. "
                  "We do not use live facial recognition at present. Our DPIA is attached.",
                  [("use", "rfr", "yes", 0.9, "South Wales Police uses retrospective facial recognition with NEC NeoFace Reveal."),
                   ("use", "lfr", "no", 0.9, "We do not use live facial recognition at present."),
                   ("dpia", "fr", "provided", 0.8, "Our DPIA is attached.")]),
    "wdtk:1003": ("kent", "Facial recognition suppliers", "2024-05-01", None, "waiting_response", None, []),
    "wdtk:1004": ("essex", "Facial recognition", "2024-03-10", "2024-04-01", "rejected",
                  "Essex Police can neither confirm nor deny whether it holds the information, by virtue of "
                  "section 24(2) and section 31(3). Essex Police does not hold a DPIA.",
                  [("use", "lfr", "ncnd", 0.5, "Essex Police can neither confirm nor deny whether it holds the information"),
                   ("dpia", "fr", "not_held", 0.8, "Essex Police does not hold a DPIA.")]),
}
KENT_REPLY = ("wdtk:1005", ("kent", "Live facial recognition use", "2026-10-01", "2026-10-20", "successful",
                            "Kent Police began using live facial recognition in 2026.",
                            [("use", "lfr", "yes", 0.9, "Kent Police began using live facial recognition in 2026.")]))
# request id -> (supplier, product, technology, quote); (subsection, ncnd, quote)
SUPPLIERS = {"wdtk:1001": [("nec", "NeoFace Live", "lfr", "The NEC NeoFace Live system is used.")],
             "wdtk:1002": [("nec", "NeoFace Reveal", "rfr", "South Wales Police uses retrospective facial recognition with NEC NeoFace Reveal.")]}
EXEMPTIONS = {"wdtk:1001": [("s31(1)(a)", False, "The DPIA is withheld under section 31(1)(a).")],
              "wdtk:1004": [("s24(2)", True, "section 24(2)"), ("s31(3)", True, "section 31(3)")]}


def _evidence(document: dict, quote: str) -> dict:
    start = document["text"].index(quote)
    return {"evidence_document_id": document["document_id"], "evidence_quote": quote,
            "evidence_start": start, "evidence_end": start + len(quote), "evidence_url": document["url"]}


def sample_tables(build: int, previous: dict | None = None) -> dict:
    """Every published table of sample build 1 or 2; pass build 1's tables as ``previous``."""
    built_at = BUILDS[build]
    build_id = built_at.strftime("%Y%m%dT%H%M%SZ")
    items = dict(REQUESTS)
    if build >= 2:
        items[KENT_REPLY[0]] = KENT_REPLY[1]
    requests, documents, findings, mentions, exemptions = [], [], [], [], []
    for rid, (force_id, title, sent, responded, status, reply, answers) in items.items():
        slug = rid.split(":")[1]
        url = f"{SITE}/request/{slug}"
        docs = [{"document_id": f"{rid}:outgoing", "request_id": rid, "kind": "request", "author_role": "requester",
                 "sent_at": f"{sent}T09:00:00Z", "url": url, "hidden": False, "text": f"Dear FOI team, {title}?"}]
        if reply:
            docs.append({"document_id": f"{rid}:incoming", "request_id": rid, "kind": "response",
                         "author_role": "force", "sent_at": f"{responded}T11:00:00Z", "url": f"{url}#incoming",
                         "hidden": False, "text": reply, "extraction_method": "html", "chars": len(reply)})
        documents += docs
        requests.append({"request_id": rid, "source": "wdtk", "force_id": force_id, "title": title, "url": url,
                         "sent_date": sent, "response_date": responded, "status": status,
                         "awaiting_classification": False, "documents": len(docs),
                         "technologies": request_technologies({"title": title}, docs)})
        findings += [{"finding_id": f"{rid}:{question}:{tech}", "request_id": rid, "force_id": force_id,
                      "technology": tech, "question": question, "answer": answer, "response_date": responded,
                      **_evidence(docs[-1], quote), "method": "sample", "confidence": confidence}
                     for question, tech, answer, confidence, quote in answers]
        mentions += [{"mention_id": f"{rid}:{supplier}:{product}", "request_id": rid, "force_id": force_id,
                      "supplier_id": supplier, "product": product, "technology": tech,
                      **_evidence(docs[-1], quote), "method": "sample"}
                     for supplier, product, tech, quote in SUPPLIERS.get(rid, [])]
        exemptions += [{"exemption_id": f"{rid}:{sub}{':ncnd' if ncnd else ''}", "request_id": rid,
                        "force_id": force_id, "section": sub.split("(")[0], "subsection": sub, "ncnd": ncnd,
                        **_evidence(docs[-1], quote)}
                       for sub, ncnd, quote in EXEMPTIONS.get(rid, [])]
    forces = [f.as_row() for f in load_forces()]
    status, status_wide = force_status_rows(forces, requests, findings, mentions, exemptions)
    old_builds = previous["build_info"] if previous else []
    changes = (previous["changes"] if previous else []) + ([{
        # What transform.build.change_rows finds between build 1 and 2: Kent's new answer.
        "change_id": f"{build_id}:kent:lfr_use", "build_id": build_id, "force_id": "kent", "field": "lfr_use",
        "old_value": None, "new_value": "yes", "evidence_url": f"{SITE}/request/1005#incoming",
        "changed_at": built_at}] if build == 2 else [])
    return {
        "forces": forces, "suppliers": [s.as_row() for s in load_suppliers()],
        "technologies": technologies.rows(), "requests": requests,
        "documents": documents, "findings": findings, "supplier_mentions": mentions, "exemptions": exemptions,
        "force_status": status, "force_status_wide": status_wide, "changes": changes,
        "build_info": old_builds + [{"build_id": build_id, "built_at": built_at, "mode": "demo",
                                     "requests": len(requests), "documents": len(documents),
                                     "documents_failed": 0, "findings": len(findings),
                                     "sources": [f"wdtk={len(requests)}"], "versions": ["sample=1"]}],
    }


def write_sample(data_dir: Path, builds: int = 1) -> dict:
    """Write the Parquet tables of sample build ``builds`` (after the earlier ones) into ``data_dir``."""
    tables = None
    for build in range(1, builds + 1):
        tables = sample_tables(build, previous=tables)
    folder = Path(data_dir) / "parquet"
    folder.mkdir(parents=True, exist_ok=True)
    for name in PUBLISHED_TABLES:
        frame = pd.DataFrame(tables[name], columns=arrow_schema(name).names)
        pq.write_table(to_arrow(name, frame), folder / f"{name}.parquet")
    return tables
