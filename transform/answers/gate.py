"""Keyword gates: skip a regular expression when the text lacks the words it needs.

Python's ``re`` tries a pattern like ``\\b(?:do|does)\\s+not\\s+use`` at every position of the text,
so running dozens of rules over every sentence is slow even though most sentences contain none
of the words a rule needs. ``gated(pattern, flags)`` compiles the pattern and derives from its
own syntax the keywords every match must contain ("not" above); ``search``, ``match`` and the
rest run the real pattern only when one of them occurs in the lower-cased text, which is a fast
substring test. The keywords come from the pattern, so editing a rule cannot leave its gate
stale, and the gate never changes a result: it only skips patterns that could not match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

try:  # the parser behind re.compile; without it patterns simply run ungated
    from re import _constants as C
    from re import _parser as parser
except ImportError:  # pragma: no cover - other Python versions
    parser = None

# Non-ASCII characters that re.IGNORECASE matches with an ASCII letter, and what they must fold
# to so that such a match still shows its keyword in the folded text. (The Kelvin sign already
# lower-cases to "k"; "İ" lower-cases to "i" plus a combining dot.)
_FOLD_FIXES = (("i\u0307", "i"), ("\u0131", "i"), ("\u017f", "s"))


@lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """``text`` lower-cased so that every match of a pattern (case-sensitive or not) shows its
    keywords, in lower case, in the result. Cached: many rules look at the same sentence."""
    low = text.lower()
    if not low.isascii():
        for before, after in _FOLD_FIXES:
            low = low.replace(before, after)
    return low


def keywords(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...] | None:
    """What every match of ``pattern`` contains, as alternatives each listing lower-case strings
    that must all occur: ``(frozenset({"neoface", "live"}), frozenset({"lfr"}))`` reads "neoface
    and live, or lfr". None when the pattern needs no particular word (``\\d+``). Only ASCII
    literals and caseless punctuation count; anything else (a class, a repeat that may be empty)
    just requires nothing."""
    if parser is None:
        return None
    try:
        return _required(parser.parse(pattern, flags))
    except Exception:  # pragma: no cover - an unfamiliar parse tree: no gate, same results
        return None


# Above this many alternatives a sequence keeps fewer requirements: a weaker gate, never a wrong one.
MAX_ALTERNATIVES = 16


def _required(items) -> tuple[frozenset[str], ...] | None:
    """Requirements of a sequence of parsed items: its runs of adjacent literals, and those of its
    groups, alternations and repeats, all of which a match must meet."""
    parts: list[tuple[frozenset[str], ...]] = []
    run = [""]        # the literal text just read, with its variants ("utili[sz]e")

    def flush():
        if run != [""]:
            parts.append(tuple(frozenset([r]) for r in dict.fromkeys(run)))
        run[:] = [""]

    for op, av in items:
        variants = _literal_variants(op, av)
        if variants is not None and len(run) * len(variants) <= MAX_ALTERNATIVES:
            run[:] = [r + v for r in run for v in variants]
        elif op in (C.AT, C.ASSERT_NOT):
            continue  # zero width: the literals on either side are adjacent in the text
        else:
            flush()
            found = None
            if op is C.ASSERT:  # a lookahead or lookbehind: what it looks for is in the text
                found = _required(av[1])
            elif op is C.SUBPATTERN:
                found = _required(av[-1])
            elif op is C.ATOMIC_GROUP:
                found = _required(av)
            elif op is C.BRANCH:
                branches = [_required(b) for b in av[1]]
                if all(branches):
                    found = tuple(dict.fromkeys(alt for b in branches for alt in b))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
                found = _required(av[2])
            if found:
                parts.append(found)
    flush()
    # Every part must hold: combine them, dropping the parts with most alternatives while the
    # combinations would be too many.
    parts.sort(key=len)
    while len(parts) > 1 and _count(parts) > MAX_ALTERNATIVES:
        parts.pop()
    if not parts:
        return None
    combined: tuple[frozenset[str], ...] = (frozenset(),)
    for part in parts:
        combined = tuple(a | b for a in combined for b in part)
    return tuple(dict.fromkeys(combined))


def _literal_variants(op, av) -> list[str] | None:
    """The texts an item matches when it is nothing but ASCII literals: "e" for a literal, "s"
    and "z" for ``[sz]``, "ial" and "e" for the branch the parser makes of ``(?:ial|e)``."""
    if op is C.LITERAL:
        return [chr(av).lower()] if _foldable(av) else None
    if op is C.IN:
        if all(o is C.LITERAL and _foldable(a) for o, a in av):
            return [chr(a).lower() for _, a in av]
        return None
    if op is C.SUBPATTERN:
        return _sequence_variants(av[-1])
    if op is C.BRANCH:
        variants = [_sequence_variants(b) for b in av[1]]
        return [v for vs in variants for v in vs] if all(v is not None for v in variants) else None
    return None


def _foldable(code: int) -> bool:
    """ASCII, or punctuation and spaces ("’", "–"), which have no case: ``folded`` keeps such a
    character as it is and turns no other character into it."""
    return code < 128 or unicodedata.category(chr(code))[0] in "PZ"


def _sequence_variants(items) -> list[str] | None:
    texts = [""]
    for op, av in items:
        variants = _literal_variants(op, av)
        if variants is None or len(texts) * len(variants) > MAX_ALTERNATIVES:
            return None
        texts = [t + v for t in texts for v in variants]
    return texts


def _count(parts) -> int:
    n = 1
    for part in parts:
        n *= len(part)
    return n


class Gated:
    """A compiled pattern behind the keyword gate of ``gated``; it answers like ``re.Pattern``."""

    __slots__ = ("compiled", "pattern", "flags", "keywords", "_gate")

    def __init__(self, compiled: re.Pattern):
        self.compiled = compiled
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        self.keywords = keywords(compiled.pattern, compiled.flags)
        self._gate = None
        if self.keywords:
            # One literal alternation over the folded text, a single fast scan, with the longest
            # (so likely the rarest) keyword of each alternative. Checking the other keywords too
            # costs more in Python than the patterns it would skip.
            strongest = {max(alternative, key=len) for alternative in self.keywords}
            self._gate = re.compile("|".join(map(re.escape, sorted(strongest)))).search

    def possible(self, text: str) -> bool:
        """False when ``text`` lacks the keywords of every alternative, so that the pattern cannot
        match it."""
        return self._gate is None or self._gate(folded(text)) is not None

    def search(self, text: str, *args):
        return self.compiled.search(text, *args) if self.possible(text) else None

    def match(self, text: str, *args):
        return self.compiled.match(text, *args) if self.possible(text) else None

    def fullmatch(self, text: str, *args):
        return self.compiled.fullmatch(text, *args) if self.possible(text) else None

    def finditer(self, text: str, *args):
        return self.compiled.finditer(text, *args) if self.possible(text) else iter(())

    def findall(self, text: str, *args):
        return self.compiled.findall(text, *args) if self.possible(text) else []

    def split(self, text: str, maxsplit: int = 0):
        return self.compiled.split(text, maxsplit) if self.possible(text) else [text]

    def sub(self, repl, text: str, count: int = 0):
        return self.compiled.sub(repl, text, count) if self.possible(text) else text

    def __repr__(self):
        alternatives = [" & ".join(sorted(alt)) for alt in self.keywords or ()]
        return f"gated({self.pattern!r}, keywords={' | '.join(alternatives)})"


def gated(pattern: str, flags: int = 0) -> Gated:
    """``re.compile(pattern, flags)`` behind a keyword gate derived from the pattern."""
    return Gated(re.compile(pattern, flags))
