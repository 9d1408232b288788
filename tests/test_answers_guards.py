"""One test per guard and resolution step of transform/answers/README.md that no other test
held: each fails when its guard is removed (`make mutate`, tests/mutations.toml). Texts are
written for the test."""
from __future__ import annotations

import pytest

from transform.answers.model import Finding
from transform.answers.reader import Candidate, resolve

from tests.test_answers_rules import answers_of, force, page, requester


# Sentences of a force's document that must give no answer ----------------------------------

@pytest.mark.parametrize("text", [
    # The requester's voice never counts: a question without a question word (only its "?" says so),
    "Also, the force has deployed live facial recognition at concerts?",
    # requester openers,
    "I understand the force has deployed live facial recognition at concerts.",
    "Please provide the dates on which the force deployed live facial recognition at concerts.",
    # "your force" anywhere in the sentence (a requester's statement quoted on a page).
    "We note that your force does not use live facial recognition.",
    # A denial narrowed to body-worn cameras, retail use, or another thing named with the technology.
    "The force does not use facial recognition on body worn cameras.",
    "We have not used facial recognition to help retailers.",
    "The force does not use facial recognition servers.",
    # A covert-only denial says nothing about overt use (not a blanket "no").
    "The force does not use facial recognition covertly.",
    # Procedures.
    "We will tell you if no information is held about live facial recognition.",
    "We will say so in our reply if no facial recognition DPIA is held.",
])
def test_gives_no_answer(text):
    found, _ = answers_of(force(text))
    assert found == {}


def test_statement_about_another_force_alone_gives_nothing():
    found, _ = answers_of(page(
        "Ashdown Police response to your request.\n"
        "Brackley Police has deployed live facial recognition vans at concerts.\n"
        "Ashdown Police Freedom of Information Unit.\n"))
    assert found == {}


# Covert-only and "further information" NCNDs leave the overt answer standing ----------------

def test_reasoning_after_a_covert_ncnd_is_not_a_new_ncnd():
    found, _ = answers_of(
        requester("Does your force use facial recognition?"),
        force("The force does not use live facial recognition overtly. In respect of covert use, the force "
              "neither confirms nor denies that it holds information. The decision to neither confirm nor deny "
              "whether information is held is explained below."))
    assert found == {("lfr", "use"): "no"}


def test_ncnd_on_any_further_information_does_not_answer_use():
    found, _ = answers_of(requester("Does your force use live facial recognition?"),
                          force("The force can neither confirm nor deny whether it holds any further information "
                                "relevant to your request."))
    assert found == {}


# Numbered answers and "questions 1 and 3" --------------------------------------------------

QUESTIONS = requester("1. Does your force use live facial recognition?\n2. Does your force use retrospective "
                      "facial recognition?\n3. Please provide your DPIA.\n")


def test_numbered_no_information_held_answers_its_own_question_only():
    found, _ = answers_of(QUESTIONS, force("1. No information held.\n2. We will reply to this part next week.\n"))
    assert found == {("lfr", "use"): "not_held"}


def test_not_held_for_questions_by_number_answers_those_only():
    found, _ = answers_of(QUESTIONS, force("No information is held in relation to questions 1 and 3.\n"))
    assert found == {("lfr", "use"): "not_held", ("fr", "dpia"): "not_held"}


# Resolution: per (technology, question) the strongest answer wins -------------------------------
# On candidates made by hand, so that each step is the only thing that decides.

def candidate(answer, rule, confidence, specific=True, technology="lfr", question="use"):
    return Candidate(Finding(technology, question, answer, "reply", "quote", 0, 5, rule, confidence), specific)


def winner(*candidates):
    [finding] = resolve(list(candidates))
    return finding


@pytest.mark.parametrize("weaker, stronger", [
    # The weaker answer is the more confident one each time: only the order of answers decides.
    (candidate("ncnd", "ncnd_use", 0.9), candidate("yes", "affirmed_use", 0.6)),
    (candidate("withheld", "use_withheld", 0.9), candidate("no", "denial_specific", 0.6)),
    (candidate("not_held", "not_held", 0.9), candidate("ncnd", "ncnd_use", 0.6)),
    (candidate("not_held", "not_held", 0.9), candidate("withheld", "use_withheld", 0.6)),
    (candidate("unclear", "held_without_answer", 0.9), candidate("not_held", "not_held", 0.6)),
])
def test_stronger_answer_wins_over_a_more_confident_weaker_one(weaker, stronger):
    assert winner(weaker, stronger) == stronger.finding


def test_a_sentence_naming_the_kind_wins_over_a_general_one():
    general = candidate("ncnd", "ncnd_request", 0.85, specific=False)
    named = candidate("withheld", "use_withheld", 0.6)
    assert winner(general, named) == named.finding


def test_then_the_more_confident_answer_wins():
    less, more = candidate("ncnd", "ncnd_aligned", 0.6), candidate("withheld", "use_withheld", 0.85)
    assert winner(less, more) == more.finding
    assert winner(more, less) == more.finding


def test_a_named_kind_settles_a_general_answer_without_conflict():
    # "We use RFR through the PND; we do not use any other facial recognition."
    found = winner(candidate("no", "blanket_denial", 0.85, specific=False, technology="rfr"),
                   candidate("yes", "affirmed_use", 0.85, technology="rfr"))
    assert (found.answer, found.rule, found.confidence) == ("yes", "affirmed_use", 0.85)


@pytest.mark.parametrize("one, other", [
    (candidate("no", "denial_specific", 0.9), candidate("yes", "affirmed_use", 0.85)),
    (candidate("provided", "document_provided", 0.75, technology="fr", question="dpia"),
     candidate("not_held", "document_not_held", 0.8, technology="fr", question="dpia")),
])
def test_disagreeing_answers_keep_the_winner_marked_conflict_at_half_confidence(one, other):
    found = winner(one, other)
    assert (found.answer, found.rule, found.confidence) == (one.finding.answer, one.finding.rule + "+conflict", 0.5)


def test_a_reply_that_says_yes_and_no_goes_to_review():
    _, result = answers_of(force("The force does not use live facial recognition. The force has used live facial "
                                 "recognition at two concerts this year."))
    [finding] = result.findings
    assert finding.rule.endswith("+conflict") and finding.confidence <= 0.5
