"""Named patterns for the things answers talk about: kinds of facial recognition, governance
documents, and the voices of requesters and site furniture.

Everything here describes how UK police FOI replies phrase things in general; nothing is keyed
to a particular response.
"""

from __future__ import annotations

import re

from reference import technologies

from .gate import gated, per_request

I = re.IGNORECASE

# --- technologies -----------------------------------------------------------------------------

# The words for each technology family and its kinds come from the technology registry
# (reference/technologies/*.yaml); nothing below names a technology. A finding about a family as
# a whole (plans, the DPIA, an answer naming no kind) carries the family's id, and a use answer
# about the family covers each of its kinds.
FAMILIES = {family.family: family for family in technologies.load_families()}
FAMILY_KINDS = {fid: tuple(kind.technology_id for kind in family.kinds) for fid, family in FAMILIES.items()}
FAMILY_OF = {kind: fid for fid, kinds in FAMILY_KINDS.items() for kind in kinds}
TECH_PATTERNS = {kind.technology_id: gated(kind.pattern, I) for family in FAMILIES.values() for kind in family.kinds}
GENERIC = {fid: gated(family.pattern, I) for fid, family in FAMILIES.items()}
NARROWING = {fid: gated("|".join(family.narrowing), I) for fid, family in FAMILIES.items() if family.narrowing}
# Per family, the contexts that tie a mention naming no kind to a kind (the registry's order).
CONTEXTS = {fid: tuple((c.kind, c.name, set(c.uses), gated(c.pattern, I)) for c in family.contexts)
            for fid, family in FAMILIES.items()}


def is_family(technology: str) -> bool:
    return technology in FAMILY_KINDS


def narrowed(text: str, families) -> bool:
    """The statement is about something narrower than the family (body-worn video, a named
    product, retail use): a narrow denial is not generalised (rule 5)."""
    return any(NARROWING[f].search(text) for f in families if f in NARROWING)


def kind_from_context(family: str, text: str, use: str) -> str | None:
    """The kind an unnamed mention of ``family`` is about, from the words around it."""
    for kind, _, uses, pattern in CONTEXTS.get(family, ()):
        if use in uses and pattern.search(text):
            return kind
    return None


def context_name(kind: str) -> str:
    return next(name for fid in CONTEXTS for k, name, _, _ in CONTEXTS[fid] if k == kind)


# One named event or operation: a denial about it is not a force-wide denial ("did not use live
# facial recognition at the Summer Carnival", "during Operation Hawthorn", "at the match on 3 May").
ONE_EVENT = gated(
    r"\b(?:at|during|for|in|on)\s+(?:the\s+)?(?:\d{4}\s+)?(?:[A-Z][\w'’&-]*\s+){1,5}(?i:carnival|festival|fair|parade|match|marathon"
    r"|grand\s+prix|games|championships?|concert|show|coronation|jubilee|summit|conference|cup|final|derby|rally|pride|day"
    r"|weekend|celebrations?|protest|demonstration|march)\b"
    r"|\bOperation\s+[A-Z][\w'’-]+"
    r"|\b(?i:at|during|for)\s+(?i:the|that|this)\s+(?i:event|match|concert|festival|protest|demonstration|march|game|parade)\s+"
    r"(?i:on|in|held)\s+(?:\d|(?i:january|february|march|april|may|june|july|august|september|october|november|december))")
ANAPHORA = gated(r"\b(?:this|such|the|that|these)\s+(?:technology|technologies|software|system|systems|capability|tool)\b", I)


# What may follow the name of a technology in a statement about the technology itself. Any other
# noun makes the statement about that thing ("does not operate its own facial recognition
# servers" is about servers, not about use; "drone footage" is footage).
_LIST_WORDS = sorted({w for family in FAMILIES.values() for kind in family.kinds
                      for w in re.findall(r"[a-z]{3,}", kind.list_word.lower())})
