"""``read_request``: a request's documents in, findings, suppliers and exemptions out.

Steps:
1. cut every document into sentences and give each a voice (force, request, boilerplate), so that
   the requester's words and the site's furniture never produce findings (DESIGN.md rule 2);
2. collect the questions the requester asked, with their numbers and topics (which kind of facial
   recognition, use / plans / which governance document), so that terse numbered answers ("1. Yes")
   and answers that only say "this technology" can be read against them;
3. run the named rules over the force's sentences, each giving candidate findings;
4. keep, per technology and question, the strongest candidate, and mark conflicts with a lower
   confidence so that they reach the review queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import rules as R
from . import suppliers as S
from .exemptions import NCND as NCND_CONTEXT
from .exemptions import citations, is_ncnd
from . import gate, rule_table
from .gate import gated, per_request
from .model import Document, Exemption, Finding, RequestAnswers, SupplierMention
from .segment import Sentence, split_sentences
from .vocab import (
    ANAPHORA,
    BOILERPLATE,
    DEAR_FORCE,
    DEAR_PERSON,
    EVERY_KIND,
    FAMILY_KINDS,
    FAMILY_OF,
    FORCE_ONLY,
    GOVERNANCE,
    NEGATION,
    ONE_EVENT,
    PAGE_REQUEST_HEADING,
    REQUEST_HEADING,
    REQUEST_EXAMPLE,
    REQUEST_INTRO,
    RESPONSE_HEADING,
    SIGN_OFF_REQUESTER,
    combined,
    context_name,
    families_named,
    generic_families,
    governance_in,
    is_family,
    is_question_voice,
    kind_from_context,
    mentions_technology,
    narrowed,
    object_is_other_thing,
    technologies_in,
)

DOCUMENTS = ("dpia", "policy", "sop", "eia")
# A question naming no technology ("3. Please provide your DPIA") is about the technologies the
# rest of the request asks about: its topics carry this placeholder until the request is known.
ANY_FAMILY = "*"
LABELLED_ANSWER = gated(r"^(?P<label>[^.?!:–-]{3,70}?)\s*(?:[:–|]|\s-)\s*(?P<answer>(?:yes|no|none|not\s+held|nil"
                        r"|not\s+(?:currently\s+)?(?:used|in\s+use|deployed|utili[sz]ed)|(?:currently\s+)?(?:used|in\s+use|deployed))"
                        r"\b.{0,80})$", re.I)
# Strength of an answer when two rules disagree: an explicit yes/no beats an NCND or a refusal,
# which beat "not held", which beats "unclear".
STRENGTH = {"yes": 3, "no": 3, "provided": 3, "ncnd": 2, "withheld": 2, "exists": 2, "not_held": 1, "unclear": 0}

# A force speaking in the first person or by name, used to notice the reply has started when a
# page has no "Response" heading.
FORCE_VOICE = re.compile(
    r"^(?:(?i:we|the\s+force|this\s+force|the\s+constabulary)|(?:[A-Z][\w&'’-]*\s+){1,4}(?:Police|Constabulary))\s+"
    r"(?i:do|does|did|has|have|had|is|are|was|were|can|cannot|can't|hold|holds|will|currently|confirm\w*|uses?)\b")
# A question about use: the force (or "you") uses it, "use of" it, it "was used/deployed" or
# "used by" the force. ("servers used for facial recognition" asks about servers.)
_VERBS = R.USE_VERBS + r"|uses|usage|operates|utili[sz]es|submit\w*|search\w*|conduct\w*|carr(?:y|ies|ied)\s+out|runs?|access\w*|appl(?:y|ies|ied)\s+(?:\w+\s+){0,4}?(?:to|on)"
USE_QUESTION = gated(
    r"\b(?:you|your\s+(?:police\s+)?\w+|the\s+force|this\s+force|it|they|(?:[A-Z][\w'’]*\s+){1,3}(?:Police|Constabulary)(?:['’]s)?)"
    r"\b[^.?;]{0,50}?\b(?:" + _VERBS + r")\b"
    r"|\b(?:use|usage|deployments?|trials?|utili[sz]ation|operation)\s+of\b"
    r"|\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?(?:used|deployed|trialled|trialed|utili[sz]ed|operated|applied\s+to)\b"
    # "Is facial recognition applied to ...?", "Has LFR been deployed ...?": the auxiliary asks.
    r"|^(?:is|are|was|were|has|have)\s+(?:\w+\s+){1,4}?(?:been\s+)?(?:used|deployed|trialled|trialed|utili[sz]ed|operated|applied)\b"
    r"|\b(?:used|deployed|trialled|operated|utili[sz]ed)\s+(?:by|within|in|at)\s+(?:you\b|your\b|the\s+force|this\s+force|officers"
    r"|police\b|(?:[A-Z][\w'’]*\s+){1,3}(?:Police|Constabulary))"
    r"|\b(?:whether|if)\b[^.?]{0,60}\b(?:use|uses|used|using|deploy\w*|trial\w*)\b", re.I)
YES_NO_QUESTION = gated(r"(?:^|[,:;]\s*)(?:does|do|did|has|have|had|is|are|was|were|will|can|could|would)\b|\bwhether\b"
                        r"|\bconfirm\s+(?:if|whether|that)\b", re.I)
# Names of police forces ("North Yorkshire Police", "Devon and Cornwall Police"): a statement
# about another force (a quoted press article, a comparison) is not this force's answer.
FORCE_NAME = gated(r"\b((?:[A-Z][a-z]+(?:\s+and\s+|\s+))+)(?:Police|Constabulary)\b")
COMMON_WORDS = {"The", "All", "Other", "Some", "Many", "Each", "UK", "Our", "Your", "By", "For", "With", "And", "Dear",
                "Home", "National", "British", "Transport", "Local", "Every", "Which", "Any", "Welsh", "English", "As", "In", "At",
                "On", "From", "To", "That", "This", "If", "When", "While", "Whilst", "Although", "However", "So", "But",
                "Please", "Yes", "No", "Neither", "Whether", "Does", "Do", "Has", "Have", "Is", "Are", "Was", "Were"}


def force_names(text: str) -> list[str]:
    names = []
    for m in FORCE_NAME.finditer(text):
        words = [w for w in m.group(1).split() if w not in COMMON_WORDS]
        if words:
            names.append(" ".join(words).replace(" and ", " "))
    return names


def dominant_force(texts: list[str]) -> str | None:
    counts: dict[str, int] = {}
    for text in texts:
        for name in force_names(text):
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else None


# "questions 1, 3 and 5", "points 1 and 5", "Q1 & 2", "questions 2-4": answers addressed by number.
REFERENCE = gated(r"\b(?:questions?|points?|parts?|Q)\s*(\d{1,2}[a-z]?(?:\s*(?:,|and|&|to|-|–)\s*(?:Q\s*)?\d{1,2}[a-z]?)*)", re.I)


def referenced_numbers(text: str) -> list[str]:
    numbers: list[str] = []
    for m in REFERENCE.finditer(text):
        for part in re.finditer(r"(\d{1,2}[a-z]?)(?:\s*(?:to|-|–)\s*(?:Q\s*)?(\d{1,2}))?", m.group(1)):
            first, last = part.group(1), part.group(2)
            if last and first.isdigit() and int(last) > int(first) and int(last) - int(first) < 20:
                numbers += [str(n) for n in range(int(first), int(last) + 1)]
            else:
                numbers.append(first.lower())
    return numbers


COUNT_QUESTION = gated(r"\bhow\s+many\b|\bnumber\s+of\b|\bhow\s+often\b|\bon\s+how\s+many\b", re.I)


@dataclass
class Question:
    number: str | None
    text: str
    topics: set[tuple[str, str]]     # (technology, question): ("lfr", "use"), ("fr", "planned"), ("fr", "dpia")
    yes_no: bool
    count: bool
    suppliers: list                  # supplier terms named in the question


@dataclass
class Candidate:
    finding: Finding
    specific: bool                   # came from a sentence naming the kind, not from a generic statement


@dataclass
class Reading:
    candidates: list[Candidate] = field(default_factory=list)
    suppliers: list[SupplierMention] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)


# --- 1. voices -------------------------------------------------------------------------------

def assign_voices(doc: Document) -> list[Sentence]:
    sentences = split_sentences(doc.text or "", doc.document_id)
    if doc.author_role not in ("force", "page"):
        # The requester's messages tell us what was asked; annotations (and anything else) are
        # context only.
        for s in sentences:
            s.voice = "boilerplate" if BOILERPLATE.search(s.flat) else (
                "request" if doc.author_role == "requester" else "third_party")
        return sentences
    # A force letter starts in the force's voice; a page starts with site furniture we cannot
    # place, which is read like the force's words but still filtered for questions.
    state = "force" if doc.author_role == "force" else "unknown"
    for s in sentences:
        text = s.flat
        if BOILERPLATE.search(text):
            s.voice = "boilerplate"
            continue
        if DEAR_FORCE.match(text) or REQUEST_HEADING.match(text) or (
                doc.author_role == "page" and PAGE_REQUEST_HEADING.match(text)):
            state = "request"
            s.voice = "request"
            continue
        if doc.author_role == "force" and REQUEST_INTRO.search(text):
            # The force's own words, then the request it quotes (in a letter, a sentence in the
            # force's voice ends the quote; on a page the question filter does the work).
            s.voice = "force"
            state = "request"
            continue
        if DEAR_PERSON.match(text) or RESPONSE_HEADING.match(text):
            state = "force"
        elif SIGN_OFF_REQUESTER.match(text):
            state = "force" if doc.author_role == "force" else "unknown"
            s.voice = "request"
            continue
        elif state == "request" and REQUEST_EXAMPLE.search(text):
            state = "example"
        elif state == "request" and _opens_reply(s, doc.author_role):
            state = "force"
        elif state == "example" and _opens_reply_after_example(s):
            state = "force"
        if state in ("request", "example") or is_question_voice(s.body):
            s.voice = "request"
        else:
            s.voice = "force"
    return sentences


def _opens_reply(s: Sentence, role: str) -> bool:
    """Inside the request part, a terse numbered answer means the reply has started even though no
    heading said so; in a force's own letter, so does a sentence in the force's voice. (On a page a
    requester may well write "X Police has said...", so that is not enough there.)"""
    if s.marker and any(p.match(s.answer_body) for name, p in R.TERSE if name in ("yes", "not_held")):
        return True
    if FORCE_ONLY.search(s.body) and not is_question_voice(s.body):
        return True
    return role == "force" and bool(FORCE_VOICE.match(s.body)) and not is_question_voice(s.body)


def _opens_reply_after_example(s: Sentence) -> bool:
    """After a requester's sample answer ("An answer could look like this: 1. Yes ..."), terse
    numbered answers and "we use ..." lines are the sample. Only a force-only phrase, or a denial
    with the force as its subject, opens the reply: a sample admission read as the force's would
    publish a false "yes", the worst error we can make; a missed reply stays not answered."""
    if FORCE_ONLY.search(s.body) and not is_question_voice(s.body):
        return True
    return (bool(FORCE_VOICE.match(s.body)) and not s.body.lower().startswith("we ")
            and bool(NEGATION.search(s.body)) and not is_question_voice(s.body))


# --- 2. questions ----------------------------------------------------------------------------

# "Do you use, or plan to use, LFR?" asks both; "Do you plan to use LFR?" only about plans.
PLANS = gated(r"\b(?:plan\w*|intend\w*|intention|propos\w+)\s+(?:\w+\s+){0,2}?to\s+\w+", re.I)


@per_request
def question_topics(text: str) -> set[tuple[str, str]]:
    topics: set[tuple[str, str]] = set()
    techs: set[str] = set()
    if not combined(text):  # "do you use facial recognition on drones?" asks about neither alone
        techs = set(technologies_in(text))
        for family in generic_families(text):
            if not narrowed(text, {family}) and not object_is_other_thing(text, {family}):
                techs.add(kind_from_context(family, text, "questions") or family)
    families = {FAMILY_OF.get(t, t) for t in techs}
    if techs and R.PLAN_WORDS.search(text):
        topics |= {(f, "planned") for f in families}
    without_plans = PLANS.sub(" ", text)
    if techs and USE_QUESTION.search(without_plans):
        topics |= {(t, "use") for t in techs}
    docs = governance_in(text)
    for doc in docs:
        # "policy" is a common word: it is the technology's policy when the question names the
        # technology or asks for it with other governance documents.
        if doc != "policy" or families_named(text) or len(docs) > 1:
            topics |= {(f, doc) for f in (families_named(text) or {ANY_FAMILY})}
    return topics


def collect_questions(sentences: list[Sentence]) -> tuple[dict[str, Question], list[Question]]:
    numbered: dict[str, Question] = {}
    every: list[Question] = []
    parent = None
    for s in sentences:
        if s.voice != "request":
            continue
        body = s.body
        q = make_question(s.marker, body)
        every.append(q)
        if s.marker:
            key = s.marker
            if key.isalpha() and parent:      # "a)" under "2." is question 2a
                key = parent + key
            elif key[:1].isdigit():
                parent = re.match(r"\d+", key).group()
            numbered.setdefault(key, q)
    return numbered, every


@per_request
def make_question(number: str | None, body: str) -> Question:
    return Question(number, body, question_topics(body), bool(YES_NO_QUESTION.search(body)),
                    bool(COUNT_QUESTION.search(body)), [t for t, a, b in S.find(body)])


def kinds_of(techs) -> set[str]:
    """Kinds, with each family among ``techs`` standing for all of its kinds."""
    return {kind for t in techs for kind in (FAMILY_KINDS[t] if is_family(t) else (t,))}


def request_use_topics(questions: list[Question]) -> set[str]:
    return kinds_of({t for q in questions for t, kind in q.topics if kind == "use"})


def request_families(questions: list[Question], sentences: list[Sentence]) -> frozenset[str]:
    """The families a request is about: those its questions ask about, else those its documents name."""
    asked = {FAMILY_OF.get(t, t) for q in questions for t, _ in q.topics if t != ANY_FAMILY}
    return frozenset(asked or {f for s in sentences for f in families_named(s.flat)})


def settle_topics(q: Question, families: frozenset[str]) -> Question:
    """A question that named no technology is about the request's families."""
    if any(t == ANY_FAMILY for t, _ in q.topics):
        q.topics = {(f, kind) for t, kind in q.topics for f in (families if t == ANY_FAMILY else (t,))}
    return q


