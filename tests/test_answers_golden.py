"""Golden files: every response fixture has a reviewed expected output beside it.

A new fixture without ``<name>.expected.json`` fails, printing what the reader currently
produces so that a person can check it and save it as the expected file.
"""

from __future__ import annotations

import json

import pytest

from tests.test_answers_helpers import FIXTURES, parse_fixture, read_fixture, summarise
from transform.answers import read_request

NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def test_there_are_fixtures():
    assert len(NAMES) >= 10


def check_golden(name, folder=None):
    folder = folder or FIXTURES
    documents = parse_fixture((folder / f"{name}.txt").read_text(encoding="utf-8"))
    got = summarise(read_request(documents))
    path = folder / f"{name}.expected.json"
    if not path.exists():
        pytest.fail(f"{name}.txt has no {path.name}; review this output and save it there:\n"
                    + json.dumps(got, indent=1))
    want = json.loads(path.read_text(encoding="utf-8"))
    assert got["findings"] == want["findings"]
    assert got["suppliers"] == sorted(want["suppliers"])
    assert got["exemptions"] == sorted(want["exemptions"])


@pytest.mark.parametrize("name", NAMES)
def test_fixture_matches_its_golden_file(name):
    check_golden(name)


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_is_the_text_at_its_offsets(name):
    documents, answers = read_fixture(name)
    texts = {d.document_id: d.text for d in documents}
    roles = {d.document_id: d.author_role for d in documents}
    for item in [*answers.findings, *answers.suppliers, *answers.exemptions]:
        assert texts[item.document_id][item.start:item.end] == item.quote
        assert item.quote.strip()
        # Evidence is the force's words (or a page's), never the requester's or an annotation.
        assert roles[item.document_id] in ("force", "page")


@pytest.mark.parametrize("name", NAMES)
def test_findings_use_the_vocabulary(name):
    from schema.tables import DOCUMENT_ANSWERS, PLANNED_ANSWERS, QUESTIONS, USE_ANSWERS
    _, answers = read_fixture(name)
    keys = [(f.technology, f.question) for f in answers.findings]
    assert len(keys) == len(set(keys)), "one finding per technology and question"
    for f in answers.findings:
        assert f.question in QUESTIONS
        assert f.answer != "not_answered"
        if f.question == "use":
            assert f.technology in ("lfr", "rfr", "oifr") and f.answer in USE_ANSWERS
        else:
            assert f.technology == "fr"
            assert f.answer in (PLANNED_ANSWERS if f.question == "planned" else DOCUMENT_ANSWERS)
        assert 0 < f.confidence <= 1 and f.rule


def test_a_fixture_without_expected_file_fails(tmp_path):
    (tmp_path / "new_case.txt").write_text("=== a force response\nWe do not use facial recognition.\n")
    with pytest.raises(pytest.fail.Exception, match="no new_case.expected.json"):
        check_golden("new_case", tmp_path)
