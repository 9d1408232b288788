"""Atom and JSON feeds (spec §2.2, §3): one entry per event, newest first, 25 a page.

Disallowed by robots.txt, so a polite spider never fetches them; they are served for parser
tests, as the spec's fixture checklist suggests.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from mirror.sites.wdtk import api, pages
from mirror.sites.wdtk.model import Event, InfoRequest

PER_PAGE = 25


@dataclass
class FeedEntry:
    event: Event
    item: pages.ListingItem
    content: str


def feed_events(requests: list[InfoRequest]) -> list[tuple[InfoRequest, Event]]:
    """Not collapsed: a request appears once per indexed event."""
    events = [(r, e) for r in requests if r.searchable for e in r.events if e.indexed]
    return sorted(events, key=lambda pair: (pair[1].created_at, pair[1].id), reverse=True)


def page_of(events: list, page: int) -> list:
    return events[(page - 1) * PER_PAGE: page * PER_PAGE]


def atom(title: str, path: str, events: list[tuple[InfoRequest, Event]], ctx: pages.PageContext) -> str:
    entries = []
    for request, event in events:
        item = pages.listing_item(request, event, ctx)
        entries.append(FeedEntry(event, item, ctx.render("feed_content.html", item=item).strip()))
    # feed/id is the request path cut at its first "." (spec §3).
    return ctx.render("feed_atom.html", host=urlsplit(ctx.base_url).netloc, feed_path=path.split(".")[0],
                      self_path=path, title=title, entries=entries)


def snippet(event: Event) -> str:
    message = event.incoming or event.outgoing
    text = message.text if message and not message.hidden else (event.comment.text if event.comment else "")
    text = " ".join(text.split())
    return text if len(text) <= 150 else text[:147] + "..."


def json_feed(events: list[tuple[InfoRequest, Event]], today, body_requests) -> list[dict]:
    items = []
    for request, event in events:
        data = api.event_json(event)
        shallow = api.request_json(request, [], today)
        for key in ("user", "user_name", "public_body", "info_request_events"):
            shallow.pop(key, None)
        data.update(snippet=snippet(event), info_request=shallow,
                    public_body=api.body_json(request.body, body_requests(request.body), today),
                    user=api.user_json(request.user) if request.user else {"name": request.requester_name})
        items.append(data)
    return items
