"""The changes table as an Atom feed (RFC 4287), written as a static file with the downloads.

One entry per change, newest first, so a feed reader shows each answer that changed between
builds. ElementTree escapes every value, so text from the sources cannot become markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:uk-police-facial-recognition-foi,2026:changes"
MAX_ENTRIES = 500


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def change_summary(change: dict, force_names: dict) -> str:
    force = force_names.get(change["force_id"], change["force_id"])
    return f"{force}: {change['field']} changed from {change['old_value'] or '(none)'} to {change['new_value'] or '(none)'}"


def atom_feed(changes: list[dict], force_names: dict, title: str, updated: datetime) -> bytes:
    """``changes`` are rows of the changes table; ``updated`` is when the latest build ran."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"{title}: what changed")
    _text(feed, "id", FEED_ID)
    _text(feed, "updated", _stamp(updated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href="/foi/changes")
    newest = sorted(changes, key=lambda c: (c["changed_at"], c["change_id"]), reverse=True)[:MAX_ENTRIES]
    for change in newest:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        summary = change_summary(change, force_names)
        _text(entry, "title", summary)
        _text(entry, "id", f"{FEED_ID}:{change['change_id']}")
        _text(entry, "updated", _stamp(change["changed_at"]))
        if change["evidence_url"]:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=change["evidence_url"])
        _text(entry, "summary", f"{summary} (build {change['build_id']}).")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
