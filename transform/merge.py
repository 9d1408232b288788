"""One request, several sources: the same FOI request found on WhatDoTheyKnow and in the force's
disclosure log becomes one request.

Requests are the same when they are to the same force and carry the same force reference number
once normalised (spec §1: never match on URL or title). A log item carries the reference it
printed; a WhatDoTheyKnow item has none from the spider, so it is read from the force's own
messages (find_reference). The WhatDoTheyKnow item stays the primary (its request_id, dates and
status); the other sources' URLs go to ``other_urls`` and their messages and attachments are
added, so every document is kept and the force's words from both places are read.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapers import rawstore
from transform.references import find_reference, normalise_reference

log = logging.getLogger(__name__)

# Which source is kept as the primary when no WhatDoTheyKnow item shares the reference.
SOURCE_ORDER = ["wdtk", "soh", "wmp", "northumbria", "avon_and_somerset", "psni", "police_scotland"]


def request_reference(item: dict) -> str | None:
    """The force's reference: as the source printed it, else the first one in the force's own
    (incoming, visible) messages."""
    if item.get("reference"):
        return item["reference"]
    for message in item.get("messages", []):
        if message.get("direction") == "incoming" and not message.get("hidden"):
            found = find_reference(message.get("text"))
            if found:
                return found
    return None


def merge_sources(items: list[dict]) -> list[dict]:
    """The latest request items of every source, with each set of duplicates merged into one;
    input items are not changed. Order follows the input (a merged request takes its primary's
    place)."""
    return [merge_group([items[i] for i in group]) for group in merge_groups(items)]


def merge_groups(items: list[dict]) -> list[list[int]]:
    """Which items make each published request: a list of input indexes per request, its primary
    first, in the input order of the primaries. Reads only ``source``, ``force_id``, ``url`` and the
    reference (``request_reference``), so summaries of the items will do."""
    keyed: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(items):
        reference = request_reference(item)
        if reference and item.get("force_id"):
            keyed.setdefault((item["force_id"], normalise_reference(reference)), []).append(index)

    absorbed: dict[int, list[int]] = {}  # primary index -> indexes merged into it
    merged_away: set[int] = set()
    for key, indexes in keyed.items():
        if len(indexes) < 2:
            continue
        wdtk = [i for i in indexes if items[i]["source"] == "wdtk"]
        if len(wdtk) > 1:
            # Two WhatDoTheyKnow requests quoting one reference: which one a log item republishes
            # cannot be told, so nothing is merged.
            log.warning("%s reference %s: %d WhatDoTheyKnow requests share it; not merged", *key, len(wdtk))
            continue
        primary = min(indexes, key=lambda i: (_rank(items[i]["source"]), items[i].get("url") or "", i))
        absorbed[primary] = [i for i in indexes if i != primary]
        merged_away.update(absorbed[primary])
    return [[index, *absorbed.get(index, [])] for index in range(len(items)) if index not in merged_away]


def merge_group(items: list[dict]) -> dict:
    """One request from its items as ``merge_groups`` listed them (primary first)."""
    primary = dict(items[0], reference=request_reference(items[0]))
    return _merge(primary, items[1:]) if len(items) > 1 else primary


def _merge(primary: dict, others: list[dict]) -> dict:
    merged = dict(primary)
    merged["messages"] = list(primary.get("messages", []))
    merged["other_urls"] = list(primary.get("other_urls") or [])
    merged["merged_from"] = list(primary.get("merged_from") or [])
    for other in others:
        merged["other_urls"] += [url for url in (other.get("url"), other.get("archive_url"))
                                 if url and url not in merged["other_urls"] and url != primary.get("url")]
        merged["merged_from"].append(f"{other['source']}:{other['source_id']}")
        # Message ids are only unique within a source: prefix them with the source they came from.
        merged["messages"] += [dict(message, message_id=f"{other['source']}-{message['message_id']}",
                                    source=other["source"]) for message in other.get("messages", [])]
        for key in ("created_at", "response_date", "reference"):
            merged[key] = merged.get(key) or other.get(key)
    return merged


def _rank(source: str) -> int:
    return SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER)


def blocked_sources(data_dir: str | Path) -> list[dict]:
    """The `source_blocked` items of each spider's latest run (a site that blocked an earlier run
    but not the latest is not listed): one per force, for build_info.blocked_sources."""
    return [{key: item.get(key) for key in ("source", "force_id", "url", "status", "reason", "fetched_at")}
            for run in rawstore.latest_runs(data_dir) for item in rawstore.read_run(run)
            if item.get("item_type") == "source_blocked"]