# --- 3. rules --------------------------------------------------------------------------------

class Reader:
    def __init__(self, numbered: dict[str, Question], questions: list[Question], own_force: str | None = None,
                 families: frozenset[str] = frozenset()):
        self.own_force = own_force
        self.families = families
        for q in questions:
            settle_topics(q, families)
        self.mentioned: dict[str, Sentence] = {}
        self.just_asked = False          # the previous sentence was a question
        self.narrow_ncnd_seen = False    # a covert / "any further information" NCND has been given
        self.numbered = numbered
        self.questions = questions
        self.asked_use = request_use_topics(questions)
        # Kinds the request's wording takes for granted ("records of your use of ..."), as opposed
        # to asking about with a yes/no question.
        self.presupposed_use = request_use_topics([q for q in questions if not q.yes_no])
        self.asked_planned = {t for q in questions for t, kind in q.topics if kind == "planned"}
        self.asked_documents = {(t, kind) for q in questions for t, kind in q.topics if kind in DOCUMENTS}
        self.out = Reading()
        self.current: Question | None = None

    # helpers
    def add(self, s: Sentence, tech: str, question: str, answer: str, rule: str, specific=True):
        """A candidate finding; its confidence is the rule's, from the rule table (rule_table.yaml)."""
        self.out.candidates.append(Candidate(
            Finding(tech, question, answer, s.document_id, s.quote, s.start, s.end, rule,
                    rule_table.confidence(rule, specific)), specific))

    def add_use(self, s: Sentence, techs: set[str], answer: str, rule: str, specific: bool):
        for tech in sorted(techs):
            if is_family(tech):
                for kind in FAMILY_KINDS[tech]:
                    self.add(s, kind, "use", answer, rule, specific=False)
            else:
                self.add(s, tech, "use", answer, rule, specific)

    def families_for(self, text: str, q: Question | None, question: str) -> set[str]:
        """Which families an answer on plans or a document is about: those the sentence names, else
        those of the question it answers, else the request's when it asks about one family only."""
        named = families_named(text)
        if named:
            return set(named)
        asked = {FAMILY_OF.get(t, t) for t, kind in q.topics if kind == question} if q else set()
        if asked:
            return asked
        return set(self.families) if len(self.families) == 1 else set()

    def referenced(self, text: str) -> list[Question]:
        return [self.numbered[n] for n in referenced_numbers(text) if n in self.numbered]

    def aligned(self, s: Sentence) -> Question | None:
        if s.marker:
            q = self.numbered.get(s.marker) or self.numbered.get(re.sub(r"[a-z]$", "", s.marker))
            if q:
                return q
        return self.current or self.sole_question

    @property
    def sole_question(self) -> Question | None:
        """The request's only yes/no question on a topic we track: a bare "No." answers it."""
        asked = [q for q in self.questions if q.topics and q.yes_no]
        return asked[0] if len(asked) == 1 and len({q.text for q in self.questions if q.topics}) == 1 else None

    def scope(self, s: Sentence, text: str) -> tuple[set[str], bool] | None:
        """Which kinds a statement is about, and whether it names them. None when the statement
        is about something narrower (body-worn cameras, a named product) and must not be generalised."""
        if combined(text):
            return None  # "facial recognition on drones": about the combination, not either one
        generic = generic_families(text)
        broad = {f for f in generic if not narrowed(text, {f}) and not object_is_other_thing(text, {f})}
        kinds = technologies_in(text)
        if kinds:
            return set(kinds) | broad, True
        if generic and broad == generic:
            return broad, False
        return None

    def anaphoric_scope(self, s: Sentence, text: str) -> set[str] | None:
        """"this technology" / "it": the kind comes from the context words or the question asked."""
        if not ANAPHORA.search(text):
            return None
        if narrowed(text, self.families):
            return None
        for family in sorted(self.families):
            kind = kind_from_context(family, text, "denials")
            if kind:
                return {kind}
        q = self.aligned(s)
        if q:
            techs = {t for t, kind in q.topics if kind == "use"}
            if techs:
                return techs
        if len(self.asked_use) == 1:
            return set(self.asked_use)
        return None

    # the rules
    def about_other_force(self, text: str) -> bool:
        """The sentence names police forces, none of which shares a word with the force replying."""
        names = force_names(text)
        if not names or self.own_force is None:
            return False
        own = set(self.own_force.split())
        return not any(own & set(name.split()) for name in names)

    def read(self, s: Sentence):
        text = s.body
        q = self.aligned(s)
        self.exemptions(s)
        if self.about_other_force(text):
            return
        self.note_mentions(s, text)
        if self.labelled(s, text):
            return
        self.supplier_mentions(s, text, q)
        if (s.para_start or s.marker or self.just_asked) and q is not None and self.terse(s, s.answer_body, q):
            return
        self.ncnd(s, text, q)
        self.denial(s, text)
        self.affirmation(s, text)
        self.planned(s, text, q)
        self.not_held(s, text, q)
        self.withheld(s, text)
        self.governance(s, text, q)
        self.held_unclear(s, text)

    def note_mentions(self, s: Sentence, text: str):
        """Kinds the force names without denying them, used when it answered a general question with yes."""
        if R.NEGATION.search(text) or R.HYPOTHETICAL.search(text) or R.NCND.search(text):
            return
        for tech in technologies_in(text):
            self.mentioned.setdefault(tech, s)

    def labelled(self, s: Sentence, text: str) -> bool:
        """A label and its answer on one line: "Live facial recognition - No", "Facial recognition: Yes"."""
        m = LABELLED_ANSWER.match(s.answer_body)
        if not m or not mentions_technology(m.group("label")):
            return False
        answer = next((name for name, p in R.TERSE if p.match(m.group("answer"))), None)
        if answer not in ("yes", "no", "not_held"):
            return False
        label = m.group("label")
        if R.PLAN_WORDS.search(label):
            if answer in ("yes", "no"):
                for family in families_named(label):
                    self.add(s, family, "planned", answer, "labelled_planned")
            return True
        scope = self.scope(s, label)
        if not scope:
            return False
        techs, specific = scope
        if answer == "yes" and not specific:
            self.add_use(s, techs, "unclear", "labelled_yes_generic", False)
        else:
            self.add_use(s, techs, answer, f"labelled_{answer}", specific)
        return True

    def terse(self, s: Sentence, text: str, q: Question) -> bool:
        """A short answer under a numbered question: "1. Yes", "Q2 - No", "3. No information held"."""
        answer = next((name for name, p in R.TERSE if p.match(text)), None)
        if answer in ("yes", "no") and not s.marker and not BARE_YES_NO.match(text):
            return False  # without a question number only a bare "Yes." / "No, ..." is an answer ("No fee is payable")
        if answer == "ncnd" and R.NCND_NARROW.search(text):
            return False  # a covert-only or cost NCND under a question does not answer it
        if answer is None:
            m = R.COUNT_ANSWER.match(text)
            if m and q.count and int(m.group("n").replace(",", "")) > 0:
                uses = {t for t, kind in q.topics if kind == "use" and not is_family(t)}
                for tech in uses:
                    self.add(s, tech, "use", "yes", "aligned_count_answer")
            return False
        for tech, kind in sorted(q.topics):
            if kind == "use":
                if answer == "yes" and not q.yes_no:
                    continue
                if answer == "yes" and is_family(tech):
                    self.add_use(s, {tech}, "unclear", "aligned_yes_generic", False)
                else:
                    self.add_use(s, {tech}, answer, f"aligned_{answer}", not is_family(tech))
            elif kind == "planned" and answer in ("yes", "no", "ncnd") and (answer == "ncnd" or q.yes_no):
                self.add(s, tech, "planned", answer, f"aligned_planned_{answer}")
            elif kind in DOCUMENTS and not any(k in ("use", "planned") for _, k in q.topics):
                doc_answer = {"not_held": "not_held", "no": "not_held", "yes": "exists"}.get(answer)
                if doc_answer and (answer == "not_held" or q.yes_no):
                    self.add(s, tech, kind, doc_answer, f"aligned_{kind}_{doc_answer}")
        if answer == "yes" and q.yes_no:
            for term in q.suppliers:
                self.out.suppliers.append(SupplierMention(
                    term.supplier_id, term.product, S.technology_of(term), s.document_id, s.quote, s.start, s.end,
                    "aligned_yes_supplier"))
        return answer in ("yes", "no")

    def ncnd(self, s: Sentence, text: str, q: Question | None):
        if not R.NCND.search(text):
            return
        if R.NCND_NARROW.search(text):
            self.narrow_ncnd_seen = True
            return
        scope = self.scope(s, text)
        if not scope and self.narrow_ncnd_seen:
            return  # the reasoning that follows a covert-only NCND, not a new NCND
        if scope:
            self.add_use(s, scope[0], "ncnd", "ncnd_use", scope[1])
        elif self.referenced(text):
            techs = {t for r in self.referenced(text) for t, kind in r.topics if kind == "use"}
            if techs:
                self.add_use(s, techs, "ncnd", "ncnd_referenced", not any(map(is_family, techs)))
        elif q and q.number and any(kind == "use" for _, kind in q.topics):
            self.add_use(s, {t for t, kind in q.topics if kind == "use"}, "ncnd", "ncnd_aligned", True)
        elif R.NCND_WHOLE.search(text) and self.asked_use and not (q and q.number) and not R.PLAN_WORDS.search(text):
            self.add_use(s, self.asked_use, "ncnd", "ncnd_request", False)
            for family in self.asked_planned:
                self.add(s, family, "planned", "ncnd", "ncnd_request_planned")
        if R.PLAN_WORDS.search(text) or (q and any(kind == "planned" for _, kind in q.topics)):
            for family in self.families_for(text, q, "planned"):
                self.add(s, family, "planned", "ncnd", "ncnd_planned")

    def denial(self, s: Sentence, text: str):
        for clause in clauses(text):
            m = R.DENIAL.search(clause)
            if not m or COVERT_ONLY(clause) or (R.speculative(clause, m.end()) and not R.OVERT.search(clause)):
                continue
            if ONE_EVENT.search(clause):
                continue  # "did not use LFR at the Summer Carnival" is about that event, not force-wide
            scope = self.scope(s, clause)
            if scope:
                techs, specific = scope
                if not specific and not EVERY_KIND.search(clause):
                    # "has not used facial recognition at any protest": live use in public, not
                    # every kind (rule 5: a narrow denial is not generalised).
                    for family in sorted(techs):
                        kind = kind_from_context(family, clause, "denials")
                        if kind:
                            self.add_use(s, {kind}, "no", f"denial_{context_name(kind)}_context", True)
                        else:
                            self.add_use(s, {family}, "no", "blanket_denial", False)
                    continue
                rule = "denial_specific" if specific else "blanket_denial"
                self.add_use(s, techs, "no", rule, specific)
                continue
            techs = self.anaphoric_scope(s, clause)
            if techs:
                self.add_use(s, techs, "no", "denial_this_technology", True)

    def affirmation(self, s: Sentence, text: str):
        if R.HYPOTHETICAL.search(text) or R.PLAN_WORDS.search(text) or WILL.search(text):
            return
        for i, clause in enumerate(clauses(text)):
            techs = technologies_in(clause)
            if not techs:
                self.general_affirmation(s, clause, first=i == 0)
                continue
            if R.NEGATION.search(clause):
                # Only the presupposition rule survives a negation elsewhere in the clause ("unable
                # to report the cost of our LFR deployments, as it is not recorded").
                m = R.OWN_DEPLOYMENTS.search(clause)
                if m and not R.NEGATION.search(clause[max(0, m.start() - 40):m.end()]) and not R.DENIAL.search(clause):
                    self.add_use(s, techs, "yes", "implicit_own_use", True)
                continue
            passive = R.AFFIRM_PASSIVE.search(clause) and R.OWN_AGENT.search(text)
            if R.AFFIRM_ACTIVE.search(clause) or passive or (i and CLAUSE_VERB.match(clause)):
                self.add_use(s, techs, "yes", "affirmed_use", True)
            elif R.COUNTED.search(clause) and R.POSITIVE_COUNT.search(clause) and not is_question_voice(clause):
                self.add_use(s, techs, "yes", "count_of_own_use", True)
            elif R.TRAINED_USERS.search(clause) and not is_question_voice(clause):
                self.add_use(s, techs, "yes", "trained_users", True)
            elif R.NATIONAL_FACILITY_USE.search(clause):
                self.add_use(s, techs, "yes", "national_facility_use", True)
            elif R.AFFIRM_PASSIVE.search(clause) and R.OWN_CIRCUMSTANCES.search(clause) \
                    and not R.GENERAL_SCOPE.search(text) and not is_question_voice(clause):
                # Inferred: the force's reply, its circumstances, no other agent (below the threshold).
                self.add_use(s, techs, "yes", "passive_use_own_circumstances", True)
            elif R.OWN_DEPLOYMENTS.search(clause) or R.OWN_SYSTEM.search(clause) or (
                    R.OWN_USE_OF.search(clause) and not R.INFORMATION_ABOUT.search(clause)):
                self.add_use(s, techs, "yes", "implicit_own_use", True)

    def general_affirmation(self, s: Sentence, clause: str, first: bool):
        """"The force uses facial recognition ..." without naming the kind: the kind comes from what
        it is used on (stored images: retrospective; events, cameras: live), else it is unclear."""
        scope = self.scope(s, clause)
        if not scope or R.NEGATION.search(clause) or not (R.AFFIRM_ACTIVE.search(clause) or (
                R.AFFIRM_PASSIVE.search(clause) and R.OWN_AGENT.search(clause))):
            return
        for family in sorted(scope[0]):
            kind = kind_from_context(family, clause, "affirmations")
            if kind:
                self.add_use(s, {kind}, "yes", f"affirmed_use_{context_name(kind)}_context", True)
            else:
                self.add_use(s, {family}, "unclear", "affirmed_yes_generic", False)

    def planned(self, s: Sentence, text: str, q: Question | None):
        about = mentions_technology(text) or ANAPHORA.search(text) or (q and any(k == "planned" for _, k in q.topics))
        if not about or combined(text) or (narrowed(text, families_named(text) or self.families) and not technologies_in(text)):
            return  # "no plans for body-worn cameras with facial recognition" is about those cameras
        if R.PLAN_NEGATIVE.search(text):
            answer, rule = "no", "no_plans"
        elif R.PLAN_POSITIVE.search(text) and not R.NEGATION.search(text) and not R.HYPOTHETICAL.search(text):
            answer, rule = "yes", "plans_to"
        else:
            return
        for family in self.families_for(text, q, "planned"):
            self.add(s, family, "planned", answer, rule)

    def not_held(self, s: Sentence, text: str, q: Question | None):
        if not R.NOT_HELD.search(text) or CONDITIONAL.search(text):
            return
        docs = governance_in(text)
        if docs:
            for doc in docs:
                for family in self.families_for(text, q, doc):
                    self.add(s, family, doc, "not_held", "document_not_held_named")
            return
        scope = self.scope(s, text)
        if scope:
            self.add_use(s, scope[0], "not_held", "not_held", scope[1])
            return
        referenced = self.referenced(text)
        if referenced:
            for tech, kind in {t for r in referenced for t in r.topics}:
                if kind == "use":
                    self.add_use(s, {tech}, "not_held", "referenced_not_held", not is_family(tech))
                elif kind in DOCUMENTS:
                    self.add(s, tech, kind, "not_held", "referenced_document_not_held")
            return
        if q and q.number:
            # Under a numbered question, "No information held" answers that question only.
            for tech, kind in q.topics:
                if kind == "use":
                    self.add_use(s, {tech}, "not_held", "numbered_not_held", not is_family(tech))
                elif kind in DOCUMENTS:
                    self.add(s, tech, kind, "not_held", "numbered_document_not_held")
            return
        if R.GENERIC_INFORMATION.search(text):
            # "The information you have requested is not held": it answers what was asked.
            self.add_use(s, self.asked_use, "not_held", "request_not_held", False)
            for family, doc in self.asked_documents:
                self.add(s, family, doc, "not_held", "request_document_not_held")

    def withheld(self, s: Sentence, text: str):
        # A refusal on cost (s12) or as vexatious (s14) does not say the answer is held and withheld,
        # and s21 says it is published elsewhere: none of them withholds it.
        refusals = {section for section, *_ in citations(text)} - {"s12", "s14", "s21"}
        if R.NCND.search(text) or not R.WITHHELD.search(text) or not refusals:
            return
        if governance_in(text):
            return  # handled as a document answer
        scope = self.scope(s, text)
        if scope and USE_OR_DEPLOY.search(text):
            self.add_use(s, scope[0], "withheld", "use_withheld", scope[1])
        elif scope and scope[1] and R.DETAIL_OF_USE.search(text) and not R.NEGATION.search(text):
            # Withholding the range of its LFR cameras or its watchlist's make-up presupposes use.
            self.add_use(s, scope[0], "yes", "implicit_withheld_detail", True)

    def governance(self, s: Sentence, text: str, q: Question | None):
        docs = set(governance_in(text))
        if "policy" in docs and not mentions_technology(text) and not (q and any(k == "policy" for _, k in q.topics)):
            docs.discard("policy")
        if (narrowed(text, self.families) and not mentions_technology(text)) or combined(text):
            return  # a DPIA for body-worn video says nothing about facial recognition
        aligned = False
        if not docs and not governance_in(text) and q is not None and (s.para_start or self.just_asked) \
                and not mentions_technology(text):
            # "3. Please find attached." under "3. Please provide your DPIA."
            docs = {kind for _, kind in q.topics if kind in DOCUMENTS}
            aligned = True
        if not docs:
            return
        named_none = any(NAMED_NONE[d].search(text) for d in docs)
        if R.NOT_HELD.search(text) or R.DOC_NOT_EXIST.search(text) or DOC_NOT_HELD.search(text) or named_none:
            answer, rule = "not_held", "document_not_held"
        elif R.DOC_PROVIDED.search(text) and not R.FUTURE_PUBLICATION.search(text) and not NOT_PROVIDED.search(text):
            answer, rule = "provided", "document_provided"
        elif R.WITHHELD.search(text) or (R.FUTURE_PUBLICATION.search(text) and citations(text)):
            answer, rule = "withheld", "document_withheld"
        elif (R.DOC_EXISTS.search(text) or R.DOC_IN_PROGRESS.search(text)) and not R.NEGATION.search(text):
            answer, rule = "exists", "document_exists"
        else:
            return
        if is_question_voice(text) or (answer == "not_held" and CONDITIONAL.search(text)):
            return
        for doc in docs:
            for family in self.families_for(text, q, doc):
                if aligned:
                    self.add(s, family, doc, answer, f"aligned_{rule}")
                else:
                    self.add(s, family, doc, answer, rule)

    def held_unclear(self, s: Sentence, text: str):
        """"The information you requested is held" when the request's wording presupposes use: it
        implies something without saying yes (corpus rule 4's unclear)."""
        if R.HELD_CONFIRMED.search(text) and not R.NEGATION.search(text) and not R.HYPOTHETICAL.search(text) \
                and self.presupposed_use:
            self.add_use(s, self.presupposed_use, "unclear", "held_without_answer", False)

    def supplier_mentions(self, s: Sentence, text: str, q: Question | None):
        """Suppliers named in the force's words, clause by clause, unless denied or hypothetical
        ("we use NeoFace Retrospective; no other supplier is used" names NEC)."""
        if R.HYPOTHETICAL.search(text) or not S.find(text):
            return
        for clause in clauses(text):
            hits = S.find(clause)
            if not hits or R.NEGATION.search(clause):
                continue
            for term, a, b in hits:
                if not USAGE_CONTEXT.search(clause[:a] + " " + clause[b:]):
                    continue
                tech = S.technology_of(term) or next(iter(sorted(technologies_in(clause))), None)
                self.out.suppliers.append(SupplierMention(
                    term.supplier_id, term.product, tech, s.document_id, s.quote, s.start, s.end, "supplier_named"))
                product_tech = S.technology_of(term)
                if product_tech and (R.AFFIRM_ACTIVE.search(clause) or R.AFFIRM_PASSIVE.search(clause) or re.search(
                        r"\b(?:supplied|provided|licensed)\s+by\b|\bsystem\b|\bsoftware\b", clause, re.I)):
                    self.add(s, product_tech, "use", "yes", "supplier_product_use")

    def exemptions(self, s: Sentence):
        found = citations(s.flat)
        if not found:
            return
        first = found[0][2]
        if MAYBE_CITED.search(s.flat[max(0, first - 60):first]) and not APPLIED.search(s.flat):
            return  # "we may need to apply exemptions such as section 40": not a citation
        # A bare citation line ("Section 24(2) National Security") belongs to the NCND just before it.
        context = s.flat if len(s.flat) > 120 else s.flat + " " + self.previous_text
        for section, subsection, a, b in found:
            self.out.exemptions.append(Exemption(
                section, subsection, is_ncnd(subsection, s.flat) or bool(NCND_CONTEXT.search(context)),
                s.document_id, s.quote, s.start, s.end))

    previous_text = ""


