"""One test per judgement rule (tests/../shared/corpus/README.md rules; DESIGN.md vocabulary),
on short texts written for the test."""

from __future__ import annotations

import pytest

from transform.answers import Document, read_request
from transform.answers.exemptions import citations
from transform.answers.segment import split_sentences


def force(text, doc_id="reply"):
    return Document(doc_id, "response", "force", text)


def requester(text, doc_id="request"):
    return Document(doc_id, "request", "requester", text)


def page(text, doc_id="page"):
    return Document(doc_id, "page", "page", text)


def answers_of(*documents):
    result = read_request(list(documents))
    return {(f.technology, f.question): f.answer for f in result.findings}, result


# Rule 1: only the force's own words count -------------------------------------------------

def test_request_alone_gives_nothing():
    found, result = answers_of(requester(
        "Dear Police,\nWe know you use live facial recognition from NEC. Is the DPIA withheld under section 24?\n"))
    assert found == {} and result.suppliers == [] and result.exemptions == []


def test_status_lines_and_banners_give_nothing():
    found, result = answers_of(page(
        "The request was successful.\nWe use cookies to remember your facial recognition preferences.\n"
        "Long overdue.\n"))
    assert found == {}


def test_question_repeated_in_reply_is_not_an_answer():
    found, _ = answers_of(force("1. Does the force use retrospective facial recognition?\n"
                                "We will reply to this question within 20 working days.\n"))
    assert found == {}


def test_supplier_named_only_in_question_is_not_used():
    _, result = answers_of(requester("Do you use Clearview AI or NeoFace Live?"),
                           force("The force does not hold any information about these products."))
    assert result.suppliers == []


# Rule 2: a blanket denial covers all three kinds -------------------------------------------

@pytest.mark.parametrize("text", [
    "The force does not use facial recognition technology.",
    "We have never used facial recognition.",
    "Facial recognition is not used by this force.",
    "Facial Recognition – No",
    "The Constabulary has no facial recognition capability.",
])
def test_blanket_denial(text):
    found, _ = answers_of(force(text))
    assert found == {("lfr", "use"): "no", ("rfr", "use"): "no", ("oifr", "use"): "no"}


def test_pnd_facial_search_is_retrospective_use():
    found, result = answers_of(force("Officers submit images for facial searching against the Police National "
                                     "Database, and 240 such searches were carried out last year."))
    assert found[("rfr", "use")] == "yes"
    assert {s.supplier_id for s in result.suppliers} == {"home-office-pnd"}


# Rule 3: covert NCND does not override an overt answer -------------------------------------

def test_covert_ncnd_keeps_the_overt_denial():
    found, result = answers_of(force(
        "The force does not use live facial recognition overtly. In respect of covert use, the force will "
        "neither confirm nor deny that it holds information, relying on section 24(2) and section 31(3)."))
    assert found == {("lfr", "use"): "no"}
    assert {(e.subsection, e.ncnd, e.covers) for e in result.exemptions} == {("s24(2)", True, ()), ("s31(3)", True, ())}


def test_ncnd_covering_use_is_ncnd():
    found, result = answers_of(force("The force can neither confirm nor deny whether it uses retrospective facial "
                                     "recognition technology, relying on Section 24(2)."))
    assert found == {("rfr", "use"): "ncnd"}
    assert [(e.subsection, e.covers) for e in result.exemptions] == [("s24(2)", ("rfr/use",))]


def test_ncnd_on_cost_is_not_an_answer_on_use():
    found, result = answers_of(
        requester("Does the force use live facial recognition?"),
        force("I can neither confirm nor deny that the information is held, as finding out would exceed the "
              "cost limit under section 12(2)."))
    assert found == {}
    assert [(e.section, e.ncnd) for e in result.exemptions] == [("s12", True)]


# Rule 4: implicit yes; unclear when only the request implies it -----------------------------

def test_own_deployments_imply_use():
    found, _ = answers_of(force("The cost of each of our live facial recognition deployments is not recorded "
                                "separately."))
    assert found == {("lfr", "use"): "yes"}


def test_held_information_without_an_answer_is_unclear():
    found, _ = answers_of(requester("Please send the records of your use of retrospective facial recognition."),
                          force("I can confirm that the information you requested is held by the force."))
    assert found == {("rfr", "use"): "unclear"}


# Rule 5: a narrow denial is not generalised ------------------------------------------------

@pytest.mark.parametrize("text", [
    "The force has not evaluated body worn cameras with facial recognition.",
    "The force does not use Clearview AI.",
    "We do not use facial recognition on drones.",
])
def test_narrow_denial_gives_nothing(text):
    found, _ = answers_of(force(text))
    assert found == {}


def test_denial_of_one_kind_leaves_the_others():
    found, _ = answers_of(force("We do not use live facial recognition, but we do use retrospective facial "
                                "recognition through the PND."))
    assert found == {("lfr", "use"): "no", ("rfr", "use"): "yes"}


# Rule 6: exemptions only when cited ----------------------------------------------------------

