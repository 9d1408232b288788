"""The shapes ``read_request`` takes and returns (docs/ARCHITECTURE.md, "Interfaces inside transform")."""

from __future__ import annotations

from dataclasses import dataclass, field

AUTHOR_ROLES = ("requester", "force", "third_party", "page")


@dataclass(frozen=True)
class Document:
    """One message, attachment or page of a request, with the role of whoever wrote it.

    ``page`` means a whole web page that mixes the request, the reply, site banners and status
    lines; the reader has to tell the force's words apart itself.
    """

    document_id: str
    kind: str
    author_role: str
    text: str


@dataclass(frozen=True)
class Finding:
    technology: str      # lfr, rfr, oifr for use; fr for planned and governance documents
    question: str        # use, planned, dpia, policy, sop, eia
    answer: str          # vocabulary of DESIGN.md (never not_answered: absence means that)
    document_id: str
    quote: str           # == document.text[start:end]
    start: int
    end: int
    rule: str            # the named rule that produced it
    confidence: float


@dataclass(frozen=True)
class SupplierMention:
    supplier_id: str
    product: str | None
    technology: str | None
    document_id: str
    quote: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Exemption:
    section: str         # s24
    subsection: str      # s24(2), or s24 when no sub-section is cited
    ncnd: bool           # cited to neither confirm nor deny
    document_id: str
    quote: str
    start: int
    end: int
    # For an NCND citation, the findings it covers ("lfr/use", "fr/planned"); empty when the NCND
    # is about something else (covert use, "any further information").
    covers: tuple[str, ...] = ()


@dataclass
class RequestAnswers:
    findings: list[Finding] = field(default_factory=list)
    suppliers: list[SupplierMention] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
