"""Raw request items -> rows of the ``requests`` and ``documents`` tables.

A message's text comes from the page (HTML already reduced to text by the spider); an attachment's
text comes from its original bytes through ``transform.extract``. Only text written by the force
is marked ``author_role = force``: requests, follow-ups and annotations are kept as context but
never produce findings (DESIGN rule 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scrapers import rawstore
from transform.personal_data import names_in_headers, names_in_letter, redact

# Which side of the correspondence wrote a message, by the direction the spider recorded.
AUTHOR_ROLES = {"outgoing": "requester", "incoming": "force", "annotation": "third_party"}


@dataclass
class Attachment:
    """An attachment with stored bytes: its row, to fill in from the extraction of its sha256."""

    document_id: str
    sha256: str
    names: set[str]  # people named in the request's correspondence, removed from the text


def request_id(item: dict) -> str:
    return f"{item['source']}:{item['source_id']}"


def _message_kind(message: dict, first_outgoing: bool) -> str:
    if message["direction"] == "incoming":
        return "response"
    if message["direction"] == "annotation":
        return "annotation"
    return "request" if first_outgoing else "followup"


def _document_row(**values) -> dict:
    row = dict.fromkeys([
        "document_id", "request_id", "kind", "author_role", "sent_at", "url", "filename", "content_type",
        "sha256", "size_bytes", "pages", "extraction_method", "ocr_confidence", "chars", "extraction_error",
        "hidden", "text",
    ])
    row.update(values)
    return row


def document_rows(item: dict, data_dir: Path) -> tuple[list[dict], list[Attachment]]:
    """The documents of one request: a row per message (with its text) and a row per attachment
    (text filled in later from the extraction), plus the attachments that have stored bytes (their
    files, listed by files_to_extract, are extracted before the requests are read)."""
    rid = request_id(item)
    rows, attachments = [], []
    names = people(item)
    seen_outgoing = False
    for message in item.get("messages", []):
        kind = _message_kind(message, first_outgoing=not seen_outgoing and message["direction"] == "outgoing")
        seen_outgoing = seen_outgoing or message["direction"] == "outgoing"
        text = redact(message.get("text") or "", names)
        rows.append(_document_row(
            document_id=f"{rid}:{message['message_id']}", request_id=rid, kind=kind,
            author_role=AUTHOR_ROLES.get(message["direction"], "third_party"),
            sent_at=message.get("sent_at"), url=message.get("url") or f"{item['url']}#{message['message_id']}",
            content_type="text/html", extraction_method="html", chars=len(text),
            hidden=bool(message.get("hidden")), text=text,
        ))
        for attachment in message.get("attachments", []):
            document_id = f"{rid}:attachment-{attachment['attachment_id']}"
            row = _document_row(
                document_id=document_id, request_id=rid, kind="attachment",
                author_role=AUTHOR_ROLES.get(message["direction"], "third_party"),
                sent_at=message.get("sent_at"), url=attachment.get("url"),
                filename=attachment.get("filename") or attachment.get("name"), sha256=attachment.get("sha256"),
                size_bytes=attachment.get("size"), hidden=bool(attachment.get("hidden")),
            )
            path, row["extraction_error"] = stored_file(attachment, data_dir)
            if path:
                attachments.append(Attachment(document_id, attachment["sha256"], names))
            rows.append(row)
    return rows, attachments


def stored_file(attachment: dict, data_dir: Path) -> tuple[Path | None, str | None]:
    """Where an attachment's bytes are in the raw layer, or why there are none."""
    if attachment.get("hidden"):
        return None, "hidden by the source: no file to read"
    if not attachment.get("sha256"):
        return None, f"not downloaded: {attachment.get('error') or 'no file stored'}"
    path = rawstore.file_path(data_dir, attachment["sha256"])
    if not path.exists():
        return None, f"raw file {path} is missing; rerun the crawl to fetch it again"
    return path, None


def stored_files(item: dict, data_dir: Path) -> list[tuple[dict, Path | None, str | None]]:
    """Each attachment of an item, with where its bytes are stored or why there are none
    (``stored_file``)."""
    return [(attachment, *stored_file(attachment, data_dir))
            for message in item.get("messages", []) for attachment in message.get("attachments", [])]


def files_to_extract(located: list[tuple[dict, Path | None, str | None]]) -> list[tuple[str, Path, str | None]]:
    """(sha256, path, file name) of each attachment that has stored bytes, from ``stored_files``."""
    return [(attachment["sha256"], path, attachment.get("filename") or attachment.get("name"))
            for attachment, path, _ in located if path]


def people(item: dict) -> set[str]:
    """Names of the people in a request's correspondence: requester, officers, annotators, from
    the message headers and from the messages' signature blocks (WhatDoTheyKnow's header often
    names only the department), so a name signed in one message is removed from all of them and
    from the attachments too."""
    messages = item.get("messages", [])
    return names_in_headers([item.get("requester"), *(m.get("author") for m in messages)]).union(
        *(names_in_letter(m.get("text") or "") for m in messages))


def fill_extraction(row: dict, extraction, names: set[str]) -> None:
    """Copy an extraction result into an attachment's document row."""
    text = redact(extraction.text or "", names)
    row.update(
        content_type=extraction.content_type, pages=extraction.pages, extraction_method=extraction.method,
        ocr_confidence=extraction.ocr_confidence, chars=len(text), extraction_error=extraction.error, text=text,
    )


def _precision(item: dict, response_date: str | None) -> str | None:
    """"month" when the response date is a log item's month of publication (its folder's),
    "day" for any other date (docs/ARCHITECTURE.md, ``response_date_precision``)."""
    if not response_date:
        return None
    if response_date == item.get("response_date") and item.get("response_date_precision"):
        return item["response_date_precision"]
    return "day"


def request_technologies(item: dict, documents: list[dict]) -> list[str]:
    """The technology families a request is about: those its title and the requester's words name,
    else those any of its documents name (a log item's reply may be all there is)."""
    # Imported here: the reader's vocabulary compiles its patterns on import, which a build that
    # reads nothing again does not need (transform/request_tables.py).
    from transform.answers.vocab import FAMILIES, families_named
    asked = " ".join([item.get("title") or "", *(d["text"] or "" for d in documents if d["kind"] == "request")])
    named = families_named(asked) or frozenset(f for d in documents for f in families_named(d["text"] or ""))
    return [family for family in FAMILIES if family in named]


def request_row(item: dict, documents: list[dict], force_id: str | None) -> dict:
    responses = [d["sent_at"] for d in documents if d["kind"] == "response" and d["sent_at"] and not d["hidden"]]
    response_date = max(responses) if responses else item.get("response_date")
    return {
        "request_id": request_id(item),
        "source": item["source"],
        "force_id": force_id,
        "title": item.get("title"),
        "url": item.get("url"),
        "other_urls": item.get("other_urls") or [],
        "reference": item.get("reference"),
        "batch_id": item.get("batch_id"),
        "sent_date": item.get("created_at"),
        "response_date": response_date,
        "response_date_precision": _precision(item, response_date),
        "status": item.get("described_state") or item.get("text_status"),
        "awaiting_classification": bool(item.get("awaiting_description")),
        "documents": len(documents),
        "technologies": request_technologies(item, documents),
    }
