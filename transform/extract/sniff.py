"""Decide a file's type from its bytes.

WhatDoTheyKnow serves many attachments as application/octet-stream and file names lie, so the
name and the server's Content-Type are never trusted. A small table of magic numbers covers every
format we extract; container formats (ZIP, OLE2) are told apart by the names of their members.
We use our own table rather than libmagic to avoid a system dependency and because libmagic
reports every OOXML file as plain application/zip on older versions.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
CSV = "text/csv"
RTF = "application/rtf"
EML = "message/rfc822"
MSG = "application/vnd.ms-outlook"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
OLE = "application/x-ole-storage"
ENCRYPTED_OFFICE = "application/x-ms-encrypted-office"  # password-protected DOCX/XLSX
EMPTY = "application/x-empty"
UNKNOWN = "application/octet-stream"

# Short names for messages a maintainer reads.
NAMES = {PDF: "PDF", HTML: "HTML", TEXT: "text", CSV: "CSV", RTF: "RTF", EML: "e-mail", MSG: "Outlook MSG",
         ZIP: "ZIP", DOCX: "DOCX", XLSX: "XLSX", PPTX: "PPTX", ODT: "ODT", ODS: "ODS", DOC: "DOC", XLS: "XLS"}

IMAGE_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
]
IMAGE_TYPES = {t for _, t in IMAGE_MAGIC}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Headers that open a saved e-mail; two of them in the first block mean RFC 822.
_MAIL_HEADERS = {"from", "to", "subject", "date", "received", "return-path", "message-id",
                 "mime-version", "content-type", "delivered-to", "cc", "reply-to", "x-mailer"}
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|table)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def sniff(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head:
        return EMPTY
    if head.startswith(b"%PDF-"):
        return PDF
    for magic, mime in IMAGE_MAGIC:
        if head.startswith(magic):
            if mime == "image/bmp" and len(head) >= 14 and head[6:10] != b"\x00\x00\x00\x00":
                continue  # "BM" alone is too common a text start; BMP reserved bytes are zero
            return mime
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if b"%PDF-" in head[:1024]:  # some generators put junk before the header; readers accept it
        return PDF
    return sniff_text(head)


def sniff_text(head: bytes) -> str:
    """Type of a file that is not a known binary format: text kinds, or unknown."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return RTF
    if not _looks_textual(head):
        return UNKNOWN
    if _HTML_START.match(stripped) or re.search(rb"<html[\s>]", head[:2048], re.IGNORECASE):
        return HTML
    if _looks_like_mail(stripped):
        return EML
    if _looks_like_csv(head):
        return CSV
    return TEXT


def _looks_textual(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with BOM
    if b"\x00" in head:
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control <= len(head) // 100


def _looks_like_mail(head: bytes) -> bool:
    names = []
    for line in head.splitlines()[:40]:
        if not line.strip():
            break  # end of the header block
        if line[:1] in (b" ", b"\t"):
            continue  # folded header continuation
        m = _HEADER_LINE.match(line)
        if not m:
            if line.startswith(b"From "):  # mbox separator line
                continue
            return False
        names.append(m.group(1).decode("ascii").lower())
    return len(set(names) & _MAIL_HEADERS) >= 2


def _looks_like_csv(head: bytes) -> bool:
    sample = head.decode("utf-8", "replace")
    lines = [l for l in sample.splitlines()[:20] if l.strip()]
    if len(sample) == len(head) and len(head) == 8192:
        lines = lines[:-1]  # the last line may be cut mid-row
    # A short letter can have one comma per line by chance ("Dear Sir, ..." / "Regards, ..."),
    # so two-column files need more lines of evidence than wider ones.
    for delim in (",", ";", "\t"):
        widths = {len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)}
        if len(widths) == 1:
            width = widths.pop()
            if (width >= 3 and len(lines) >= 3) or (width == 2 and len(lines) >= 5):
                return True
    return False


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in (ODT, ODS):
                    return mimetype
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _sniff_damaged_zip(path)
    return ZIP


def _sniff_damaged_zip(path: Path) -> str:
    """A truncated ZIP has lost its directory, but its first members' local headers still name
    them, which is enough to tell a damaged DOCX from a damaged archive in the error row."""
    with open(path, "rb") as f:
        head = f.read(65536)
    if head[30:38] == b"mimetype":
        for mime in (ODT, ODS):
            if mime.encode() in head[38:120]:
                return mime
    if b"word/document.xml" in head:
        return DOCX
    if b"xl/workbook.xml" in head or b"xl/worksheets/" in head:
        return XLSX
    return ZIP


def _sniff_ole(path: Path) -> str:
    import olefile
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
    except Exception:
        return OLE
    if "EncryptedPackage" in streams:
        return ENCRYPTED_OFFICE
    if "WordDocument" in streams:
        return DOC
    if "Workbook" in streams or "Book" in streams:
        return XLS
    if any(s.startswith("__substg1.0_") for s in streams):
        return MSG
    return OLE
