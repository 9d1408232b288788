"""Suppliers named in the force's words, found through the supplier table (reference/suppliers.csv).

The table is data: names, aliases and products. Which kind of facial recognition a product is
used for lives in ``product_technology.csv`` beside this module, also data.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reference.registry import load_suppliers

from .vocab import mentions_fr

PRODUCT_TECHNOLOGY_CSV = Path(__file__).with_name("product_technology.csv")
# Terms that are only a supplier when facial recognition is in the same sentence: PND is a
# database with many uses, and Home Office / AWS-style names are not specific to faces.
NEEDS_FR_CONTEXT = {"home-office-pnd", "amazon-rekognition", "motorola-solutions", "axon", "hikvision", "dahua"}


@dataclass(frozen=True)
class Term:
    supplier_id: str
    name: str                # the supplier's canonical name (the label used in the corpus)
    product: str | None
    pattern: re.Pattern


@cache
def product_technology() -> dict[str, str]:
    with PRODUCT_TECHNOLOGY_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["product"].casefold(): row["technology"] for row in csv.DictReader(handle)}


# One-word names that are also ordinary words ("identify", "fortify", "axon") only count written
# as names, with their capitals.
COMMON_WORDS = {"identify", "fortify", "axon", "reveal", "watch", "live", "protect", "review", "morpho", "clearview"}


def _pattern(term: str) -> re.Pattern:
    body = r"[\s-]+".join(re.escape(part) for part in term.split())
    # Short all-capitals names (NEC, PND, AWS) only match in capitals, so "nec" inside a
    # sentence or "pnd" in a URL do not count.
    exact = (term.isupper() and len(term) <= 5) or term.casefold() in COMMON_WORDS
    return re.compile(rf"(?<![\w@/.]){body}(?![\w@])", 0 if exact else re.IGNORECASE)


@cache
def terms() -> tuple[Term, ...]:
    found = []
    for s in load_suppliers():
        for product in s.products:
            found.append(Term(s.supplier_id, s.name, product, _pattern(product)))
        for name in (s.name, *s.aliases):
            found.append(Term(s.supplier_id, s.name, None, _pattern(name)))
    # Longer terms first so "NeoFace Live" wins over "NeoFace" and "NEC".
    return tuple(sorted(found, key=lambda t: -len(t.product or t.name)))


def supplier_names() -> dict[str, str]:
    return {t.supplier_id: t.name for t in terms()}


@cache
def _any_term() -> re.Pattern:
    """One pattern for all terms, to skip the many sentences that name no supplier at all."""
    return re.compile("|".join(f"(?:{t.pattern.pattern})" for t in terms()), re.IGNORECASE)  # a superset: exact check follows


def find(text: str) -> list[tuple[Term, int, int]]:
    """Every supplier term in ``text`` (longest match wins where terms overlap)."""
    if not _any_term().search(text):
        return []
    hits: list[tuple[Term, int, int]] = []
    taken: list[tuple[int, int]] = []
    for term in terms():
        for m in term.pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if term.supplier_id in NEEDS_FR_CONTEXT and not mentions_fr(text):
                continue
            hits.append((term, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(hits, key=lambda h: h[1])


def technology_of(term: Term) -> str | None:
    if term.product:
        return product_technology().get(term.product.casefold())
    if term.supplier_id == "home-office-pnd":
        return "rfr"
    return None