TECHNOLOGY_HEAD = re.compile(
    r"(?:\s*\([A-Za-z]{2,5}\))?\s+(?!(?:technology|technologies|software|systems?|capabilit(?:y|ies)|tools?|services?|cameras?"
    r"|vans?|apps?|applications?|products?|solutions?|equipment|searches|search|searching|matching|deployments?|trials?"
    r"|units?|in|at|on|for|to|and|or|nor|of|as|by|with|within|overtly|covertly|currently|either|any|anywhere|is|are|was"
    r"|were|has|have|had|it|this|that|which|whether|since|during|from|under|but|however|so|because|nor|yet|being|been"
    r"|\w+ed"  # a verb: "facial recognition applied to recordings", "... used at events"
    r"|" + "|".join(_LIST_WORDS) + r"|\(|\d)\b)[a-z]{3,}", I)


def object_is_other_thing(text: str, families=None) -> bool:
    """The technology's words only qualify another noun ("facial recognition servers")."""
    for fid in families or GENERIC:
        for m in GENERIC[fid].finditer(text):
            if TECHNOLOGY_HEAD.match(text, m.end()):
                return True
    return False


# "of any kind", "at all", "in any form": a denial that is meant to cover everything.
EVERY_KIND = gated(r"\bof\s+any\s+(?:kind|sort|type|form)\b|\bat\s+all\b|\bin\s+any\s+(?:form|capacity|way|shape)\b"
                   r"|\bany\s+(?:form|type|kind)\s+of\b|\bwhatsoever\b|\b\w+\s+or\s+otherwise\b", I)


# "live and/or retrospective facial recognition", "live, retrospective or operator initiated FR":
# each adjective of the list names its kind (per family: its kinds' list words and its list noun).
KIND_WORDS = {kind.technology_id: kind.list_word for family in FAMILIES.values() for kind in family.kinds}


def _kind_list(family) -> re.Pattern:
    word = "(?:" + "|".join(kind.list_word for kind in family.kinds) + ")"
    return gated(rf"\b((?:{word}\s*(?:,|and/or|and|or|nor|&|/)\s*){{1,3}}{word})\s+(?:\([A-Z]+\)\s+)?(?:{family.list_noun})", I)


KIND_LISTS = {fid: _kind_list(family) for fid, family in FAMILIES.items() if len(family.kinds) > 1}


# The helpers below are asked about the same sentence by several rules, so their answers are
# cached for the request being read (gate.per_request).
# Every name of every technology, kind or family: most sentences name none, and one search says so.
ANY_TECHNOLOGY = gated("|".join(f"(?:{p})" for family in FAMILIES.values()
                                for p in (family.pattern, *(kind.pattern for kind in family.kinds))), I)


@per_request
def _named(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the kinds ``text`` names, the families it names by their own words), in one pass."""
    if not ANY_TECHNOLOGY.search(text):
        return NOTHING, NOTHING
    kinds = {tech for tech, pattern in TECH_PATTERNS.items() if pattern.search(text)}
    for fid, kind_list in KIND_LISTS.items():
        for m in kind_list.finditer(text):
            kinds |= {tech for tech in FAMILY_KINDS[fid] if re.search(rf"\b{KIND_WORDS[tech]}\b", m.group(1), I)}
    return frozenset(kinds), frozenset(f for f, p in GENERIC.items() if p.search(text))


NOTHING: frozenset[str] = frozenset()


def technologies_in(text: str) -> frozenset[str]:
    """The specific kinds named in ``text``."""
    return _named(text)[0]


def families_named(text: str) -> frozenset[str]:
    """Families named in ``text``, by a kind or by the family's own words."""
    kinds, families = _named(text)
    return families | {FAMILY_OF[k] for k in kinds} if kinds else families


def generic_families(text: str) -> frozenset[str]:
    """Families named without any of their kinds ("we do not use facial recognition")."""
    kinds, families = _named(text)
    return frozenset(f for f in families if not any(FAMILY_OF[k] == f for k in kinds)) if kinds else families