def test_exemption_needs_a_cited_section():
    _, result = answers_of(force("This would exceed the appropriate limit, so we cannot answer."))
    assert result.exemptions == []


def test_exemptions_mentioned_as_possibilities_are_not_cited():
    _, result = answers_of(force("Thank you for your request. We may need to consider exemptions, for example "
                                 "Section 40 for personal data. If the information is not held we will tell you."))
    assert result.exemptions == [] and result.findings == []


@pytest.mark.parametrize("text, expected", [
    ("Section 24(2) and 31(3) apply.", ["s24(2)", "s31(3)"]),
    ("Exemptions: s.23(5), 24(2) and 30(3)", ["s23(5)", "s24(2)", "s30(3)"]),
    ("We rely on Section 40(2) of the Freedom of Information Act.", ["s40(2)"]),
    ("Refusal notice under Section 17(5); Section 1(1)(a) duty.", []),
    ("Section 29 of the Police and Criminal Evidence Act 1984 applies.", []),
    ("S12(1) - cost", ["s12(1)"]),
    ("Sections 24(2) (national security) and 31(3) (law enforcement) apply.", ["s24(2)", "s31(3)"]),
    ("Section 24(2) National Security and 31(3) Law Enforcement", ["s24(2)", "s31(3)"]),
    ("Section 12 applies, as it would take over 18 hours and 3 staff.", ["s12"]),
])
def test_citations(text, expected):
    assert [sub for _, sub, _, _ in citations(text)] == expected


# Each answer value -------------------------------------------------------------------------

@pytest.mark.parametrize("text, key, answer", [
    ("Yes, the force uses operator initiated facial recognition on officers' phones.", ("oifr", "use"), "yes"),
    ("The force does not currently deploy live facial recognition.", ("lfr", "use"), "no"),
    ("We neither confirm nor deny whether we use live facial recognition.", ("lfr", "use"), "ncnd"),
    ("The force holds information on its use of live facial recognition, but it is exempt from disclosure "
     "under section 31(1).", ("lfr", "use"), "withheld"),
    ("No information is held about live facial recognition.", ("lfr", "use"), "not_held"),
    ("There are no plans to introduce facial recognition.", ("fr", "planned"), "no"),
    ("The force intends to introduce live facial recognition next year.", ("fr", "planned"), "yes"),
    ("A copy of our facial recognition DPIA is attached.", ("fr", "dpia"), "provided"),
    ("The DPIA is withheld under section 31(1)(a).", ("fr", "dpia"), "withheld"),
    ("No DPIA has been carried out.", ("fr", "dpia"), "not_held"),
    ("A DPIA has been completed for the retrospective facial recognition service.", ("fr", "dpia"), "exists"),
    ("The equality impact assessment for live facial recognition is published at https://example.org/eia.",
     ("fr", "eia"), "provided"),
    ("The standard operating procedure for facial recognition is attached.", ("fr", "sop"), "provided"),
])
def test_answer_values(text, key, answer):
    found, _ = answers_of(requester("My request is about facial recognition."), force(text))
    assert found.get(key) == answer


def test_numbered_answers_align_with_numbered_questions():
    found, _ = answers_of(
        requester("1. Does the force use live facial recognition?\n2. Does the force use retrospective facial "
                  "recognition?\n3. Does the force plan to use operator initiated facial recognition?\n"),
        force("1. No\n2. Yes\n3. No\n"))
    assert found == {("lfr", "use"): "no", ("rfr", "use"): "yes", ("fr", "planned"): "no"}


def test_generic_yes_is_unclear_until_a_kind_is_named():
    """A general yes is unclear for each kind; once the force names the kind, that kind is yes."""
    found, _ = answers_of(requester("Q1 Does the force use facial recognition?"), force("Q1 Yes."))
    assert found == {("lfr", "use"): "unclear", ("rfr", "use"): "unclear", ("oifr", "use"): "unclear"}
    found, _ = answers_of(requester("Q1 Does the force use facial recognition?\nQ2 Which kind?"),
                          force("Q1 Yes.\nQ2 Retrospective facial recognition through the PND."))
    assert found == {("rfr", "use"): "yes"}  # the general yes is explained by the kind named


def test_statement_about_another_force_is_skipped():
    found, _ = answers_of(page(
        "Provision of information held by Ashdown Police.\nYou asked about vans.\n"
        "Brackley Police has deployed live facial recognition vans.\n"
        "Ashdown Police has not deployed live facial recognition.\n"))
    assert found == {("lfr", "use"): "no"}


# Offsets -------------------------------------------------------------------------------------

def test_sentences_keep_exact_offsets_over_wrapped_lines():
    text = ("Dear Sir,\r\n\r\nThe force has used live facial recognition on four occasions since\r\n"
            "2022 and the DPIA is attached.\r\n1. Yes\r\n")
    for s in split_sentences(text, "d"):
        assert text[s.start:s.end] == s.quote
    quotes = [s.flat for s in split_sentences(text, "d")]
    assert ("The force has used live facial recognition on four occasions since 2022 and the DPIA is attached."
            in quotes)


