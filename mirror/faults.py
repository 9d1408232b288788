"""The ways real sites fail, as mirror faults (``mirror.server.Fault``), for tests and soak runs.

Each function returns Faults to hand to ``Mirror.add_fault``; ``pattern`` is a regex searched in
the request's path and query. Bodies for broken attachments are built here too, so a test can
serve a corrupt, encrypted, empty or zip-bomb file where a good one was.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass, field

from mirror.server import Fault
from mirror.sites.logpages import CHALLENGE_PAGE
from mirror.sites.wdtk import files

ROBOTS_DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def server_errors(pattern: str, statuses=(500, 502, 503), times: int | None = 1) -> list[Fault]:
    """A burst of 5xx answers: ``times`` of each status, in turn."""
    return [Fault(pattern, "status", status=status, times=times) for status in statuses]


def too_many_requests(pattern: str, retry_after: float = 1, times: int | None = 1) -> Fault:
    return Fault(pattern, "status", status=429, times=times, headers=[("Retry-After", f"{retry_after:g}")])


def reset(pattern: str, times: int | None = 1) -> Fault:
    return Fault(pattern, "reset", times=times)


def slow(pattern: str, seconds: float, times: int | None = 1) -> Fault:
    return Fault(pattern, "delay", seconds=seconds, times=times)


def truncated(pattern: str, times: int | None = 1) -> Fault:
    return Fault(pattern, "truncate", times=times)


def body(pattern: str, content: bytes, content_type: str, times: int | None = 1, status: int = 200) -> Fault:
    """``content`` served in place of the real answer."""
    return Fault(pattern, "status", status=status, times=times, body=content,
                 headers=[("Content-Type", content_type)])


def challenge(pattern: str, host: str = "www.whatdotheyknow.com", times: int | None = None) -> Fault:
    """A bot-protection challenge: 403 with a "Just a moment..." page (spec §10.3), as the
    disclosure-log mirror serves it (mirror/sites/logpages.py)."""
    return Fault(pattern, "status", status=403, times=times, body=CHALLENGE_PAGE.format(host=host).encode(),
                 headers=[("Content-Type", "text/html; charset=UTF-8"), ("cf-mitigated", "challenge")])


def malformed_json(pattern: str, times: int | None = 1) -> Fault:
    return body(pattern, b'{"id": 900001, "url_title": "live_fac', "application/json; charset=utf-8", times)


def malformed_html(pattern: str, times: int | None = 1) -> Fault:
    # A page cut off in its head, as a proxy or a crashed worker sends it: no content at all.
    return body(pattern, b"<!DOCTYPE html><html><head><title>WhatDoTheyKnow</ti", "text/html; charset=utf-8", times)


def redirect(pattern: str, location: str, times: int | None = 1, status: int = 302) -> Fault:
    """A redirect to ``location``: itself for a loop, another host to test off-site rules."""
    return Fault(pattern, "status", status=status, times=times, headers=[("Location", location)])


def robots_disallow_all() -> Fault:
    return body(r"^/robots\.txt$", ROBOTS_DISALLOW_ALL, "text/plain; charset=utf-8", times=None)


def enormous(pattern: str, megabytes: int, content_type: str = "text/html; charset=utf-8",
             times: int | None = 1) -> Fault:
    return body(pattern, b"<p>" + b"x" * (megabytes * 1024 * 1024) + b"</p>", content_type, times)


# -- broken attachments ---------------------------------------------------------------------------

BROKEN_TEXT = "The force does not use live facial recognition."


def corrupt_pdf() -> bytes:
    """Starts like a PDF, then is nothing a reader can use."""
    return files.make_corrupt_pdf({"text": BROKEN_TEXT})


def encrypted_pdf(text: str = BROKEN_TEXT) -> bytes:
    pdf = files.blank_pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def zip_bomb(megabytes: int = 20) -> bytes:
    """One member of zeros that deflates about 1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"\0" * (megabytes * 1024 * 1024))
    return buffer.getvalue()


BROKEN_ATTACHMENTS = {
    "corrupt": (corrupt_pdf, "application/pdf"),
    "encrypted": (encrypted_pdf, "application/pdf"),
    "zero_bytes": (lambda: b"", "application/pdf"),
    "zip_bomb": (zip_bomb, "application/zip"),
}


def broken_attachment(pattern: str, kind: str, times: int | None = None) -> Fault:
    """The attachment at ``pattern`` served as a broken file of ``kind`` (see BROKEN_ATTACHMENTS)."""
    make, content_type = BROKEN_ATTACHMENTS[kind]
    return body(pattern, make(), content_type, times)


# -- random faults (soak runs) ----------------------------------------------------------------

@dataclass
class RandomFault(Fault):
    """A fault that strikes a matching request with probability ``rate``, from a seeded generator
    so that a failing soak run can be repeated."""

    rate: float = 0.0
    rng: random.Random = field(default_factory=random.Random)

    def matches(self, path_and_query: str) -> bool:
        return super().matches(path_and_query) and self.rng.random() < self.rate


def random_faults(rate: float, seed: int, pattern: str = r"^/(?!robots\.txt)", slow_seconds: float = 2.0) -> list[Fault]:
    """Transient faults that together strike about ``rate`` of matching requests: 500, 502, 503,
    429 (Retry-After: 0), connection reset, truncated body, and an answer slower than
    ``slow_seconds`` (set DOWNLOAD_TIMEOUT below it)."""
    kinds = [dict(kind="status", status=500), dict(kind="status", status=502), dict(kind="status", status=503),
             dict(kind="status", status=429, headers=[("Retry-After", "0")]), dict(kind="reset"),
             dict(kind="truncate"), dict(kind="delay", seconds=slow_seconds)]
    # Each kind is tried in turn, so per-kind rates r give 1 - (1 - r)^k overall.
    each = 1 - (1 - rate) ** (1 / len(kinds))
    rng = random.Random(seed)
    return [RandomFault(pattern, times=None, rate=each, rng=rng, **kind) for kind in kinds]
