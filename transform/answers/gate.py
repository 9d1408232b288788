"""Keyword gates: skip a regular expression when the text lacks the words it needs.

Python's ``re`` tries a pattern like ``\\b(?:do|does)\\s+not\\s+use`` at every position of the text,
so running dozens of rules over every sentence is slow even though most sentences contain none
of the words a rule needs. ``gated(pattern, flags)`` compiles the pattern and derives from its
own syntax the keywords every match must contain ("not" above); ``search``, ``match`` and the
rest run the real pattern only when one of them occurs in the lower-cased text, which is a fast
substring test. A pattern made of many alternatives runs only the alternatives whose keywords
are there. The keywords come from the pattern, so editing a rule cannot leave its gate stale,
and the gate never changes a result: it only skips what could not match.

``search(text)`` and ``match(text)`` also remember their answer for the request being read
(``clear_caches``), since several rules ask about the same sentence; helpers elsewhere do the same
with the ``per_request`` decorator.
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

_INSTANCES: list[Gated] = []
_PER_REQUEST: list = []


def per_request(function):
    """``function`` with its answers cached for the request being read (several rules ask about
    the same sentence); clear_caches() empties the cache, so memory stays bounded and a request
    is read the same way whatever came before."""
    cached = lru_cache(maxsize=4096)(function)
    _PER_REQUEST.append(cached)
    return cached


def clear_caches():
    """Forget the texts seen so far: read_request calls it for each request."""
    for cached in _PER_REQUEST:
        cached.cache_clear()
    for instance in _INSTANCES:
        if instance._searched:
            instance._searched.clear()
        if instance._matched:
            instance._matched.clear()


# Non-ASCII characters that re.IGNORECASE matches with an ASCII letter, and what they must fold
# to so that such a match still shows its keyword in the folded text. (The Kelvin sign already
# lower-cases to "k"; "İ" lower-cases to "i" plus a combining dot.)
_FOLD_FIXES = (("i\u0307", "i"), ("\u0131", "i"), ("\u017f", "s"))


@per_request
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


def _alternatives(pattern: str) -> list[str] | None:
    """The top-level alternatives of ``pattern`` as source text ("a|(b|c)" gives "a" and "(b|c)"),
    or None when it has one, or when its text is too unusual to split safely."""
    pieces, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3   # "[]...]" and "[^]...]" hold a literal "]"
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    return pieces if len(pieces) > 1 and depth == 0 and not in_class else None


def _without_redundant(by_keyword: dict[str, frozenset[int]]) -> tuple[tuple[str, frozenset[int]], ...]:
    """Drop a keyword that contains another ("deployed" when "deploy" is there): wherever it
    occurs the shorter one does too, which then stands for its alternatives as well."""
    kept: dict[str, frozenset[int]] = {}
    for keyword in sorted(by_keyword, key=len):
        shorter = next((k for k in kept if k in keyword), None)
        if shorter is None:
            kept[keyword] = by_keyword[keyword]
        else:
            kept[shorter] |= by_keyword[keyword]
    return tuple(sorted(kept.items()))


class Gated:
    """A compiled pattern behind the keyword gate of ``gated``; it answers like ``re.Pattern``."""

    __slots__ = ("compiled", "pattern", "flags", "keywords", "_gate", "_keys", "_pieces", "_subsets", "_searched", "_matched")

    def __init__(self, compiled: re.Pattern):
        self.compiled = compiled
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        self.keywords = keywords(compiled.pattern, compiled.flags)
        # The gate: (keyword, alternatives of the pattern that need it). The keyword is the
        # longest (so likely the rarest) of what an alternative requires; the pattern can match
        # only if one of them is in the folded text. (Checking the other keywords too costs more
        # in Python than the patterns it would skip; and a loop of substring tests is faster than
        # one regular expression of the keywords.)
        self._gate: tuple[tuple[str, frozenset[int]], ...] | None = None
        self._pieces = _alternatives(self.pattern) if self.compiled.groups == 0 and not self.flags & re.VERBOSE else None
        self._subsets: dict[frozenset[int], re.Pattern] = {}
        if self.keywords:
            by_keyword = self._keywords_by_alternative() if self._pieces and len(self._pieces) >= 4 else None
            if by_keyword is None:
                self._pieces = None
                everything = frozenset([0])
                by_keyword = {max(alternative, key=len): everything for alternative in self.keywords}
            self._gate = _without_redundant(by_keyword)
            self._keys = tuple(keyword for keyword, _ in self._gate)
        # Results of search(text) and match(text), as several rules ask about the same sentence;
        # emptied for each request by clear_caches().
        self._searched: dict[str, re.Match | None] = {}
        self._matched: dict[str, re.Match | None] = {}
        _INSTANCES.append(self)

    def _keywords_by_alternative(self) -> dict[str, frozenset[int]] | None:
        """A long list of alternatives ("cookie|leave this site|...") is slow to try at every
        position even when the text has the words of one of them; the alternatives whose words
        are absent cannot match anywhere, so only the others need to run, in their order (which
        gives the same matches). Only for patterns without groups, whose numbering would move."""
        by_keyword: dict[str, set[int]] = {}
        for i, piece in enumerate(self._pieces):
            try:
                if re.compile(piece, self.flags).flags != self.flags:
                    return None  # an inline flag such as "(?i)" would stay behind with its alternative
            except re.error:
                return None
            found = keywords(piece, self.flags)
            if not found:
                return None  # an alternative that needs no word: nothing to skip
            for alternative in found:
                by_keyword.setdefault(max(alternative, key=len), set()).add(i)
        return {keyword: frozenset(indices) for keyword, indices in by_keyword.items()}

    def _runner(self, text: str) -> re.Pattern | None:
        """The pattern to run on ``text``: None when it cannot match, else the whole pattern or the
        alternatives of it that can."""
        if self._gate is None:
            return self.compiled
        low = folded(text)
        for keyword in self._keys:
            if keyword in low:
                break
        else:
            return None     # the common case: no keyword at all
        if self._pieces is None:
            return self.compiled
        kept = frozenset().union(*[indices for keyword, indices in self._gate if keyword in low])
        if len(kept) == len(self._pieces):
            return self.compiled
        subset = self._subsets.get(kept)
        if subset is None:
            subset = self._subsets[kept] = re.compile("|".join(self._pieces[i] for i in sorted(kept)), self.flags)
        return subset

    def search(self, text: str, *args):
        found = self._searched.get(text, _UNSEEN) if not args else _UNSEEN
        return found if found is not _UNSEEN else self._run(re.Pattern.search, self._searched, text, args)

    def match(self, text: str, *args):
        found = self._matched.get(text, _UNSEEN) if not args else _UNSEEN
        return found if found is not _UNSEEN else self._run(re.Pattern.match, self._matched, text, args)

    def _run(self, method, memo: dict, text: str, args: tuple):
        """``method`` (search or match) of the pattern the gate leaves for ``text``; the answer is
        remembered in ``memo`` unless a position was given."""
        runner = self._runner(text)
        found = method(runner, text, *args) if runner is not None else None
        if not args:
            memo[text] = found
        return found

    def fullmatch(self, text: str, *args):
        runner = self._runner(text)
        return runner.fullmatch(text, *args) if runner is not None else None

    def finditer(self, text: str, *args):
        runner = self._runner(text)
        return runner.finditer(text, *args) if runner is not None else iter(())

    def findall(self, text: str, *args):
        runner = self._runner(text)
        return runner.findall(text, *args) if runner is not None else []

    def split(self, text: str, maxsplit: int = 0):
        runner = self._runner(text)
        return runner.split(text, maxsplit) if runner is not None else [text]

    def sub(self, repl, text: str, count: int = 0):
        runner = self._runner(text)
        return runner.sub(repl, text, count) if runner is not None else text

    def __repr__(self):
        alternatives = [" & ".join(sorted(alt)) for alt in self.keywords or ()]
        return f"gated({self.pattern!r}, keywords={' | '.join(alternatives)})"


_UNSEEN = object()


def gated(pattern: str, flags: int = 0) -> Gated:
    """``re.compile(pattern, flags)`` behind a keyword gate derived from the pattern."""
    return Gated(re.compile(pattern, flags))
