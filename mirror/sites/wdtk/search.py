"""The listing search behind body pages (spec §1.5, §1.6), done the simple way.

Xapian indexes one document per event (sent, followup_sent, response, comment) holding the
request title and that event's text, and body pages collapse results to one item per request,
sorted by when the request was last classified. The mirror does the same over its content:
an item is a request plus the newest of its events that matches the words and the date range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from mirror.sites.wdtk.dates import london
from mirror.sites.wdtk.model import Event, InfoRequest

DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d")
RANGE = re.compile(r"(\d{1,2}/\d{1,2}/\d{4})\.\.(\d{1,2}/\d{1,2}/\d{4})")


def parse_date(value: str) -> date | None:
    value = (value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class Query:
    phrases: list[str]  # quoted phrases and single words, lower-case; all must match
    after: date | None = None
    before: date | None = None

    @classmethod
    def parse(cls, text: str, after: str = "", before: str = "") -> "Query":
        text = text or ""
        start, end = parse_date(after), parse_date(before)
        match = RANGE.search(text)
        if match:  # dd/mm/yyyy..dd/mm/yyyy inside the query, as Xapian's range processor reads it
            start, end = parse_date(match.group(1)), parse_date(match.group(2))
            text = text[: match.start()] + text[match.end():]
        phrases = [p.lower() for p in re.findall(r'"([^"]+)"', text)]
        rest = re.sub(r'"[^"]*"', " ", text)
        # Prefixed terms (requested_from:..., status:...) and operators are not modelled.
        phrases += [w.lower() for w in rest.split() if ":" not in w and w not in ("AND", "OR", "NOT")]
        return cls([" ".join(p.split()) for p in phrases if p.strip()], start, end)

    def matches_text(self, text: str) -> bool:
        if not self.phrases:
            return True
        words = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "
        return all(" " + " ".join(re.findall(r"[a-z0-9]+", p)) + " " in words for p in self.phrases)

    def matches_date(self, when: datetime) -> bool:
        day = london(when).date()
        return (self.after is None or day >= self.after) and (self.before is None or day <= self.before)


def event_text(event: Event) -> str:
    if event.incoming:
        if event.incoming.hidden:
            return ""
        files = [a.spec.get("text", "") for a in event.incoming.attachments if not a.hidden]
        return "\n".join([event.incoming.text, event.incoming.quoted, *files])
    if event.outgoing:
        return "" if event.outgoing.hidden else event.outgoing.text
    if event.comment:
        return event.comment.text if event.comment.visible else ""
    return ""


def matching_event(request: InfoRequest, query: Query) -> Event | None:
    for event in reversed(request.events):
        if event.indexed and query.matches_date(event.created_at) \
                and query.matches_text(request.title + "\n" + event_text(event)):
            return event
    return None


def described_at(request: InfoRequest) -> datetime:
    classified = [e.created_at for e in request.events if e.event_type == "status_update"]
    return classified[-1] if classified else request.events[-1].created_at


def search(requests: list[InfoRequest], query: Query) -> list[tuple[InfoRequest, Event]]:
    hits = []
    for request in requests:
        if not request.searchable:
            continue
        event = matching_event(request, query)
        if event is not None:
            hits.append((request, event))
    hits.sort(key=lambda hit: (described_at(hit[0]), hit[0].id), reverse=True)
    return hits
