"""The WhatDoTheyKnow data model as the mirror needs it: bodies, users, requests, events.

Only what the pages and JSON show is modelled. Status rules follow spec §5 (Alaveteli's
``calculate_event_states`` and ``calculate_status``); slug and filename rules follow §1.1/§1.2.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote, unquote

from mirror.sites.wdtk.dates import add_working_days, london

# described_state -> UI label (spec §5), plus the calculated-only states.
STATUS_LABELS = {
    "waiting_response": "Awaiting response",
    "waiting_clarification": "Waiting clarification",
    "gone_postal": "Handled by postal mail",
    "not_held": "Information not held",
    "rejected": "Refused",
    "successful": "Successful",
    "partially_successful": "Partially successful",
    "internal_review": "Awaiting internal review",
    "error_message": "Delivery error",
    "requires_admin": "Unusual response",
    "user_withdrawn": "Withdrawn by the requester",
    "attention_requested": "Reported for administrator attention",
    "vexatious": "Considered by administrators as vexatious",
    "not_foi": "Considered by administrators as not an FOI request",
    "waiting_classification": "Awaiting classification",
    "waiting_response_overdue": "Delayed",
    "waiting_response_very_overdue": "Long overdue",
}
DESCRIBED_STATES = tuple(list(STATUS_LABELS)[:14])

# Body-page views (spec §5, lib/xapian_queries.rb).
VIEW_STATES = {
    "successful": {"successful", "partially_successful"},
    "unsuccessful": {"rejected", "not_held"},
    "awaiting": {"waiting_response", "waiting_clarification", "waiting_classification", "internal_review",
                 "gone_postal", "error_message", "requires_admin", "waiting_response_overdue",
                 "waiting_response_very_overdue"},
}

# Content-Type of a download, decided by the URL filename's extension (spec §8.7).
CONTENT_TYPES = {
    "csv": "text/csv", "txt": "text/plain", "pdf": "application/pdf", "rtf": "application/rtf",
    "doc": "application/vnd.ms-word",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "oft": "application/vnd.ms-outlook", "msg": "application/vnd.ms-outlook", "tnef": "application/ms-tnef",
    "tif": "image/tiff", "gif": "image/gif", "jpg": "image/jpeg", "png": "image/png", "bmp": "image/bmp",
    "html": "text/html", "vcf": "text/x-vcard", "zip": "application/zip",
    "delivery-status": "message/delivery-status",
}
# Types that get a "View" (attach/html) link (spec §4.3).
VIEWABLE = {"txt", "pdf", "rtf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "tif", "csv"}


def simplify_url_part(text: str, default: str = "request", max_len: int = 32) -> str:
    """MySociety::Format.simplify_url_part (spec §1.1)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[\s\-_]", "_", text)
    text = re.sub(r"[^a-z0-9_]", "", text)
    text = re.sub(r"_+", "_", text).strip("_")
    if not text or text.isdigit():
        return default
    return text[:max_len].rstrip("_")


def display_filename(filename: str) -> str:
    """FoiAttachment#display_filename (spec §1.2)."""
    name = unquote(filename)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"[^A-Za-z0-9.]", " ", name)
    name = re.sub(r"\s*\.\s*", ".", name)
    return re.sub(r"\s+", " ", name).strip()


