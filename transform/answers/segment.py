"""Cut a document's text into sentences (with offsets) and tell whose words each one is.

Texts come from web pages, e-mails and PDF/OCR extraction, so a sentence may be broken over
several lines and a list item may have no full stop. We rebuild paragraphs from lines first,
then split paragraphs into sentences, keeping character offsets into the original text so that
``text[start:end]`` is always the quote we publish.

Each sentence then gets a voice:
- ``force``: the force's own words, which may yield findings;
- ``request``: the requester's words (the request, questions repeated before answers, quoted
  articles), which never yield findings but tell us what was asked;
- ``boilerplate``: site banners, WhatDoTheyKnow status lines, standard FOI preambles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gate import gated

# A list marker at the start of a line: "1.", "2)", "(3)", "1a)", "3/", "a)", "(ii)", "iv.", "Q1",
# "Q2a.", "Question 2", "Response 1:", "Answer 3 -", "Point 4". Bare numbers need punctuation so
# that "13 August" is not read as item 13, and "1/2/2023" is a date, not item 1.
MARKER = re.compile(
    r"""^[\s?•\-–*·]*(?:
        (?P<word>Q|Qu|Question|Questions|Response|Answer|Reply|Point|Points|Part)\s*(?:to\s*(?:Q|Question)?\s*)?
            (?P<wnum>\d{1,2})(?P<wsub>[a-z])?(?:\s*(?:&|and|-|–|,)\s*(?:Q\s*)?\d{1,2}[a-z]?)*\s*[.):\-–]?
      | (?-i:A)(?P<anum>\d{1,2})\b[.):\-–]?
      | \(?(?P<num>\d{1,2})(?P<sub>[a-z])?(?:[.):]|/(?!\s*\d))(?!\d)
      | \(?(?P<roman>(?-i:i{2,3}|iv|vi{0,3}|ix|xi{0,3}))[.)]
      | \((?P<lpar>(?-i:[a-z]))\)
      | (?P<let>(?-i:[a-z]))[.)]
    )\s*""",
    re.VERBOSE | re.IGNORECASE,
)
ANSWER_LABEL = re.compile(r"^(?:answer|response|reply|force\s+response|a)\s*\d{0,2}[a-z]?\s*[:\-–]\s*", re.IGNORECASE)
BULLET = re.compile(r"^[\s?]*[•\-–*·]\s+")

ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "no.", "nos.", "mr.", "mrs.", "ms.", "dr.", "st.", "vs.", "approx.", "ref.")


@dataclass(slots=True)  # slots: its attributes are read millions of times
class Sentence:
    document_id: str
    start: int
    end: int
    quote: str             # text[start:end]
    marker: str | None     # question number this sentence is labelled with ("1", "2b"), if any
    para_start: bool       # first sentence of its paragraph
    voice: str = "force"   # force, request, boilerplate
    heading: str | None = None
    running: frozenset = frozenset()  # the document's running page headers (see running_headers)

    # The derived texts, computed once on first use: every rule reads them. (The quote and marker
    # never change after the split; only the voice does.)
    _body: str | None = field(default=None, repr=False, compare=False)
    _answer_body: str | None = field(default=None, repr=False, compare=False)
    _flat: str | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> str:
        """The sentence with its list marker and page furniture removed and whitespace folded."""
        if self._body is None:
            text = MARKER.sub("", self.quote, count=1) if self.marker else BULLET.sub("", self.quote, count=1)
            self._body = " ".join(_without_furniture(text, self.running).split())
        return self._body

    @property
    def answer_body(self) -> str:
        """The body without an "Answer:" / "Response:" label, as in question-and-answer tables."""
        if self._answer_body is None:
            self._answer_body = ANSWER_LABEL.sub("", self.body, count=1)
        return self._answer_body

    @property
    def flat(self) -> str:
        if self._flat is None:
            self._flat = " ".join(_without_furniture(self.quote, self.running).split())
        return self._flat


def _without_furniture(text: str, running: frozenset = frozenset()) -> str:
    if "\n" not in text:
        return text
    text = "\n".join(line for line in text.split("\n") if not _is_furniture(line.strip(), running))
    return HYPHENATED.sub(_join_hyphenated, text)


# A word hyphenated at a line end, as PDF text layers give it: "recog-\nnition" reads
# "recognition"; a compound cut at its own hyphen ("operator-\ninitiated") keeps the hyphen.
HYPHENATED = re.compile(r"\b(?P<head>[A-Za-z]+)-[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*(?=[a-z])")
COMPOUND_HEADS = frozenset({"operator", "body", "non", "self", "co", "cross", "real", "third", "face", "well", "e",
                            "x", "anti", "multi", "pre", "post", "sub", "semi", "long", "short", "high", "low", "in"})


def _join_hyphenated(m: re.Match) -> str:
    return m["head"] + ("-" if m["head"].lower() in COMPOUND_HEADS else "")


def parse_marker(line: str) -> tuple[str | None, int]:
    """The question number a line starts with, and where its text begins."""
    m = MARKER.match(line)
    if not m:
        return None, 0
    if m.group("wnum"):
        return (m.group("wnum") + (m.group("wsub") or "")).lower(), m.end()
    if m.group("anum"):        # "A1" answers "Q1"
        return m.group("anum"), m.end()
    if m.group("num"):
        return (m.group("num") + (m.group("sub") or "")).lower(), m.end()
    if m.group("roman"):
        return m.group("roman"), m.end()
    letter = m.group("lpar") or m.group("let")
    if letter:
        # "a." alone is a sub-question letter; guard against words like "I." or "A. Smith".
        return letter.lower(), m.end()
    return None, 0


def _lines(text: str):
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.rstrip("\r\n")
        yield pos, stripped
        pos += len(raw)


def _starts_item(line: str) -> bool:
    return bool(parse_marker(line)[0]) or bool(BULLET.match(line))


# Running headers and footers of PDF pages: skipped when rebuilding paragraphs so that a sentence
# broken across a page boundary is read whole (the quote keeps them, offsets stay exact).
PAGE_FURNITURE = gated(
    r"^\s*(?:page\s+\d+\s+(?:of\s+\d+)?|\d+\s*/\s*\d+|-\s*\d+\s*-|official(?:[\s-]+sensitive)?|not\s+protectively\s+marked"
    r"|protect|restricted|unclassified)\s*$"
    r"|^.{0,80}\s{3,}(?:page\s+\d+(?:\s+of\s+\d+)?|official(?:[\s-]+sensitive)?)\s*$",
    re.IGNORECASE,
)


def _is_furniture(content: str, running: frozenset) -> bool:
    return bool(PAGE_FURNITURE.match(content)) or content in running


def running_headers(text: str) -> frozenset:
    """Lines that follow a page number or marking ("Page 2 of 3", "OFFICIAL") more than once: a
    PDF's running header ("Freedom of Information Request"), skipped like the page number so it
    neither cuts a sentence nor reads as a heading. A line seen after one page break only is kept."""
    after_break: dict[str, int] = {}
    since_furniture = None      # non-blank lines read since the last furniture line
    for _, line in _lines(text):
        content = line.strip()
        if not content:
            continue
        if PAGE_FURNITURE.match(content):
            since_furniture = 0
            continue
        if since_furniture is not None and since_furniture < 1 and len(content) <= 80:
            after_break[content] = after_break.get(content, 0) + 1
        since_furniture = None if since_furniture is None else since_furniture + 1
    return frozenset(line for line, n in after_break.items() if n >= 2)


def wrap_width(text: str) -> int | None:
    """The width a hard-wrapped text (e-mail, PDF extraction) is wrapped at, or None when lines
    are whole paragraphs (web pages). In wrapped text many lines end just short of one width."""
    lengths = sorted(len(line.strip()) for line in text.splitlines() if len(line.strip()) > 30)
    if len(lengths) < 4:
        return None
    top = lengths[int(len(lengths) * 0.9) - 1]
    near = sum(1 for n in lengths if top - 14 <= n <= top)
    return top if top <= 120 and near / len(lengths) >= 0.35 else None


def paragraphs(text: str, running: frozenset = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: lines joined when one continues the other."""
    spans: list[list[int]] = []
    prev = None
    width = wrap_width(text)
    broken = False     # the previous line was cut by a page header or footer
    for pos, line in _lines(text):
        content = line.strip()
        if not content:
            if not broken:  # blank lines inside a page break do not end the paragraph it cut
                prev = None
            continue
        if _is_furniture(content, running) and prev is not None:
            broken = broken or not prev.endswith((".", "?", "!", ":"))
            continue
        lstart = pos + (len(line) - len(line.lstrip()))
        lend = pos + len(line.rstrip())
        if prev is not None and (_continues(prev, content, width) or (broken and not _starts_item(content))):
            spans[-1][1] = lend
        else:
            spans.append([lstart, lend])
        prev = content
        broken = False
    return [(a, b) for a, b in spans]


