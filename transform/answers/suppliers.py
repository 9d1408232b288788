"""Suppliers named in the force's words, found through the supplier table (reference/suppliers.csv).

The table is data: names, aliases and products. Which kind of facial recognition a product is
used for is in the technology registry (each kind's ``products``, reference/technologies/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from reference.registry import load_suppliers
from reference.technologies import product_kinds

from .gate import folded, per_request
from .vocab import FAMILY_OF, families_named, is_family


@dataclass(frozen=True)
class Term:
    supplier_id: str
    name: str                # the supplier's canonical name (the label used in the corpus)
    product: str | None
    pattern: re.Pattern
    # The words of the term, lower-cased: it can only match a text that has every one of them as
    # a word (the pattern allows no letters or digits around or between them).
    words: frozenset[str]
    technology: str          # what the supplier's name alone stands for (reference/suppliers.csv)
    needs_context: bool      # the name counts only in a sentence naming that technology's family


def _pattern(term: str, exact_case: tuple[str, ...] = ()) -> re.Pattern:
    body = r"[\s-]+".join(re.escape(part) for part in term.split())
    # Short all-capitals names (NEC, PND, AWS) only match in capitals, so "nec" inside a
    # sentence or "pnd" in a URL do not count; nor do names that are ordinary words ("fortify",
    # "axon": the supplier table's exact_case) written in lower case.
    exact = (term.isupper() and len(term) <= 5) or term in exact_case
    return re.compile(rf"(?<![\w@/.]){body}(?![\w@])", 0 if exact else re.IGNORECASE)


@cache
def terms() -> tuple[Term, ...]:
    found = []
    for s in load_suppliers():
        context = s.name_needs_context == "yes"
        for product in s.products:
            found.append(Term(s.supplier_id, s.name, product, _pattern(product, s.exact_case), _words(product),
                              s.technology, context))
        for name in (s.name, *s.aliases):
            found.append(Term(s.supplier_id, s.name, None, _pattern(name, s.exact_case), _words(name), s.technology, context))
    # Longer terms first so "NeoFace Live" wins over "NeoFace" and "NEC".
    return tuple(sorted(found, key=lambda t: -len(t.product or t.name)))


def supplier_names() -> dict[str, str]:
    return {t.supplier_id: t.name for t in terms()}


WORD = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    # ``folded`` keeps every character a word character or not, so a term's words are words of
    # any text it matches.
    return frozenset(WORD.findall(folded(text)))


@cache
def _terms_by_word() -> dict[str, tuple[int, ...]]:
    """The positions in terms() of the terms, by their longest word."""
    index: dict[str, list[int]] = {}
    for i, term in enumerate(terms()):
        index.setdefault(max(sorted(term.words), key=len), []).append(i)
    return {word: tuple(positions) for word, positions in index.items()}


@per_request
def find(text: str) -> tuple[tuple[Term, int, int], ...]:
    """Every supplier term in ``text`` (longest match wins where terms overlap). Cached: the
    reader asks about the same sentence several times (read_request clears it per request)."""
    words = _words(text)
    index = _terms_by_word()
    # Most sentences have no supplier's name: only terms whose rarest word is a word of the text
    # are tried, in the order of terms().
    candidates = sorted({i for word in words if word in index for i in index[word]})
    hits: list[tuple[Term, int, int]] = []
    taken: list[tuple[int, int]] = []
    for term in (terms()[i] for i in candidates):
        if not term.words <= words:
            continue
        for m in term.pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if term.needs_context and FAMILY_OF.get(term.technology, term.technology) not in families_named(text):
                continue
            hits.append((term, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return tuple(sorted(hits, key=lambda h: h[1]))


def technology_of(term: Term) -> str | None:
    if term.product:
        return product_kinds().get(term.product.casefold())
    return None if is_family(term.technology) else term.technology
