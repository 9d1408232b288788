"""Forwarded e-mails: EML (RFC 822, stdlib email) and Outlook MSG (OLE2, read with olefile).

The text is the subject, the date and the body; sender and recipient addresses are left out
because the dataset does not publish personal data (design rule 7). Attachments, including
attached e-mails, are extracted as children through the ordinary path.

MSG is read directly from its property streams with olefile rather than with extract-msg, which
pulls in a dozen dependencies (RTF decompression, beautifulsoup, ...) for features we do not use.
"""
from __future__ import annotations

import email
import email.policy
from pathlib import Path

from .containers import Budget, attach, combine, take_member
from .html import html_to_text
from .model import Extraction, failed
from .textutil import decode, tidy


def extract_eml(path: Path, content_type: str, depth: int = 0, budget: Budget | None = None) -> Extraction:
    budget = budget or Budget()
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return _from_message(msg, content_type, depth, budget)


def _from_message(msg, content_type: str, depth: int, budget: Budget) -> Extraction:
    head = _header_lines(subject=str(msg.get("subject", "") or ""), date=str(msg.get("date", "") or ""))
    body = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = _part_text(body)
    children, errors = [], []
    for number, part in enumerate(msg.iter_attachments(), 1):
        name = part.get_filename() or f"attachment-{number}"
        if not take_member(budget):
            break
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else None
            if inner is not None:
                children.append((name, _from_message(inner, "message/rfc822", depth + 1, budget)))
                continue
        attach(children, name, part.get_payload(decode=True) or b"", depth, budget)
    return combine(content_type, "email", tidy(head + "\n\n" + text), children, budget, errors)


def _part_text(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    try:
        raw = payload.decode(charset) if charset else decode(payload)
    except (LookupError, UnicodeDecodeError):
        raw = decode(payload)
    return html_to_text(raw) if part.get_content_type() == "text/html" else tidy(raw)


def _header_lines(subject: str, date: str) -> str:
    return "\n".join(line for line in (f"Subject: {subject}" if subject else "",
                                       f"Date: {date}" if date else "") if line)


# --- Outlook MSG --------------------------------------------------------------------------------

SUBJECT, BODY, HTML_BODY, HEADERS = "0037", "1000", "1013", "007D"
ATTACH_DATA, ATTACH_LONG_NAME, ATTACH_NAME = "3701", "3707", "3704"


def extract_msg(path: Path, content_type: str, depth: int = 0, budget: Budget | None = None) -> Extraction:
    import olefile
    budget = budget or Budget()
    with olefile.OleFileIO(str(path)) as ole:
        return _from_msg(ole, [], content_type, depth, budget)


def _from_msg(ole, prefix: list[str], content_type: str, depth: int, budget: Budget) -> Extraction:
    date = ""
    headers = _msg_prop(ole, prefix, HEADERS)
    if headers:
        parsed = email.message_from_string(headers, policy=email.policy.default)
        date = str(parsed.get("date", "") or "")
    text = _msg_prop(ole, prefix, BODY)
    if not text:
        html = _msg_prop(ole, prefix, HTML_BODY, binary=True)
        text = html_to_text(html) if html else ""
    head = _header_lines(_msg_prop(ole, prefix, SUBJECT), date)

    children = []
    storages = sorted({entry[len(prefix)] for entry in ole.listdir(streams=True, storages=True)
                       if entry[:len(prefix)] == prefix and len(entry) > len(prefix)
                       and entry[len(prefix)].startswith("__attach_version1.0_#")})
    for number, storage in enumerate(storages, 1):
        sub = prefix + [storage]
        name = (_msg_prop(ole, sub, ATTACH_LONG_NAME) or _msg_prop(ole, sub, ATTACH_NAME)
                or f"attachment-{number}")
        if not take_member(budget):
            break
        embedded = sub + [f"__substg1.0_{ATTACH_DATA}000D"]
        if ole.exists("/".join(embedded)):  # an attached e-mail is a storage, not bytes
            children.append((name, _from_msg(ole, embedded, "application/vnd.ms-outlook", depth + 1, budget)))
            continue
        data = _msg_prop(ole, sub, ATTACH_DATA, binary=True)
        if data is None:
            children.append((name, failed("application/octet-stream", "attachment has no data (linked, not embedded)")))
            continue
        attach(children, name, data, depth, budget)
    return combine(content_type, "email", tidy(head + "\n\n" + text), children, budget, [])


def _msg_prop(ole, prefix: list[str], prop: str, binary: bool = False):
    """A MAPI property stream: unicode (001F), 8-bit (001E) or binary (0102)."""
    kinds = ("0102",) if binary else ("001F", "001E")
    for kind in kinds:
        name = "/".join(prefix + [f"__substg1.0_{prop}{kind}"])
        if ole.exists(name):
            data = ole.openstream(name).read()
            if kind == "0102":
                return data
            return (data.decode("utf-16-le", "replace") if kind == "001F" else decode(data)).rstrip("\x00")
    return None if binary else ""