# Words that cannot end a sentence: a line ending in one was wrapped.
WRAPPING_WORDS = (
    "and", "or", "of", "the", "a", "an", "to", "for", "in", "on", "by", "with", "from", "at", "since", "that",
    "which", "under", "our", "your", "its", "is", "are", "was", "were", "has", "have", "be", "been", "not", "as",
    "than", "this", "these", "those", "via", "through", "using", "including", "within", "without", "into", "upon",
    "about", "between", "across", "against", "per", "such", "any", "all", "no", "nor", "but", "if", "whether",
    "uses", "use", "used",
)
WRAPPING_WORD = re.compile(rf"\b(?:{'|'.join(WRAPPING_WORDS)})$", re.IGNORECASE)
# Only the end of a line is searched: as far back as the longest word, and one character more.
_WRAPPING_REACH = max(map(len, WRAPPING_WORDS)) + 1


# A line that ends with its own answer ("LFR: No", "RFR - Yes") is complete, whatever follows.
ANSWERED_LINE = re.compile(r"[:\-–|]\s*(?:yes|no|none|nil|n/a|not\s+(?:currently\s+)?(?:used|in\s+use|deployed))\.?$",
                           re.IGNORECASE)


def _continues(prev: str, line: str, width: int | None) -> bool:
    """Does ``line`` continue the sentence on ``prev`` (a PDF or e-mail line break)?"""
    if ANSWERED_LINE.search(prev):
        return False
    if _starts_item(line):
        # A dash that starts a line of wrapped text after a full-width line is the wrap falling
        # on " - ", not a bullet.
        full = width and len(prev) >= width - 16 and not prev.endswith((".", "?", "!", ":", ";"))
        return bool(full and BULLET.match(line) and not parse_marker(line)[0])
    if prev.endswith((".", "?", "!", ":", ";")) and not line[:1].islower():
        return False
    if line[:1].islower() or line[:1] in "(,&" or prev.endswith((",", "-", "–", "&")) or line[:1].isdigit():
        return True
    # A line ending in a word that cannot end a sentence was wrapped. (The words are at the very
    # end, so only the last characters need searching.)
    if WRAPPING_WORD.search(prev, max(0, len(prev) - _WRAPPING_REACH)):
        return True
    # In wrapped text a line that reaches the wrap width was cut mid-sentence; a shorter one
    # ended its paragraph (a heading, a table cell, a list item).
    if width:
        return len(prev) >= width - 16
    return False


