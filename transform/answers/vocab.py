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

# --- kinds of facial recognition --------------------------------------------------------------

# The words for facial recognition and each of its kinds come from the technology registry
# (reference/technologies/facial_recognition.yaml). The reader's family-level logic (a general
# "facial recognition" answer covering every kind) is still about this one family.
FAMILY = technologies.family("fr")
TECH_PATTERNS = {kind.technology_id: gated(kind.pattern, I) for kind in FAMILY.kinds}
GENERIC_FR = gated(FAMILY.pattern, I)

# Words that narrow a statement to something other than the three kinds we track (rule 5: a
# narrow denial is not generalised).
NARROWING = gated(
    r"\bbody[\s-]*worn\b|\bBWV\b|\bBWC\b|\bdrones?\b|\bsocial media\b|\bretail(?:ers?)?\b|\bshops?\b"
    r"|\bevaluat\w*\b|\bcapacity of the\b|\bcapability of the\b|\bsoftware upgrade\b", I)
# One named event or operation: a denial about it is not a force-wide denial ("did not use live
# facial recognition at the Summer Carnival", "during Operation Hawthorn", "at the match on 3 May").
ONE_EVENT = gated(
    r"\b(?:at|during|for|in|on)\s+(?:the\s+)?(?:\d{4}\s+)?(?:[A-Z][\w'’&-]*\s+){1,5}(?i:carnival|festival|fair|parade|match|marathon"
    r"|grand\s+prix|games|championships?|concert|show|coronation|jubilee|summit|conference|cup|final|derby|rally|pride|day"
    r"|weekend|celebrations?|protest|demonstration|march)\b"
    r"|\bOperation\s+[A-Z][\w'’-]+"
    r"|\b(?i:at|during|for)\s+(?i:the|that|this)\s+(?i:event|match|concert|festival|protest|demonstration|march|game|parade)\s+"
    r"(?i:on|in|held)\s+(?:\d|(?i:january|february|march|april|may|june|july|august|september|october|november|december))")
# Context words that tie an unnamed kind of facial recognition to live or retrospective use.
LIVE_CONTEXT = gated(r"\bevents?\b|\bdeployments?\b|\bin public\b|\bcrowds?\b|\bfootball\b|\bmatch(?:es)? day\b"
                     r"|\bprotests?\b|\bdemonstrations?\b|\bmarches\b|\bconcerts?\b|\bfestivals?\b|\bpublic\s+(?:spaces?|places?)\b"
                     r"|\bvans?\b|\bCCTV\b|\bcameras?\b|\bstreets?\b", I)
RETRO_CONTEXT = gated(r"\brecordings?\b|\bfootage\b|\bstill images?\b|\bphotographs?\b|\bimages?\b"
                      r"|\bdatabases?\b|\bcustody\b|\bsearch(?:es|ed)?\b", I)
ANAPHORA = gated(r"\b(?:this|such|the|that|these)\s+(?:technology|technologies|software|system|systems|capability|tool)\b", I)


# What may follow the name of the technology in a statement about the technology itself. Any other
# noun makes the statement about that thing ("does not operate its own facial recognition
# servers" is about servers, not about use).
FR_HEAD = re.compile(
    r"(?:\s*\([A-Za-z]{2,5}\))?\s+(?!(?:technology|technologies|software|systems?|capabilit(?:y|ies)|tools?|services?|cameras?"
    r"|vans?|apps?|applications?|products?|solutions?|equipment|searches|search|searching|matching|deployments?|trials?"
    r"|units?|in|at|on|for|to|and|or|nor|of|as|by|with|within|overtly|covertly|currently|either|any|anywhere|is|are|was"
    r"|were|has|have|had|it|this|that|which|whether|since|during|from|under|but|however|so|because|nor|yet|live|retrospective"
    r"|operator|initiated|\(|\d)\b)[a-z]{3,}", I)


def object_is_other_thing(text: str) -> bool:
    """The facial recognition words only qualify another noun ("facial recognition servers")."""
    for m in GENERIC_FR.finditer(text):
        if FR_HEAD.match(text, m.end()):
            return True
    return False


# "of any kind", "at all", "in any form": a denial that is meant to cover everything.
EVERY_KIND = gated(r"\bof\s+any\s+(?:kind|sort|type|form)\b|\bat\s+all\b|\bin\s+any\s+(?:form|capacity|way|shape)\b"
                   r"|\bany\s+(?:form|type|kind)\s+of\b|\bwhatsoever\b|\blive\s+or\s+(?:otherwise|retrospective)", I)


# "live and/or retrospective facial recognition", "live, retrospective or operator initiated FR":
# each adjective of the list names its kind.
KIND_WORDS = {kind.technology_id: kind.list_word for kind in FAMILY.kinds}
_LIST_WORD = "(?:" + "|".join(KIND_WORDS.values()) + ")"
KIND_LIST = gated(
    rf"\b((?:{_LIST_WORD}\s*(?:,|and/or|and|or|&|/)\s*){{1,3}}{_LIST_WORD})\s+(?:\([A-Z]+\)\s+)?(?:{FAMILY.list_noun})", I)


# The helpers below are asked about the same sentence by several rules, so their answers are
# cached for the request being read (gate.per_request).
@per_request
def technologies_in(text: str) -> frozenset[str]:
    """The specific kinds named in ``text``."""
    found = {tech for tech, pattern in TECH_PATTERNS.items() if pattern.search(text)}
    for m in KIND_LIST.finditer(text):
        found |= {tech for tech, word in KIND_WORDS.items() if re.search(rf"\b{word}\b", m.group(1), I)}
    return frozenset(found)


@per_request
def mentions_fr(text: str) -> bool:
    return bool(GENERIC_FR.search(text)) or bool(technologies_in(text))


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
