"""The WDTK mirror's content store and the one builder API that fills it.

The YAML loader, the bulk generator and tests (``m.wdtk.add_response``) all add content through
these methods, so ids, slugs, event ordering and states are derived the same way everywhere.
Ids come from per-kind counters in load order, so the same content always gets the same ids.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from mirror.sites.wdtk.dates import london
from mirror.sites.wdtk.model import (
    Attachment, Batch, Body, Comment, DESCRIBED_STATES, Event, InfoRequest, Message, User, simplify_url_part,
)

ID_STARTS = {"body": 1000, "user": 5000, "request": 900000, "event": 7000000, "incoming": 600000,
             "outgoing": 800000, "attachment": 3000000, "comment": 5000, "batch": 1000}


def _millis(at: datetime, seed: int) -> datetime:
    """Rails timestamps carry milliseconds; derive them from an id so they are stable."""
    return london(at).replace(microsecond=((seed * 379) % 1000) * 1000)


class Content:
    def __init__(self, today: date) -> None:
        self.today = today  # the mirror's fixed "now", so overdue states never drift
        self.bodies: dict[str, Body] = {}
        self.historic_url_names: dict[str, Body] = {}
        self.users: dict[str, User] = {}
        self.requests: list[InfoRequest] = []
        self.by_id: dict[int, InfoRequest] = {}
        self.by_slug: dict[str, InfoRequest] = {}
        self.batches: dict[int, Batch] = {}
        self.version = 0  # bumped on every change; listing caches key on it
        self.lock = threading.RLock()
        self._last_id = dict(ID_STARTS)

    def next_id(self, kind: str) -> int:
        self._last_id[kind] += 1
        return self._last_id[kind]

    def changed(self) -> None:
        self.version += 1

    # -- bodies and users ---------------------------------------------------------------------

    def add_body(self, url_name: str, name: str, created_at: datetime, **fields) -> Body:
        historic = fields.pop("historic_url_names", [])
        body = Body(self.next_id("body"), url_name, name, _millis(created_at, len(self.bodies)),
                    _millis(fields.pop("updated_at", created_at), len(self.bodies) + 7),
                    historic_url_names=list(historic), **fields)
        self.bodies[url_name] = body
        for old in historic:
            self.historic_url_names[old] = body
        return body

    def add_user(self, url_name: str, name: str, about_me: str = "", ban_text: str = "") -> User:
        # A suspended user's name carries the suffix everywhere it is shown (spec §2.4, §8.8).
        name = f"{name} (Account suspended)" if ban_text else name
        user = User(self.next_id("user"), url_name, name, about_me, ban_text)
        self.users[url_name] = user
        return user

    def add_batch(self, title: str, user: User, created_at: datetime) -> Batch:
        batch = Batch(self.next_id("batch"), title, user, london(created_at))
        self.batches[batch.id] = batch
        return batch

    # -- requests -----------------------------------------------------------------------------

    def _unique_slug(self, title: str) -> str:
        base = simplify_url_part(title)
        slug, n = base, 2  # Alaveteli: the first duplicate gets _2
        while slug in self.by_slug:
            slug, n = f"{base}_{n}", n + 1
        return slug

    def _event(self, request: InfoRequest, event_type: str, at: datetime, **fields) -> Event:
        event_id = self.next_id("event")
        event = Event(event_id, event_type, _millis(at, event_id), **fields)
        request.events.append(event)
        return event

    def new_request(self, body: Body, user: User | None, title: str, sent_at: datetime, text: str, *,
                    user_name: str | None = None, batch: Batch | None = None, prominence: str = "normal",
                    prominence_reason: str = "", law_used: str = "foi",
                    tags: list[tuple[str, str | None]] | None = None) -> InfoRequest:
        request_id = self.next_id("request")
        created = _millis(sent_at - timedelta(seconds=1), request_id)
        request = InfoRequest(request_id, self._unique_slug(title), title, body, user, created, created,
                              user_name=user_name, prominence=prominence, prominence_reason=prominence_reason,
                              law_used=law_used, tags=list(tags or []), batch_id=batch.id if batch else None)
        message = Message(self.next_id("outgoing"), "outgoing", london(sent_at), request.requester_name, text)
        self._event(request, "sent", sent_at, described_state="waiting_response", outgoing=message)
        self.requests.append(request)
        self.by_id[request.id] = request
        self.by_slug[request.url_title] = request
        if batch:
            batch.requests.append(request)
        request.recalculate()
        self.changed()
        return request

    def add_followup(self, request: InfoRequest, at: datetime, text: str, kind: str = "followup",
                     prominence: str = "normal", hidden_reason: str = "") -> Message:
        """kind: followup (plain), internal_review or clarification. The last two set the
        request's state on this event, which is how the JSON and listings tell them apart."""
        message = Message(self.next_id("outgoing"), "outgoing", london(at), request.requester_name, text,
                          prominence=prominence, hidden_reason=hidden_reason)
        state = {"internal_review": "internal_review", "clarification": "waiting_response"}.get(kind)
        self._event(request, "followup_sent", at, described_state=state, outgoing=message)
        request.recalculate()
        self.changed()
        return message

    def add_resent(self, request: InfoRequest, at: datetime) -> None:
        """A resend of the original request: same outgoing message, a second block on the page."""
        original = request.outgoing_messages[0]
        self._event(request, "resent", at, outgoing=original)
        request.recalculate()
        self.changed()

    def add_response(self, request: InfoRequest, at: datetime, text: str, from_name: str | None = None,
                     attachments: list[dict] | None = None, prominence: str = "normal", hidden_reason: str = "",
                     state: str | None = None, first_part: int = 2, quoted: str = "") -> Message:
        """An incoming email; ``at`` is its Date header, the event logs its arrival a little later.

        ``attachments`` are dicts with ``name`` (the original filename) plus the file spec read by
        files.py, and optionally ``hidden``, ``erased``, ``wait`` and ``part``. ``state`` classifies the
        request after the response; without it the response awaits description.
        """
        body_part_id = self.next_id("attachment")
        author = request.body.name if not from_name else f"{from_name}, {request.body.name}"
        message = Message(self.next_id("incoming"), "incoming", london(at), author, text,
                          body_part_id=body_part_id, prominence=prominence, hidden_reason=hidden_reason,
                          quoted=quoted)
        part = first_part
        for spec in attachments or []:
            spec = dict(spec)
            part = spec.pop("part", part)
            message.attachments.append(Attachment(self.next_id("attachment"), part, spec.pop("name"), spec,
                                                  hidden=spec.pop("hidden", False), erased=spec.pop("erased", False),
                                                  wait=spec.pop("wait", 0)))
            part += 1
        self._event(request, "response", at + timedelta(seconds=41), incoming=message)
        if state:
            self.classify(request, state, at + timedelta(days=1, hours=2))
        request.recalculate()
        self.changed()
        return message

    @staticmethod
    def quote_request(request: InfoRequest) -> str:
        """The original request as an authority's e-mail client quotes it under a reply."""
        first = request.outgoing_messages[0]
        sent = first.sent_at.strftime("%d %B %Y %H:%M")
        return (f"-----Original Message-----\nFrom: {request.requester_name}\nSent: {sent}\n"
                f"Subject: Freedom of Information request - {request.title}\n\n{first.text}")

    def add_comment(self, request: InfoRequest, user: User, at: datetime, text: str, visible: bool = True) -> Comment:
        comment = Comment(self.next_id("comment"), user, london(at), text, visible)
        self._event(request, "comment", at, comment=comment)
        request.recalculate()
        self.changed()
        return comment

    def classify(self, request: InfoRequest, state: str, at: datetime) -> None:
        if state not in DESCRIBED_STATES:
            raise ValueError(f"{request.url_title}: unknown described_state {state!r}")
        event = self._event(request, "status_update", at, described_state=state)
        event.last_described_at = event.created_at + timedelta(milliseconds=100)
        request.recalculate()
        self.changed()

    # -- lookups ------------------------------------------------------------------------------

    def request(self, ref: int | str) -> InfoRequest:
        """By numeric id or slug."""
        if isinstance(ref, int) or str(ref).isdigit():
            return self.by_id[int(ref)]
        return self.by_slug[ref]

    def body_requests(self, body: Body) -> list[InfoRequest]:
        return [r for r in self.requests if r.body is body]