# Where a flattened list item starts: "... Yes 2. A total", "...? Q3 Does": after a word or
# question mark, before a short number with its punctuation and a capital. Not after "section".
# (Written to start with the whitespace, so that re skips quickly from space to space, and to look
# ahead for the marker before the lookbehinds, which include that first space: most spaces are
# not followed by a marker.)
INLINE_ITEM = re.compile(
    r"\s(?=\s*(?:Q\s?\d{1,2}\b|Question\s+\d{1,2}\b|\d{1,2}[.)]\s+[A-Z\"“]))"
    r"(?<=[A-Za-z0-9?):]\s)(?<![Ss]ection\s)(?<![Pp]aragraph\s)(?<![Pp]age\s)(?<![Pp]oint\s)(?<![Pp]art\s)(?<![Nn]o\s)"
    r"(?<![Nn]umber\s)\s*")
INLINE_MARKER = re.compile(r"^(?:Q\s?\d{1,2}\b|Question\s+\d{1,2}\b|\d{1,2}[a-z]?[.)]\s+[A-Z\"“])")
ITEM_NUMBER = re.compile(r"[a-z]\.|s\.|sec\.|\d{1,2}\.|q\d{1,2}[a-z]?\.")
# A sentence ends at a full stop, question or exclamation mark followed by space and a capital or
# digit; the cut is the space (group "gap"). (Starting with the mark, rather than looking behind
# for it, lets re skip quickly from mark to mark.)
SPLIT = re.compile(r"[.?!](?P<gap>[\"”’)]?\s+)(?=[\"“(\[]?[A-Z0-9]|\((?:[ivx]{1,4}|[a-z])\)\s|(?i:[-–—:]\s*(?:yes|no)\b))")
# A lead-in that ends with a colon ("Your request read as follows:", "a reply in this format:")
# ends its sentence, so that what it introduces (the request, a requester's sample answer) is
# read in its own voice even when a PDF or a page ran the lines together.
INTRO_COLON = re.compile(r"(?:as\s+follows|the\s+following(?:\s+\w+){0,2}|(?:this|the\s+following)\s+format|like\s+this"
                         r"|for\s+example|e\.g\.)\s*:(?P<gap>\s+)(?=[\"“(\[]?[A-Za-z0-9])", re.IGNORECASE)


def split_sentences(text: str, document_id: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    running = running_headers(text)
    for pstart, pend in paragraphs(text, running):
        para = text[pstart:pend]
        cuts = [0]
        _, marker_end = parse_marker(para)
        for m in SPLIT.finditer(para):
            start = m.start("gap")
            if start < marker_end:      # "Q1. Does..." stays one sentence
                continue
            before = para[max(0, start - 30):start].split()
            last = before[-1].lower() if before else ""
            # "1. Does ..." inside flattened text: the number is the item's marker, not a sentence.
            if last in ABBREVIATIONS or ITEM_NUMBER.fullmatch(last):
                continue
            cuts.append(m.end("gap"))
        for m in INTRO_COLON.finditer(para):
            if m.start("gap") > marker_end:
                cuts.append(m.end("gap"))
        # Text flattened from a list ("1. Yes 2. A total of ...") has items without full stops.
        for m in INLINE_ITEM.finditer(para):
            if m.start() > marker_end:
                cuts.append(m.end())
        cuts = sorted(set(cuts))
        cuts.append(len(para))
        first = True
        for a, b in zip(cuts, cuts[1:]):
            chunk = para[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if not chunk:
                continue
            s = pstart + a + lead
            # A list marker counts at the start of a paragraph, or inside one when it is a
            # question number ("Q2", "Question 3") or follows a question mark or full stop.
            marker = parse_marker(chunk)[0] if first or INLINE_MARKER.match(chunk) else None
            sentences.append(Sentence(document_id, s, s + len(chunk), chunk, marker, first, running=running))
            first = False
    return sentences
