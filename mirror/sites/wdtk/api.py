"""JSON and CSV documents in WhatDoTheyKnow's formats (spec §1.4, §2)."""

from __future__ import annotations

import json
from datetime import date

from mirror.sites.wdtk.dates import iso_ms, ruby_to_s
from mirror.sites.wdtk.model import STATUS_LABELS, Body, Event, InfoRequest, User

CSV_COLUMNS = ["Internal ID", "Name", "Short name", "URL name", "Tags", "Home page", "Publication scheme",
               "Disclosure log", "Notes", "Created at", "Updated at", "Version"]


def dumps(value) -> bytes:
    """ActiveSupport JSON: compact, UTF-8, with <, > and & escaped as \\u003c, \\u003e, \\u0026."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode("utf-8")


def _tags(tags) -> list:
    return [[name, value] for name, value in tags]


def user_json(user: User) -> dict:
    return {"id": user.id, "url_name": user.url_name, "name": user.name, "ban_text": user.ban_text,
            "about_me": user.about_me}


def body_info(requests: list[InfoRequest], today: date) -> dict:
    visible = [r for r in requests if r.public]
    states = [r.calculated_status(today) for r in visible]
    return {
        "requests_count": len(visible),
        "requests_successful_count": sum(s in ("successful", "partially_successful") for s in states),
        "requests_not_held_count": sum(s == "not_held" for s in states),
        "requests_overdue_count": sum(s in ("waiting_response_overdue", "waiting_response_very_overdue") for s in states),
        "requests_visible_classified_count": sum(not r.awaiting_description for r in visible) if visible else None,
    }


def body_json(body: Body, requests: list[InfoRequest], today: date) -> dict:
    return {
        "id": body.id, "url_name": body.url_name, "name": body.name, "short_name": body.short_name,
        "created_at": iso_ms(body.created_at), "updated_at": iso_ms(body.updated_at),
        "home_page": body.home_page, "notes": body.notes, "publication_scheme": body.publication_scheme,
        "disclosure_log": body.disclosure_log, "tags": _tags(body.tags), "info": body_info(requests, today),
    }


def event_json(event: Event) -> dict:
    data = {
        "id": event.id, "event_type": event.event_type, "created_at": iso_ms(event.created_at),
        "described_state": event.described_state, "calculated_state": event.calculated_state,
        "last_described_at": iso_ms(event.last_described_at),
        "incoming_message_id": event.incoming.id if event.incoming else None,
        "outgoing_message_id": event.outgoing.id if event.outgoing else None,
        "comment_id": event.comment.id if event.comment else None,
    }
    if event.display_status is not None:
        data["display_status"] = event.display_status
    return data


def request_json(request: InfoRequest, body_requests: list[InfoRequest], today: date) -> dict:
    data = {
        "id": request.id, "url_title": request.url_title, "title": request.title,
        "created_at": iso_ms(request.created_at), "updated_at": iso_ms(request.updated_at),
        "described_state": request.described_state,
        "display_status": STATUS_LABELS[request.calculated_status(today)],
        "awaiting_description": request.awaiting_description, "prominence": request.prominence,
        "law_used": request.law_used, "tags": _tags(request.tags),
    }
    if request.user:
        data["user"] = user_json(request.user)
    else:
        data["user_name"] = request.requester_name
    data["public_body"] = body_json(request.body, body_requests, today)
    data["info_request_events"] = [event_json(e) for e in request.events]
    return data


def _csv_field(value) -> str:
    """PublicBodyCSV turns nil into "", and Ruby CSV quotes an empty string (quote_empty);
    other values are quoted only when they must be."""
    text = "" if value is None else str(value)
    if text == "" or any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def all_authorities_csv(bodies: list[Body]) -> bytes:
    lines = [",".join(_csv_field(c) for c in CSV_COLUMNS)]
    for body in sorted(bodies, key=lambda b: b.name.lower()):
        row = [body.id, body.name, body.short_name, body.url_name, body.tag_string, body.home_page,
               body.publication_scheme, body.disclosure_log, body.notes, ruby_to_s(body.created_at),
               ruby_to_s(body.updated_at), body.version]
        lines.append(",".join(_csv_field(v) for v in row))
    return ("\n".join(lines) + "\n").encode("utf-8")