WILL = gated(r"\bwill\b", re.I)
USE_OR_DEPLOY = gated(r"\buse\b|\bdeploy", re.I)
# "No DPIA", "no such policy": the document named is said not to exist.
NAMED_NONE = {doc: gated(r"\bno\s+(?:\w+\s+){0,2}(?:" + pattern.pattern + ")", re.I) for doc, pattern in GOVERNANCE.items()}
NOT_PROVIDED = gated(r"\bnot\s+(?:be\s+|being\s+|been\s+)?(?:provided|disclosed|released|published|attached|enclosed|supplied"
                     r"|available)\b", re.I)


# Words that make a supplier's name a statement of use ("supplied by", "through the PND", "our
# NeoFace system"), not a mention ("the Home Office is responsible for the PND").
USAGE_CONTEXT = gated(r"\b(?:use[sd]?|using|utili[sz]\w+|deploy\w*|via|through|supplied|provided\s+by|provider|supplier|contract\w*"
                      r"|licen[cs]\w*|system|software|access|search\w*|submit\w*|operat\w*|purchas\w*|procur\w*|run\s+by)\b", re.I)
MAYBE_CITED = gated(r"\b(?:may|might|could|possibl\w*|potential\w*|if)\b", re.I)
APPLIED = gated(r"\bappl(?:y|ies|ied)\b|\brel(?:y|ies|ied|ying)\b|\bengaged\b|\bexempt\b|\bwithh\w+|\brefus\w+"
                r"|\bexemptions?\s*[-–:]", re.I)