def mentions_technology(text: str) -> bool:
    return bool(families_named(text))


# Between the names of two families, words that make one the other's setting or instrument
# ("facial recognition on drones", "drones fitted with facial recognition cameras"), as opposed to
# a list ("drones or facial recognition").
LINKING = gated(r"\b(?:on|onto|with|from|via|in|at|by|using|fitted|mounted|equipped|carrying|carried|for|of|through|into"
                r"|within|to|as|under|attached|linked|connected|integrated|combined)\b", I)


@per_request
def combined(text: str) -> bool:
    """Two families named in one statement, one qualifying the other: a statement about the
    combination ("we do not use facial recognition on drones") answers for neither."""
    if len(families_named(text)) < 2:
        return False
    spans = sorted((m.start(), m.end(), FAMILY_OF[k]) for k, p in TECH_PATTERNS.items() for m in p.finditer(text))
    spans += sorted((m.start(), m.end(), f) for f, p in GENERIC.items() for m in p.finditer(text))
    spans.sort()
    for (_, end, first), (start, _, second) in zip(spans, spans[1:]):
        if first != second and start > end and LINKING.search(text[end:start]):
            return True
    return False


# --- governance documents ---------------------------------------------------------------------

GOVERNANCE = {
    "dpia": gated(r"\bDPIAs?\b|\b(?:data(?:\s+protection)?|privacy)\s+impact\s+assessments?\b|\bPIAs?\b", I),
    "eia": gated(r"\bE[Q]?IAs?\b|\bequality\s+(?:and\s+\w+\s+)?impact\s+assessments?\b", I),
    "sop": gated(r"\bSOPs?\b|\bstandard\s+operating\s+procedures?\b|\boperating\s+procedures?\b", I),
    "policy": gated(r"\bpolic(?:y|ies)(?:\s+documents?)?\b(?!\s+(?:is|was)\s+to\b)|(?-i:\bAPP\b)|\blegal\s+mandate\b", I),
}


@per_request
def governance_in(text: str) -> frozenset[str]:
    return frozenset(doc for doc, pattern in GOVERNANCE.items() if pattern.search(text))


# --- voices -----------------------------------------------------------------------------------

BOILERPLATE = gated(
    r"cookie|leave this site|exit this site|this site is a beta|technical problem|improvements and building a new website"
    r"|live chat|please try again|your feedback|the request was\b|made this freedom of information request|anti-spam|HTML version of an attachment"
    r"|purpose of the Act is to allow|^visible links|^references$|mailto:|^\d+ attachments?$|report incidents"
    r"|^posted on$|^home\s*>|this request has been|track this request|send (?:a )?follow[\s-]?up|report an offensive"
    r"|add an annotation|waiting for (?:a|an|their)|delayed\.|requires? admin|^share$|^download|similar requests|more similar"
    r"|was this (?:page|answer) helpful|awaiting classification|long overdue"
    r"|places two duties on public authorities|Section 17 of the Freedom of Information Act requires"
    r"|right (?:to|of) (?:appeal|complain)|(?:complain|appeal|write|apply)\w*\s+(?:directly\s+)?to\s+the\s+Information\s+Commissioner"
    r"|Information Commissioner['’]?s? (?:can be contacted|website)|internal review|Wycliffe House|copyright",
    I,
)

