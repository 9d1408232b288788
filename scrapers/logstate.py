"""What a disclosure-log spider remembers of each force's listings between crawls, so a refresh
with nothing changed costs a log a handful of requests (docs/disclosure-logs.md, "Refreshes").

``<DATA_DIR>/crawlstate/<spider>.json`` holds, per force: every listing entry the crawls have
dealt with (its URL on the real site and the signature of what the listing showed: title, date,
first lines), whether the last crawl that finished walked the force's listings without an error
(``complete``), when, and when the listings were last walked to the end (``full_walk_at``); and
the Internet Archive captures read (URL -> [timestamp, sha256 of the body in the raw layer]):
a capture never changes, so one read before is not fetched again; and for searched listings
(SOH), when each search term's results were last read to the end (``searched``).

An entry is "dealt with" when its item was written, or it was not a candidate, not about facial
recognition, or gone (404/410): a failed fetch is not remembered, and makes the crawl incomplete.
The file is rewritten (temporary name, then rename) only when a crawl ends: a crawl killed half
way leaves the previous one, which is still true of the listings as they were then, so the next
crawl's stop rule (stop paginating a newest-first listing at a page of entries all known) cannot
skip what the killed crawl left unread: those entries are newer than every known one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

logger = logging.getLogger(__name__)


def signature(text: str) -> str:
    """A short digest of what a listing shows of an entry (whitespace ignored)."""
    return hashlib.sha256(re.sub(r"\s+", " ", text or "").strip().encode("utf-8")).hexdigest()[:16]


class ListingState:
    def __init__(self, data_dir: str | Path, spider: str, full_walk_days: float):
        self.path = Path(data_dir) / "crawlstate" / f"{spider}.json"
        self.full_walk_before = datetime.now(timezone.utc) - timedelta(days=full_walk_days)
        self.forces: dict[str, dict] = {}
        try:
            self.forces = json.loads(self.path.read_text(encoding="utf-8")).get("forces", {})
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as error:
            # Only a cost, never a loss: every listing is walked again and rewritten at the end.
            logger.warning("ignoring unreadable crawl state %s (%s): this crawl walks every listing", self.path, error)
        # What this crawl dealt with, per force: merged into the file when the crawl ends.
        self.handled: dict[str, dict[str, str]] = {}
        self.captures_read: dict[str, dict[str, str]] = {}
        self.searches_done: dict[str, dict[str, str]] = {}

    def _force(self, force_id: str) -> dict:
        return self.forces.get(force_id) or {}

    def incremental(self, force_id: str) -> bool:
        """True when the last crawl that finished walked this force's listings without an error
        and the last full walk is recent: newest-first listings may then stop at known entries."""
        state = self._force(force_id)
        if not state.get("complete") or not state.get("full_walk_at"):
            return False
        return datetime.fromisoformat(state["full_walk_at"]) > self.full_walk_before

    def known(self, force_id: str, url: str, sig: str) -> bool:
        """The entry was dealt with by an earlier crawl and the listing shows it unchanged."""
        return self._force(force_id).get("entries", {}).get(url) == sig

    def handle(self, force_id: str, url: str, sig: str) -> None:
        self.handled.setdefault(force_id, {})[url] = sig

    def searched_since(self, force_id: str, term: str, days: float) -> bool:
        """Every result page of a search for ``term`` was read in the last ``days`` days."""
        done = self._force(force_id).get("searched", {}).get(term)
        return bool(done) and datetime.fromisoformat(done) > datetime.now(timezone.utc) - timedelta(days=days)

    def searched(self, force_id: str, term: str) -> None:
        self.searches_done.setdefault(force_id, {})[term] = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def capture(self, force_id: str, url: str) -> list[str] | None:
        """[timestamp, sha256 in the raw layer] of the archive capture of ``url`` read before."""
        return self._force(force_id).get("captures", {}).get(url)

    def read_capture(self, force_id: str, url: str, timestamp: str, sha256: str) -> None:
        self.captures_read.setdefault(force_id, {})[url] = [timestamp, sha256]

    def save(self, complete: dict[str, bool], full_walk: dict[str, bool]) -> None:
        """Merge this crawl's entries in and write the file; ``complete``/``full_walk`` say, per
        force crawled, whether its listings were read without an error and to the end."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for force_id, ok in complete.items():
            state = dict(self._force(force_id))
            state["entries"] = {**state.get("entries", {}), **self.handled.get(force_id, {})}
            state["captures"] = {**state.get("captures", {}), **self.captures_read.get(force_id, {})}
            state["searched"] = {**state.get("searched", {}), **self.searches_done.get(force_id, {})}
            state["complete"] = ok
            state["walked_at"] = now
            if ok and full_walk.get(force_id):
                state["full_walk_at"] = now
            self.forces[force_id] = state
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"forces": self.forces}, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