BARE_YES_NO = re.compile(r"^(?:yes|no|none)\s*(?:[.,;:!–—-]|$)", re.I)
# "If the information is not held we will tell you": a procedure, not an answer.
CONDITIONAL = gated(r"\bif\b|\bin\s+the\s+event\b|\bunless\b|\bshould\s+(?:the|any|it|we|this)\b|\bwhere\s+(?:the|any)\s+information\b", re.I)
DOC_NOT_HELD = gated(r"\b(?:do|does|did)\s+not\s+(?:currently\s+)?(?:have|hold|possess|keep)\b", re.I)


# Clauses are read separately so that "we do not use LFR, but we do use RFR" gives two answers.
CLAUSE_SPLIT = gated(r";|\s[–—]\s|\s-\s|,?\s+(?=(?:but|however|whereas|although|though|whilst|while)\b)"
                     r"|,\s+(?=and\s+(?:we|the\s+force|it|this\s+force)\b)", re.I)
LEADING_CLAUSE = re.compile(r"^(?:whilst|while|although|though|whereas|as)\b[^,]{5,}?,", re.I)
# A later clause whose subject is the earlier one's: "..., but does use RFR".
CLAUSE_VERB = re.compile(r"^\W*(?:but|however|and)?\s*,?\s*(?:it|we|they)?\s*(?:do|does|did|has|have)?\s*(?:\w+ly\s+)?"
                         r"(?:uses?|used|deploys?|deployed|utili[sz]es|utili[sz]ed|operates?|operated|conducts?|conducted"
                         r"|(?:have|has)\s+access\s+to|access\s+to)\b", re.I)