def display_size(size: int) -> str:
    """Integer KiB rounded down (0K under 1 KiB), one decimal in MiB above 1 MiB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}M"
    return f"{size // 1024}K"


@dataclass
class Body:
    id: int
    url_name: str
    name: str
    created_at: datetime
    updated_at: datetime
    short_name: str = ""
    tags: list[tuple[str, str | None]] = field(default_factory=list)
    home_page: str | None = None
    notes: str = ""
    publication_scheme: str = ""
    disclosure_log: str = ""
    version: int = 1
    historic_url_names: list[str] = field(default_factory=list)
    force_id: str | None = None

    @property
    def tag_string(self) -> str:
        return " ".join(name if value is None else f"{name}:{value}" for name, value in self.tags)

    def has_tag(self, name: str) -> bool:
        return any(tag == name for tag, _ in self.tags)


@dataclass
class User:
    id: int
    url_name: str
    name: str
    about_me: str = ""
    ban_text: str = ""


@dataclass
class Attachment:
    id: int
    part: int
    filename: str  # as the authority named it; the URL uses display_filename
    spec: dict  # what the file holds; turned into bytes by files.py
    hidden: bool = False
    erased: bool = False  # listed by name only; its bytes are gone
    wait: int = 0  # how many times a download first redirects to the "preparing" wait page

    @property
    def display_filename(self) -> str:
        return display_filename(self.filename)

    @property
    def extension(self) -> str:
        name = self.display_filename
        return name.rsplit(".", 1)[1].lower() if "." in name else ""

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.extension, "application/octet-stream")


@dataclass
class Message:
    id: int
    direction: str  # incoming | outgoing
    sent_at: datetime  # email Date for incoming; event time for outgoing
    author: str  # requester name (outgoing) or sender display name (incoming)
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    body_part_id: int | None = None  # incoming: the FoiAttachment id of the main text part
    prominence: str = "normal"  # normal | hidden | requester_only
    hidden_reason: str = ""
    quoted: str = ""  # an earlier e-mail quoted below the reply: folded away unless ?unfold=1

    @property
    def hidden(self) -> bool:
        """Anonymous visitors see neither hidden nor requester_only messages (spec §8.1)."""
        return self.prominence != "normal"


@dataclass
class Comment:
    id: int
    user: User
    at: datetime
    text: str
    visible: bool = True


@dataclass
class Event:
    id: int
    event_type: str
    created_at: datetime
    described_state: str | None = None
    calculated_state: str | None = None
    last_described_at: datetime | None = None
    incoming: Message | None = None
    outgoing: Message | None = None
    comment: Comment | None = None

    @property
    def display_status(self) -> str | None:
        """Only events tied to a message have one (spec §2.2)."""
        if self.incoming:
            return STATUS_LABELS[self.calculated_state] if self.calculated_state else "Response"
        if self.outgoing:
            if self.calculated_state == "internal_review":
                return "Internal review request"
            if self.calculated_state == "waiting_response":
                return "Clarification"
            return "Follow up"
        return None

    @property
    def indexed(self) -> bool:
        """Search, listings and feeds index only these event types (spec §2.2), and only
        while their message or annotation is visible."""
        if self.event_type not in ("sent", "followup_sent", "response", "comment"):
            return False
        message = self.incoming or self.outgoing
        return not (message and message.hidden) and not (self.comment and not self.comment.visible)


@dataclass
class InfoRequest:
    id: int
    url_title: str
    title: str
    body: Body
    user: User | None
    created_at: datetime
    updated_at: datetime
    user_name: str | None = None  # external (API) requester instead of a user
    prominence: str = "normal"
    prominence_reason: str = ""
    law_used: str = "foi"
    tags: list[tuple[str, str | None]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    batch_id: int | None = None
    described_state: str = "waiting_response"
    awaiting_description: bool = False

    @property
    def requester_name(self) -> str:
        return self.user.name if self.user else (self.user_name or "Anonymous user")

    @property
    def sent_at(self) -> datetime:
        return next(e.created_at for e in self.events if e.event_type == "sent")

    @property
    def outgoing_messages(self) -> list[Message]:
        return [e.outgoing for e in self.events if e.event_type in ("sent", "followup_sent") and e.outgoing]

    @property
    def incoming_messages(self) -> list[Message]:
        return [e.incoming for e in self.events if e.event_type == "response" and e.incoming]

    def incoming_message(self, message_id: int) -> Message | None:
        return next((m for m in self.incoming_messages if m.id == message_id), None)

    @property
    def searchable(self) -> bool:
        """Listings, batch pages and search show only normal-prominence requests (spec §8.5)."""
        return self.prominence == "normal"

    @property
    def public(self) -> bool:
        return self.prominence in ("normal", "backpage")

    def date_response_required_by(self) -> date:
        return add_working_days(london(self.sent_at).date(), 20)

    def date_very_overdue_after(self) -> date:
        return add_working_days(london(self.sent_at).date(), 40)

    def calculated_status(self, today: date) -> str:
        if self.awaiting_description:
            return "waiting_classification"
        if self.described_state == "waiting_response":
            if today > self.date_very_overdue_after():
                return "waiting_response_very_overdue"
            if today > self.date_response_required_by():
                return "waiting_response_overdue"
        return self.described_state

    def recalculate(self) -> None:
        """Derive described_state, awaiting_description and per-event calculated states.

        Alaveteli's set_described_state writes the state onto the request's last event (a
        status_update for a classification, the followup_sent for an internal review) and a
        new response sets awaiting_description; calculate_event_states then walks backwards
        copying the newest described state onto the response before it (spec §5).
        """
        self.events.sort(key=lambda e: (e.created_at, e.id))
        described = [e for e in self.events if e.described_state]
        last = described[-1] if described else None
        self.described_state = last.described_state if last else "waiting_response"
        self.awaiting_description = any(e.event_type == "response" and (last is None or e.created_at > last.created_at)
                                        for e in self.events)
        state, described_at = None, None
        for event in reversed(self.events):
            if state is None and event.described_state:
                state, described_at = event.described_state, event.last_described_at
            if state and event.event_type == "response":
                event.calculated_state, event.last_described_at = state, described_at
                state = None
            elif state and event.event_type in ("sent", "followup_sent") \
                    and event.described_state in ("waiting_response", "internal_review"):
                event.calculated_state = event.described_state
                state = None
            elif state and event.event_type in ("edit", "status_update"):
                event.calculated_state = event.described_state
        self.updated_at = max(self.updated_at, self.events[-1].created_at)

    def attachment_url(self, message: Message, attachment: Attachment) -> str:
        name = quote(attachment.display_filename)
        return f"/request/{self.url_title}/response/{message.id}/attach/{attachment.part}/{name}"


@dataclass
class Batch:
    id: int
    title: str
    user: User
    created_at: datetime
    requests: list[InfoRequest] = field(default_factory=list)