# The requester's voice: questions, requests for documents and anything about "your force".
QUESTION_START = re.compile(
    r"^(?:does|do|did|has|have|had|is|are|was|were|will|would|can|could|shall|should|may|how|what|which|when|where"
    r"|who|whom|whose|why|whether|if\b|in the event|please\s+(?:provide|confirm|advise|advice|supply|list|state|send|share"
    r"|give|disclose|include|could|can|tell|indicate|detail|specify|explain|outline|describe|limit|prioriti[sz]e|also)"
    r"|i\s+(?:would\s+(?:like|be\s+grateful|appreciate)\s+(?:to\s+(?:know|request|ask|obtain|see|receive|have)|information|a\s+copy"
    r"|copies|details|if|you)|request|am\s+(?:requesting|seeking|asking|aware|interested|researching|writing\s+to\s+(?:request|ask|enquire|make))"
    r"|write\s+to\s+(?:request|ask|enquire)|wish\s+to\s+(?:request|know|obtain|see)|want\s+to\s+know|ask|refer\s+to\s+(?:a|the|an)\s+(?:article|report|news)"
    r"|understand|believe|have\s+(?:read|seen)|read|saw|noticed)|according\s+to|it\s+(?:has\s+been|was|is)\s+reported"
    r"|(?:a|in\s+a)\s+recent\s+(?:article|report|news)|reports?\s+(?:suggest|indicate|state)|news\s+reports?"
    r"|could you|can you|would you|for each|for every|under the freedom of information|specifically|dear\b)",
    I,
)
REQUESTER_PHRASES = gated(
    r"\byour\s+(?:police\s+)?(?:force|forces|constabulary|service|organisation|organization|council|department|authority)\b"
    r"|\bplease\s+(?:provide|confirm|advise|supply|list|state|send|share|disclose)\b|\byours faithfully\b", I)


# A request item restated as a bare noun phrase: "The number of LFR deployments in 2023."
REQUESTED_ITEM = re.compile(r"^(?:the\s+|a\s+|any\s+|all\s+)?(?:total\s+(?:\w+\s+)?|(?:number|numbers|details|list|copy|copies"
                            r"|breakdown|dates?|locations?|costs?|amount|figures?|records?|information|documents?|minutes)\s+(?:of|on|for|about"
                            r"|relating)\b)", I)
# A figure given in answer (not a year, nor "the last 3 years").
GIVEN_FIGURE = re.compile(r"(?<!last )(?<!past )(?<!previous )(?<![\d.])(?!(?:19|20)\d\d\b)\d[\d,]*\b(?!\s*(?:years?|months?|weeks?|days?|hours?))", I)
FINITE_VERB = gated(r"\b(?:is|are|was|were|has|have|had|did|does|do|will|can|cannot|totalled|stands?|amounts?\s+to"
                    r"|came|comes)\b", I)


@per_request
def is_question_voice(body: str) -> bool:
    body = body.strip().lstrip("-–•*·?\"“ ").strip()
    if not body:
        return False
    if body.endswith("?") or body.rstrip("\"”) ").endswith("?"):
        return True
    if REQUESTED_ITEM.match(body) and not FINITE_VERB.search(body) and not GIVEN_FIGURE.search(body):
        return True
    return bool(QUESTION_START.match(body) or REQUESTER_PHRASES.search(body))


# Headings that open the requester's part of a reply page or letter ("You asked:", "Request:").
REQUEST_HEADING = gated(
    r"^(?:you asked|your request|request(?:\s+details)?|the request|original request|information requested"
    r"|requested information|you requested|your questions?|questions?|request text|details of request"
    r"|the information you requested|below is your request[\w\s]*)\s*[:\-–.]?\s*$"
    r"|^(?:you asked|your request was|request)\s*[:\-–]", I)
# A force's sentence that introduces the quoted request: "... in which you sought the following
# information:", "Your request read as follows:".
REQUEST_INTRO = gated(
    r"(?:sought|requested|asked\s+for|asked|request(?:ed)?\s+(?:was|read|reads|stated))\b[^.]{0,80}"
    r"(?:the\s+following(?:\s+information)?|as\s+follows)\s*[:.]?\s*$", I)
# Weaker headings, trusted only on disclosure-log pages: a force letter is often headed
# "Request for information - reference ...".
PAGE_REQUEST_HEADING = gated(
    r"^(?:information\s+request|request\s+for\s+information|freedom\s+of\s+information\s+request)\b[^.?]{0,70}$", I)