@per_request
def clauses(text: str) -> tuple[str, ...]:
    parts = []
    m = LEADING_CLAUSE.match(text)
    if m:
        parts.append(text[:m.end()])
        text = text[m.end():]
    parts += [p for p in CLAUSE_SPLIT.split(text) if p and p.strip()]
    return tuple(parts)


def COVERT_ONLY(text: str) -> bool:
    """A denial limited to covert use says nothing about overt use."""
    return bool(R.COVERT.search(text)) and not R.OVERT.search(text)


# --- 4. resolution ---------------------------------------------------------------------------

def resolve(candidates: list[Candidate]) -> list[Finding]:
    by_key: dict[tuple[str, str], list[Candidate]] = {}
    for c in candidates:
        by_key.setdefault((c.finding.technology, c.finding.question), []).append(c)
    chosen = []
    for key in sorted(by_key):
        group = by_key[key]
        best = max(group, key=lambda c: (STRENGTH.get(c.finding.answer, 0), c.specific, c.finding.confidence))
        finding = best.finding
        # A statement naming the kind settles a general one ("we use RFR via PND; we do not use
        # any other facial recognition"), so only answers as specific as the winner conflict.
        answers = {c.finding.answer for c in group if c.specific or not best.specific}
        if {"yes", "no"} <= answers or {"provided", "not_held"} <= answers:
            # Two confident answers disagree: keep the stronger but send it to review.
            finding = Finding(**{**finding.__dict__, "confidence": min(finding.confidence, 0.5),
                                 "rule": finding.rule + "+conflict"})
        chosen.append(finding)
    return chosen


