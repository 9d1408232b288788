"""Layout perturbations (transform/perturb.py) keep the words, and the reader never invents or flips
an answer because of them: every golden fixture, rewrapped, CRLF'd, cut by page breaks, hyphenated,
renumbered or behind Welsh furniture, gives no answer its expected file does not have."""

import json

import pytest

from tests.test_answers_helpers import FIXTURES, parse_fixture, summarise
from transform.answers import Document, read_request
from transform.perturb import PERTURBATIONS

TEXT = ("Dear Requester,\n\n1. Does the force use live facial recognition?\n2) Has the force got a DPIA?\n\n"
        "The Constabulary does not use live facial recognition and has\nnever trialled it.\n\nYours sincerely\n")
FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def words(text: str) -> list[str]:
    """The words of a text, hyphenation, numbering punctuation and furniture aside."""
    joined = text.replace("-\r\n", "").replace("-\n", "")
    return [w.strip("().:/Q") for w in joined.split() if w.strip("().:/Q")]


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_a_perturbation_changes_the_layout_and_keeps_the_words(name):
    perturbed = PERTURBATIONS[name](TEXT)
    assert perturbed != TEXT
    kept = words(perturbed)
    assert all(w in kept for w in words(TEXT)), name


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_no_perturbation_invents_or_flips_an_answer(name):
    documents = parse_fixture((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))["findings"]
    for perturbation, perturb in PERTURBATIONS.items():
        got = summarise(read_request([Document(d.document_id, d.kind, d.author_role, perturb(d.text))
                                      for d in documents]))["findings"]
        invented = {key: answer for key, answer in got.items()
                    if answer == "yes" and expected.get(key) != "yes"
                    or key in expected and answer != expected[key]}
        assert not invented, (perturbation, invented)
