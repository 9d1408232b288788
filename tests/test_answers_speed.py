"""The shortcuts that make answer reading fast must never change what it reads.

No timings here (speed is measured by benchmarks): these tests check that keyword gates only skip
patterns that could not match, and that the rewritten patterns find what the plain ones find.
"""

import re
from pathlib import Path

import pytest

from transform.answers import reader, rules, segment, suppliers, vocab
from transform.answers.gate import Gated, clear_caches, folded, gated, keywords
from transform.answers.segment import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "answers"


def _texts() -> list[str]:
    """Sentences, clauses and lines of the golden fixtures, as the reader sees them, and variants
    in other cases and with the non-ASCII letters that re.IGNORECASE equates with ASCII ones."""
    texts = set()
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts.update(text.splitlines())
        for s in split_sentences(text, "d"):
            texts.update([s.quote, s.flat, s.body, s.answer_body, *reader.clauses(s.body)])
    variants = set()
    for t in texts:
        variants.update([t.upper(), t.swapcase(), t.replace("i", "\u0130").replace("s", "\u017f").replace("k", "\u212a")])
    return sorted(texts | variants)


TEXTS = _texts()


def _gated_patterns():
    found = {}
    for module in (vocab, rules, reader, segment):
        for name, value in vars(module).items():
            values = value.items() if isinstance(value, dict) else [(None, value)]
            for key, pattern in values:
                if isinstance(pattern, Gated):
                    found[f"{module.__name__}.{name}" + (f"[{key}]" if key else "")] = pattern
    return found


@pytest.mark.parametrize("name,pattern", sorted(_gated_patterns().items()))
def test_gate_gives_the_plain_pattern_results(name, pattern):
    clear_caches()
    for text in TEXTS:
        plain = pattern.compiled.search(text)
        got = pattern.search(text)
        assert (plain and plain.span()) == (got and got.span()), text
        assert [m.span() for m in pattern.compiled.finditer(text)] == [m.span() for m in pattern.finditer(text)], text
        assert bool(pattern.compiled.match(text)) == bool(pattern.match(text)), text


def test_keywords_come_from_the_pattern():
    assert keywords(r"\bneither\s+confirm") == (frozenset({"neither", "confirm"}),)
    assert set(keywords(r"\bLFR\b|\blive\s+(?:facial|face)", re.I)) == {
        frozenset({"lfr"}), frozenset({"live", "facial"}), frozenset({"live", "face"})}
    assert keywords(r"utili[sz]ed") == (frozenset({"utilised"}), frozenset({"utilized"}))
    assert keywords(r"\d+\s*/\s*\d+") == (frozenset({"/"}),)
    assert keywords(r"\d+") is None
    assert keywords(r"(?:page)?\s+\d") is None      # an optional word is not required


def test_gate_sees_letters_that_ignorecase_folds_to_ascii():
    for text in ("D\u0130PA", "polic\u0130es", "u\u017fed", "\u212aent"):
        low = folded(text)
        assert low.isascii()
    pattern = gated(r"\bpolicies\b", re.I)
    assert pattern.search("POLIC\u0130ES") and pattern.search("polic\u0131es")
    assert gated(r"\bused\b", re.I).search("u\u017fed")


def test_gate_of_many_alternatives_keeps_their_order():
    pattern = gated(r"alpha beta|beta|gamma delta|delta|epsilon", re.I)
    for text in ("alpha beta", "x beta delta", "gamma delta beta", "epsilon", "none here"):
        plain = pattern.compiled.search(text)
        got = pattern.search(text)
        assert (plain and (plain.span(), plain.group())) == (got and (got.span(), got.group()))


def test_supplier_words_gate():
    for text in TEXTS:
        words = suppliers._words(text)
        for term in suppliers.terms():
            if term.pattern.search(text):
                assert term.words <= words, (term, text)


def test_sentence_split_patterns_match_their_plain_forms():
    split = re.compile(r"(?<=[.?!])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9])")
    inline = re.compile(r"(?<![Ss]ection)(?<![Pp]aragraph)(?<![Pp]age)(?<![Pp]oint)(?<![Pp]art)(?<![Nn]o)(?<![Nn]umber)"
                        r"(?<=[A-Za-z0-9?):])\s+(?=(?:Q\s?\d{1,2}\b|Question\s+\d{1,2}\b|\d{1,2}[.)]\s+[A-Z\"“]))")
    for text in TEXTS + ["Yes.  2. No", "See section 2. A", "No 3. B", "x? Q3 Does", "end.\u201d Next"]:
        assert [m.span() for m in split.finditer(text)] == [m.span("gap") for m in segment.SPLIT.finditer(text)], text
        assert [m.span() for m in inline.finditer(text)] == [m.span() for m in segment.INLINE_ITEM.finditer(text)], text
