"""Progress lines on stderr for the transform's long steps: items done, rate, elapsed, time left."""
from __future__ import annotations

import sys
import time


def duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """``label: 120/2610 documents (30 cached), 14.2 documents/s, elapsed 12s, ETA 2m10s``, at most
    every 2 s and once at the end. ``cached`` items count as done but not in the rate (they cost
    nothing); ``count_pages`` adds pages and pages/s."""

    def __init__(self, label: str, total: int, unit: str, enabled: bool = True, cached: int | None = None,
                 count_pages: bool = False):
        self.label, self.total, self.unit, self.enabled = label, total, unit, enabled
        self.cached = cached
        self.count = cached or 0
        self.pages, self.count_pages = 0, count_pages
        self.start = self.last = time.monotonic()

    def advance(self, items: int = 1, pages: int = 0) -> None:
        self.count += items
        self.pages += pages
        if time.monotonic() - self.last >= 2:
            self.print()

    def finish(self) -> None:
        self.print(final=True)

    def print(self, final: bool = False) -> None:
        if not self.enabled:
            return
        self.last = time.monotonic()
        elapsed = max(self.last - self.start, 1e-6)
        rate = (self.count - (self.cached or 0)) / elapsed
        left = self.total - self.count
        eta = duration(left / rate) if rate > 0 and left else ("done" if final else "?")
        parts = [f"{self.label}: {self.count}/{self.total} {self.unit}"
                 + (f" ({self.cached} cached)" if self.cached is not None else "")]
        if self.count_pages:
            parts.append(f"{self.pages} PDF/image pages")
        parts.append(f"{rate:.1f} {self.unit}/s")
        if self.count_pages:
            parts.append(f"{self.pages / elapsed:.1f} pages/s")
        print(", ".join(parts + [f"elapsed {duration(elapsed)}", f"ETA {eta}"]), file=sys.stderr, flush=True)
