"""The requester's own words are never the force's answer: numbered items in any numbering, and
sample answers the requester wrote to show what they want (issue 14, 3b and 3g)."""

import pytest

from tests.test_answers_helpers import read_fixture
from transform.answers import Document, read_request
from transform.answers.segment import parse_marker
from transform.overrides import REVIEW_THRESHOLD


@pytest.mark.parametrize("line, number", [
    ("2/ The names of any suppliers", "2"), ("12/ Costs", "12"), ("Q2a. How many", "2a"),
    ("(ii) Does the force", "ii"), ("iv) The total spent", "iv"), ("(3) Copies", "3"), ("1a) Which", "1a"),
])
def test_item_numbers_in_any_style_are_markers(line, number):
    assert parse_marker(line)[0] == number


@pytest.mark.parametrize("line", ["1/2/2023 was the date", "13 August 2023", "24/7 monitoring"])
def test_dates_and_fractions_are_not_markers(line):
    assert parse_marker(line)[0] is None


def test_an_item_numbered_with_a_slash_is_not_a_count_answering_the_question_before_it():
    _, answers = read_fixture("requester_items_numbered_with_slash")
    assert not [f for f in answers.findings if f.answer == "yes"]


def test_a_denial_after_the_requesters_sample_answer_is_the_forces_and_confident():
    _, answers = read_fixture("requester_sample_answer_then_unheaded_denial")
    [finding] = answers.findings
    assert (finding.technology, finding.answer) == ("lfr", "no")
    assert finding.confidence >= REVIEW_THRESHOLD and "+conflict" not in finding.rule
    assert finding.quote.startswith("Tarnbrook Constabulary does not deploy")


@pytest.mark.parametrize("lead_in", [
    "An answer could look like this:", "For example, a reply might read:", "Please answer in this format:",
    "A response should look like the following example:",
])
@pytest.mark.parametrize("sample", [
    "1. Yes\n2. 40 deployments\n", "The Constabulary uses live facial recognition at football matches.\n",
    "Yes, we have used live facial recognition 6 times.\n",
])
def test_a_sample_admission_written_by_the_requester_is_never_a_yes(lead_in, sample):
    text = ("Request\n1. Does the force use live facial recognition?\n2. How many deployments were there in 2024?\n"
            f"{lead_in}\n{sample}")
    for role in ("page", "force"):
        answers = read_request([Document("d", "page", role, text)])
        assert not [f for f in answers.findings if f.answer == "yes"], (role, answers.findings)


@pytest.mark.parametrize("text, count", [
    ("412", "412"), ("1,248 searches were made", "1,248"), ("A total of 36.", "36"), ("There were 7 deployments", "7"),
    ("2/ The names of any suppliers", None), ("3) Copies of the policy", None), ("4. The cost of the system", None),
])
def test_a_count_answer_is_a_number_not_an_item_number(text, count):
    from transform.answers import rules as R
    m = R.COUNT_ANSWER.match(text)
    assert (m.group("n") if m else None) == count
