"""The raw items' shapes, declared once (docs/ARCHITECTURE.md, "The raw layer"), and the check
every item passes before it is written (scrapers/pipelines.py, ValidateItemPipeline).

The shapes are dataclasses: a field without a default must be present, one with a default may be
absent, and no other field may appear (the spider's own working keys, named with a leading
underscore, are never written and not checked). The spiders still build plain dicts, because an
item is filled in stages (its attachments after their downloads) and is whole only when it is
yielded; ``problems`` checks such a dict against its shape, nested messages and attachments
included, so a spider that forgets a field or writes one of the wrong type is refused with a
message naming the field, instead of writing an item the transform would misread.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Literal, Union


@dataclasses.dataclass
class Attachment:
    attachment_id: str | None
    name: str | None
    url: str | None  # None when hidden
    hidden: bool
    sha256: str | None  # None when not downloaded (then ``error`` says why, unless hidden)
    size: int | None
    served_content_type: str | None
    sniffed_content_type: str | None
    filename: str | None
    error: str | None
    display_size: str | None = None  # WhatDoTheyKnow: the size the page prints
    archive_url: str | None = None  # disclosure logs: the Internet Archive capture it was read from


@dataclasses.dataclass
class Message:
    message_id: str
    direction: Literal["outgoing", "incoming", "annotation"]
    event_type: str | None
    author: str | None
    sent_at: str | None
    text: str
    hidden: bool
    attachments: list[Attachment]
    url: str | None = None  # disclosure logs: the page it was read from


@dataclasses.dataclass
class Request:
    """A `request` item: what every source writes."""

    item_type: Literal["request"]
    source: str
    source_id: str
    force_id: str
    site: str  # the base URL actually crawled (a mirror's in a demo)
    url: str  # canonical, on the real site
    title: str | None
    reference: str | None
    created_at: str | None
    described_state: str | None
    batch_id: str | None
    listing_signature: str | None
    fetched_at: str
    messages: list[Message]


@dataclasses.dataclass
class WdtkRequest(Request):
    body_url_name: str | None
    url_title: str
    updated_at: str | None
    awaiting_description: bool | None
    calculated_status: str | None
    prominence: str | None
    law_used: str | None
    json_sha256: str
    html_sha256: str


@dataclasses.dataclass
class LogRequest(Request):
    archive_url: str | None
    response_date: str | None
    response_date_precision: Literal["day", "month"] | None
    request_split: Literal["headings", "unknown"]
    text_status: str | None
    page_sha256: str
    soh_slug: str | None = None  # SOH items: the force's folder


@dataclasses.dataclass
class SourceBlocked:
    """A site that blocks the crawler (disclosure logs): written once per force and crawl."""

    item_type: Literal["source_blocked"]
    source: str
    force_id: str
    url: str
    status: int
    reason: str
    site: str
    archive_fallback: bool
    fetched_at: str


def problems(value, shape: type, where: str = "") -> list[str]:
    """What is wrong with the dict ``value`` as an instance of the dataclass ``shape``: each a
    field path and what is missing, unknown or of the wrong type; [] when nothing is."""
    if not isinstance(value, dict):
        return [f"{where or 'item'}: {type(value).__name__}, expected an object"]
    fields, hints = _declared(shape)
    prefix = f"{where}." if where else ""
    found = [f"{prefix}{name}: missing" for name, field in fields.items()
             if name not in value and field.default is dataclasses.MISSING]
    for name, item in value.items():
        if name.startswith("_"):
            continue
        if name not in fields:
            found.append(f"{prefix}{name}: not a field of {shape.__name__}")
        else:
            found += _type_problems(item, hints[name], prefix + name)
    return found


@functools.cache
def _declared(shape: type) -> tuple[dict, dict]:
    """A shape's fields and their types, read once (get_type_hints evaluates every annotation)."""
    return {field.name: field for field in dataclasses.fields(shape)}, typing.get_type_hints(shape)


def _type_problems(value, hint, where: str) -> list[str]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        ok = any(not _type_problems(value, arg, where) for arg in args)
    elif origin is Literal:
        ok = value in args
    elif origin is list:
        if not isinstance(value, list):
            ok = False
        else:
            return [p for i, element in enumerate(value) for p in _type_problems(element, args[0], f"{where}[{i}]")]
    elif dataclasses.is_dataclass(hint):
        return problems(value, hint, where)
    elif hint is type(None):
        ok = value is None
    else:
        # bool is an int in Python; a count written as True is still wrong.
        ok = isinstance(value, hint) and not (hint is int and isinstance(value, bool))
    return [] if ok else [f"{where}: {_shown(value)}, expected {_name(hint)}"]


def _name(hint) -> str:
    if typing.get_origin(hint) in (Union, types.UnionType):
        return " or ".join(_name(arg) for arg in typing.get_args(hint))
    if typing.get_origin(hint) is Literal:
        return " or ".join(repr(arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return "null"
    return getattr(hint, "__name__", str(hint))


def _shown(value) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