def _dedupe_suppliers(mentions: list[SupplierMention]) -> list[SupplierMention]:
    seen, kept = set(), []
    for m in mentions:
        key = (m.supplier_id, m.product)
        if key not in seen:
            seen.add(key)
            kept.append(m)
    # A bare supplier mention is redundant when the same supplier is named with a product.
    with_product = {m.supplier_id for m in kept if m.product}
    return [m for m in kept if m.product or m.supplier_id not in with_product]


def _dedupe_exemptions(found: list[Exemption]) -> list[Exemption]:
    best: dict[str, Exemption] = {}
    order = []
    for e in found:
        current = best.get(e.section)
        if current is None:
            order.append(e.section)
            best[e.section] = e
        elif (e.subsection != e.section and current.subsection == current.section) or (e.ncnd and not current.ncnd):
            best[e.section] = e if (e.subsection != e.section or current.subsection == current.section) else \
                Exemption(**{**current.__dict__, "ncnd": True})
    result = [best[s] for s in order]
    # Keep other sub-sections of the same section too (s40(2) and s40(5) are different citations).
    extra = [e for e in found if e.subsection != best[e.section].subsection and e.subsection != e.section]
    seen = {(e.subsection, e.ncnd) for e in result}
    for e in extra:
        if (e.subsection, e.ncnd) not in seen:
            seen.add((e.subsection, e.ncnd))
            result.append(e)
    return result