def test_quote_is_the_sentence_in_the_document():
    text = "Thank you.\nThe force does not use facial recognition. Regards."
    _, result = answers_of(force(text))
    f = result.findings[0]
    assert text[f.start:f.end] == f.quote == "The force does not use facial recognition."


# Phrasing variants ---------------------------------------------------------------------------

def test_system_used_by_the_force_is_use():
    found, result = answers_of(force("The live facial recognition software used by Westshire Police is NeoFace "
                                     "Live."))
    assert found == {("lfr", "use"): "yes"}
    assert [(s.supplier_id, s.product, s.technology) for s in result.suppliers] == [("nec", "NeoFace Live", "lfr")]


def test_document_answers_align_with_numbered_requests():
    found, _ = answers_of(
        requester("1. Please provide your DPIA for facial recognition.\n2. Please provide your SOP.\n"),
        force("1. Please find attached.\n2. This is withheld under Section 31(1)(a).\n"))
    assert found == {("fr", "dpia"): "provided", ("fr", "sop"): "withheld"}


def test_statement_about_something_else_named_with_the_technology_is_not_about_use():
    found, _ = answers_of(requester("Please provide the electricity used by servers for facial recognition."),
                          force("The force does not run its own facial recognition servers. The information is not held."))
    assert found == {}


def test_answers_addressed_to_question_numbers():
    found, _ = answers_of(
        requester("1. Does your force use live facial recognition?\n2. Does your force use retrospective facial "
                  "recognition?\n3. Please provide your DPIA.\n"),
        force("No information is held in relation to questions 1 and 3.\n"
              "The force neither confirms nor denies whether it holds information relevant to question 2, relying "
              "on section 31(3).\n"))
    assert found == {("lfr", "use"): "not_held", ("fr", "dpia"): "not_held", ("rfr", "use"): "ncnd"}


def test_denial_limited_to_public_events_is_about_live_use_only():
    found, _ = answers_of(force("The force has not used facial recognition at any protest or march."))
    assert found == {("lfr", "use"): "no"}
    found, _ = answers_of(force("The force does not use facial recognition of any kind, at events or elsewhere."))
    assert found == {("lfr", "use"): "no", ("rfr", "use"): "no", ("oifr", "use"): "no"}


def test_ncnd_whose_reason_mentions_covert_tactics_still_covers_use():
    found, _ = answers_of(force("The force can neither confirm nor deny whether it uses live facial recognition, "
                                "as doing so would reveal covert tactics."))
    assert found == {("lfr", "use"): "ncnd"}


def test_request_item_restated_in_the_reply_is_not_an_answer():
    found, _ = answers_of(force("1. The number of live facial recognition deployments in the last 12 months.\n"
                                "We will respond by the end of the month.\n"))
    assert found == {}


def test_bare_answer_to_the_only_question_asked():
    request = requester("Dear Police,\nDoes your force use live facial recognition?\nYours faithfully,\nA")
    found, _ = answers_of(request, force("Dear Ms A,\n\nNo, it does not.\n\nRegards"))
    assert found == {("lfr", "use"): "no"}
    found, _ = answers_of(request, force("Dear Ms A,\n\nNo fee is payable for this request.\n\nRegards"))
    assert found == {}


# One sentence, the findings it gives: phrasing variants of the rules above.
PLANNED_NO = {("fr", "planned"): "no"}
RFR_YES = {("rfr", "use"): "yes"}
PHRASINGS = [
    ("The force has no plans to use facial recognition technology.", PLANNED_NO),
    ("The force does not currently have any plans to use live facial recognition.", PLANNED_NO),
    ("We have no intention of using live facial recognition.", PLANNED_NO),
    ("The force uses retrospective facial recognition through the PND facial search facility.", RFR_YES),
    ("THE FORCE USES RETROSPECTIVE FACIAL RECOGNITION.", RFR_YES),
    ("Westshire Police uses retrospective facial recognition.", RFR_YES),
    ("We do not use live facial recognition, and if this changes we will publish a DPIA.", {("lfr", "use"): "no"}),
    ("Confirming that the force does not use live facial recognition would show offenders where to go.", {}),
    ("To confirm or deny whether the force does or does not use facial recognition would reveal tactics.", {}),
]


@pytest.mark.parametrize("text, expected", PHRASINGS)
def test_phrasings(text, expected):
    found, _ = answers_of(force(text))
    assert found == expected


def test_request_quoted_in_a_force_letter_is_not_the_answer():
    letter = ("Dear Mr X,\n\nI write about your request received on 2 May, in which you sought the following "
              "information:\n\nWestshire Police has used live facial recognition at concerts. Please confirm "
              "how many times.\n\nSearches were conducted within Westshire Police. I can confirm that Westshire "
              "Police has not used live facial recognition.\n")
    found, result = answers_of(force(letter))
    assert found == {("lfr", "use"): "no"}
    assert result.findings[0].quote.startswith("I can confirm")