# Headings that open the force's answer.
RESPONSE_HEADING = gated(
    r"^(?:in response|response|our response|responses?|answers?|decision|reply|force response|disclosure|the response"
    r"|outcome|result|information disclosed|foi response)\s*[:\-–.]?\s*$"
    r"|^(?:in response|response|answer|decision)\s*[:\-–]"
    r"|^(?:foi\s+duty|first\s+duty|second\s+duty)\b"
    r"|^(?:extent and result of searches|having made enquiries|following receipt of your request"
    r"|having (?:searched|checked|made searches|carried out searches|conducted searches)"
    r"|following (?:a search|searches|enquiries|checks)\b|(?:i|we) (?:can|am able to|are able to) (?:advise|inform|tell)"
    r"|we have now had the opportunity|i can confirm|i am able to disclose|please find (?:below|attached)"
    r"|your request has (?:now )?been (?:considered|processed)|(?:our|the) response is (?:provided|set out|given|as follows)"
    r"|[\w’' ]+['’]s response is (?:provided|set out|given|as follows)"
    r"|in relation to your request|with regards? to (?:your|points?|questions?|the)|thank you for your (?:request|email))",
    I,
)
# "Dear Kent Police," opens a request; "Dear Ms Smith" opens the force's reply.
DEAR_FORCE = re.compile(r"^dear\s+(?:[\w&'’.-]+\s+){0,5}(?:police|constabulary|force|service|foi|freedom of information"
                        r"|information|commissioner|data protection|team|officer)\b", I)
# Any other "Dear ..." except the neutral "Dear Sir/Madam" (used by both sides).
DEAR_PERSON = re.compile(r"^dear\s+(?!sirs?\b|madam\b|sir\s*(?:/|or)\s*madam\b|all\b|colleague)\S", I)
SIGN_OFF_REQUESTER = re.compile(r"^yours\s+faithfully\b", I)

# A requester's lead-in to a made-up sample of the answer they want ("An answer could look like
# this:", "For example, a reply might read:", "Please use this format:"). The lines after it are
# the requester's, however much they look like a reply.
REQUEST_EXAMPLE = gated(
    r"(?:\b(?:an?|the|your|my)\s+(?:answer|reply|response)s?\s+(?:could|might|would|should|may)\s+(?:look|read|be)"
    r"|\b(?:for\s+example|e\.g\.|for\s+instance|such\s+as|as\s+an\s+example|example|sample|template"
    r"|(?:in|use)\s+(?:the|this)\s+(?:following\s+)?format)\b)[^.?]{0,80}:\s*$",
    I,
)
# A sentence with a negation: after a requester's sample answer only a denial is taken as the
# force's reply opening (see reader.assign_voices).
NEGATION = re.compile(r"\b(?:not|never|no|cannot|can't|doesn't|don't|hasn't|haven't|isn't)\b", I)

# Phrases only a force writes: inside the request part they mean the reply has begun, even with
# no heading ("X Police can neither confirm nor deny...", "I can confirm that...").
FORCE_ONLY = gated(
    r"neither\s+confirm\w*\s+n?or\s+den|\b(?:i|we)\s+can\s+confirm\b|\b(?:i|we)\s+(?:can|am\s+able\s+to|are\s+able\s+to)\s+(?:advise|inform|tell)\s+you\b|\bsearches\s+(?:were|have\s+been)\s+(?:conducted|carried\s+out|made)"
    r"|\bno\s+(?:relevant\s+)?information\s+(?:is\s+)?held\b|\binformation\b[^.]{0,40}\bis\s+(?:not\s+)?held\s+by\b"
    r"|\bhas\s+now\s+been\s+considered\b|\bin\s+relation\s+to\s+the\s+(?:overt|covert)\b|\bwith\s+regards?\s+to\s+(?:overt|covert)\b"
    r"|\bexemptions?\s+(?:apply|applies|applied|engaged)\b|\bwe\s+(?:will|shall)\s+rely\b",
    I,
)