def read_request(documents: list[Document]) -> RequestAnswers:
    """The answers a request's documents give, each with its evidence."""
    reader = _read(documents)
    findings = resolve(reader.out.candidates)
    covered = tuple(f"{f.technology}/{f.question}" for f in findings if f.answer == "ncnd")
    exemptions = [replace(e, covers=covered) if e.ncnd else e for e in _dedupe_exemptions(reader.out.exemptions)]
    return RequestAnswers(findings=findings, suppliers=_dedupe_suppliers(reader.out.suppliers), exemptions=exemptions)


def candidate_findings(documents: list[Document]) -> list[Finding]:
    """Every finding a rule proposed, before resolution keeps one per technology and question: what
    the rule table's examples (tests/test_rule_table.py) are checked against."""
    return [c.finding for c in _read(documents).out.candidates]


def _read(documents: list[Document]) -> Reader:
    gate.clear_caches()  # the per_request caches of the previous request
    voiced = [(doc, assign_voices(doc)) for doc in documents]
    all_sentences = [s for _, sentences in voiced for s in sentences]
    numbered, questions = collect_questions(all_sentences)
    own = dominant_force([s.flat for s in all_sentences if s.voice in ("force", "boilerplate")])
    families = request_families(questions, all_sentences)
    reader = Reader(numbered, questions, own, families)
    for doc, sentences in voiced:
        if doc.author_role not in ("force", "page"):
            continue
        reader.current = None
        recent: list[str] = []
        previous: Sentence | None = None
        request_run = 0                  # request sentences in a row just before this one
        for s in sentences:
            if s.voice == "request":
                # A question repeated in the reply: the answers that follow belong to it.
                asked = numbered.get(s.marker) if s.marker else None
                if asked is None and (s.marker or is_question_voice(s.body)) and question_topics(s.body):
                    asked = settle_topics(make_question(s.marker, s.body), families)
                if asked is not None:
                    reader.current = asked
                previous = s
                request_run += 1
                continue
            if s.voice != "force":
                continue
            heading = RESPONSE_HEADING.match(s.flat) and not any(p.match(s.answer_body) for _, p in R.TERSE)
            if request_run >= 3 or heading:
                # The reply starts after the whole request was quoted: the last question listed is
                # not the one the next sentence answers.
                reader.current = None
            reader.just_asked = previous is not None and previous.voice == "request" and reader.current is not None
            request_run = 0
            if s.marker:
                known = s.marker in numbered or re.sub(r"[a-z]$", "", s.marker) in numbered
                reader.current = reader.aligned(s) if known else None
            reader.previous_text = " ".join(recent[-2:]) if recent and len(recent[-1]) < 120 else " ".join(recent[-1:])
            reader.read(s)
            recent.append(s.flat)
            previous = s
    if any(c.finding.rule.endswith("yes_generic") for c in reader.out.candidates):
        # "Yes" to "do you use facial recognition?": the kinds the force goes on to name are the yes,
        # and then the general yes says nothing about the others.
        for tech, s in reader.mentioned.items():
            reader.add(s, tech, "use", "yes", "generic_yes_named_kind")
        if any(c.finding.answer == "yes" and c.specific for c in reader.out.candidates):
            reader.out.candidates = [c for c in reader.out.candidates if not c.finding.rule.endswith("yes_generic")]
    return reader
