"""Phrasings of real replies that the reader once missed, each in several wordings written by the
team (issue 14, part 3). Each case is one reply with a "Response:" heading."""

import pytest

from transform.answers import Document, read_request
from transform.answers.exemptions import citations
from transform.overrides import REVIEW_THRESHOLD


def findings(reply: str) -> dict[tuple[str, str], object]:
    answers = read_request([Document("d", "message", "force", "Response:\n" + reply)])
    return {(f.technology, f.question): f for f in answers.findings}


def assert_gives(found, expected: dict) -> None:
    """The findings give the expected answers ("lfr/use": "no", ...) and no "yes" beyond them."""
    got = {f"{f.technology}/{f.question}": f.answer for f in found}
    assert {key: got.get(key) for key in expected} == expected
    assert not {key for key, answer in got.items() if answer == "yes" and key not in expected}


def answered(reply: str, answer: str) -> list:
    """The findings of ``reply`` that give ``answer``."""
    return [f for f in findings(reply).values() if f.answer == answer]


def assert_yes_for_review(reply: str, rule: str, technology: str = "lfr") -> None:
    """The reply gives ``technology`` a "yes" by ``rule``, below the review threshold: a candidate
    for a reviewer, never a force's status on its own."""
    f = findings(reply)[(technology, "use")]
    assert (f.answer, f.rule) == ("yes", rule) and f.confidence < REVIEW_THRESHOLD


def only_finding(reply: str):
    found = findings(reply)
    assert len(found) == 1, found
    return next(iter(found.values()))


@pytest.mark.parametrize("reply", [
    "In the period you asked about, more than 3,000 facial image searches were run against the Police National Database.",
    "During 2023, 41 matches were attributed to retrospective facial recognition.",
    "Officers submitted over 900 images for retrospective facial recognition searching in 2024.",
    "Some 1,150 retrospective facial recognition searches took place between April 2022 and March 2023.",
])
def test_a_count_of_searches_in_prose_is_use_of_retrospective_facial_recognition(reply):
    f = only_finding(reply)
    assert (f.technology, f.answer, f.rule) == ("rfr", "yes", "count_of_own_use")


@pytest.mark.parametrize("reply", [
    "120 officers have been trained and authorised to use the operator initiated facial recognition app.",
    "At present 35 officers are trained to use the OIFR application on their mobile devices.",
    "A total of 58 staff are authorised to use operator-initiated facial recognition on force phones.",
])
def test_officers_trained_to_use_the_app_is_use_of_operator_initiated_facial_recognition(reply):
    f = only_finding(reply)
    assert (f.technology, f.answer) == ("oifr", "yes") and f.confidence >= REVIEW_THRESHOLD


@pytest.mark.parametrize("reply", [
    "No officers are trained to use the operator initiated facial recognition app.",
    "Could you tell us how many officers are trained to use operator initiated facial recognition?",
])
def test_no_trained_officers_is_not_use(reply):
    assert not answered(reply, "yes")


@pytest.mark.parametrize("reply", [
    "The force follows the national guidance on facial image searches of the Police National Database, which it runs "
    "to identify unknown suspects.",
    "In line with the College of Policing guidance on PND facial searches, which the force carries out to identify "
    "people from still images, every result is checked by an officer.",
])
def test_describing_how_it_runs_a_national_facility_is_use(reply):
    f = findings(reply)[("rfr", "use")]
    assert f.answer == "yes"
    # Said only through the facility's guidance, the answer is given at the threshold, not above.
    assert f.rule != "national_facility_use" or f.confidence <= REVIEW_THRESHOLD


@pytest.mark.parametrize("reply", [
    "The force did not use live facial recognition at the Summer Carnival in August 2023.",
    "Live facial recognition was not deployed during Operation Hawthorn.",
    "We did not deploy live facial recognition at the match on 14 October.",
    "Facial recognition was not used at the Riverside Music Festival.",
])
def test_a_denial_limited_to_one_event_is_not_a_force_wide_no(reply):
    assert not answered(reply, "no")


@pytest.mark.parametrize("reply", [
    "The force has not used live facial recognition at any public event.",
    "The force does not use live facial recognition.",
])
def test_a_general_denial_still_stands(reply):
    assert findings(reply)[("lfr", "use")].answer == "no"


@pytest.mark.parametrize("reply", [
    "The range of the live facial recognition cameras is withheld under section 31(1)(a).",
    "The make-up of the live facial recognition watchlist is withheld under section 24(1).",
    "The names of those who authorise the live facial recognition watchlist are withheld under section 38(1).",
])
def test_withholding_details_that_exist_only_with_use_is_an_implicit_yes_below_the_threshold(reply):
    assert_yes_for_review(reply, "implicit_withheld_detail")


@pytest.mark.parametrize("reply", [
    "No information is held on the range of live facial recognition cameras.",
    "The force does not hold a live facial recognition watchlist.",
])
def test_no_information_held_on_such_details_is_not_a_yes(reply):
    assert not answered(reply, "yes")


def test_records_of_its_own_deployments_are_an_implicit_yes_below_the_threshold():
    assert_yes_for_review("Please find attached the application, authorisation and cancellation forms for our last "
                          "three live facial recognition deployments.", "implicit_own_use")


@pytest.mark.parametrize("text, cited", [
    ("Information which is not exempt by virtue of section 30 is exempt under section 31(1)(a).", ["s31(1)"]),
    ("Any information not exempt under section 23 would be exempt under section 24(2).", ["s24(2)"]),
    ("Sections 30 and 31 apply to this request.", ["s30", "s31"]),
])
def test_a_section_named_inside_the_wording_of_another_is_not_cited(text, cited):
    assert [subsection for _, subsection, *_ in citations(text)] == cited


@pytest.mark.parametrize("question", [
    "Does the force apply facial recognition to its CCTV network?",
    "Has your force applied facial recognition technology to images from CCTV?",
    "Does the force use facial recognition on its CCTV network?",
])
@pytest.mark.parametrize("numbered", [True, False])
def test_not_held_to_a_question_on_facial_recognition_applied_to_cctv_answers_the_kind_asked(question, numbered):
    text = f"Request:\n{'1. ' if numbered else ''}{question}\n\nResponse:\nThe information you have requested is not held."
    answers = read_request([Document("d", "message", "force", text)])
    assert {(f.technology, f.answer) for f in answers.findings} == {("lfr", "not_held")}


@pytest.mark.parametrize("reply", [
    "No information is held as the force has never trialled or deployed live facial recognition.",
    "The force holds no information because it has never used live facial recognition.",
])
def test_nothing_held_because_never_used_is_a_no(reply):
    assert findings(reply)[("lfr", "use")].answer == "no"


@pytest.mark.parametrize("reply, technology", [
    ("The force makes use of the PND facial search capability.", "rfr"),
    ("Officers have access to operator initiated facial recognition via their mobile devices.", "oifr"),
    ("Our officers have been using OIFR since April 2024.", "oifr"),
    ("The force went live with operator initiated facial recognition in January 2025.", "oifr"),
    ("Retrospective facial recognition is available to all investigators in the force.", "rfr"),
    ("Investigators carry out retrospective facial recognition searches every week.", "rfr"),
])
def test_admissions_of_use_in_other_wordings(reply, technology):
    f = findings(reply)[(technology, "use")]
    assert f.answer == "yes" and f.confidence >= REVIEW_THRESHOLD


@pytest.mark.parametrize("reply", [
    "LFR has been used at two football matches this season.",
    "In 2024, live facial recognition technology was utilised at 9 events across the county.",
    "Live facial recognition cameras were used in the town centre in March.",
])
def test_a_passive_statement_with_the_forces_circumstances_is_a_yes_below_the_threshold(reply):
    assert_yes_for_review(reply, "passive_use_own_circumstances")


@pytest.mark.parametrize("reply", [
    "Live facial recognition has been used by police forces in England since 2016.",
    "Live facial recognition was used nationally at 40 events in 2023.",
    "Live facial recognition has been used by other forces at football matches this season.",
    "Officers would use live facial recognition only if a Superintendent authorised it.",
    "We hold information on our use of retrospective facial recognition, which is withheld under section 31.",
])
def test_general_or_hypothetical_statements_are_not_the_forces_use(reply):
    assert not answered(reply, "yes")


def test_the_forces_use_of_a_kind_being_governed_presupposes_use():
    assert_yes_for_review("The force's use of LFR is governed by the College of Policing guidance.", "implicit_own_use")


# Each category of answer in several wordings (the team's own sentences): expected findings given,
# and no "yes" the sentence does not give.
@pytest.mark.parametrize("reply, expected", [
    # ncnd variants
    ("Kent Police can neither confirm nor deny that it holds any information relevant to your request regarding live facial recognition.", {"lfr/use":"ncnd"}),
    ("In accordance with section 24(2) and 31(3), the force will neither confirm nor deny whether it uses retrospective facial recognition.", {"rfr/use":"ncnd"}),
    ("The Constabulary neither confirms nor denies the use of operator initiated facial recognition.", {"oifr/use":"ncnd"}),
    ("We are unable to confirm or deny whether we hold information about live facial recognition.", {"lfr/use":"ncnd"}),
    # not held
    ("We do not hold any recorded information on live facial recognition.", {"lfr/use":"not_held"}),
    ("Having searched our systems, no information relating to retrospective facial recognition was located.", {"rfr/use":"not_held"}),
    ("There is no information held by the force regarding operator initiated facial recognition.", {"oifr/use":"not_held"}),
    # denials
    ("Live facial recognition is not used by Dorset Police.", {"lfr/use":"no"}),
    ("The force has no plans to introduce live facial recognition and does not currently use it.", {"lfr/use":"no","fr/planned":"no"}),
    ("Surrey Police does not currently deploy, nor has it ever deployed, live facial recognition.", {"lfr/use":"no"}),
    ("Facial recognition technology is not something the force uses.", {"lfr/use":"no","rfr/use":"no","oifr/use":"no"}),
    ("We don't use live facial recognition.", {"lfr/use":"no"}),
    ("To date, the force has not utilised LFR.", {"lfr/use":"no"}),
    ("At this time the force does not employ live facial recognition.", {"lfr/use":"no"}),
    # planned
    ("There are currently no plans to use live facial recognition.", {"fr/planned":"no"}),
    ("The force is planning to trial live facial recognition later this year.", {"fr/planned":"yes"}),
    ("The force intends to introduce operator initiated facial recognition in 2026.", {"fr/planned":"yes"}),
    ("The force has no intention of adopting facial recognition technology.", {"fr/planned":"no"}),
    # DPIA (a DPIA the reply does not tie to a technology is the one the request asks about)
    ("A copy of our Data Protection Impact Assessment for retrospective facial recognition is attached.", {"fr/dpia":"provided"}),
    ("Is there a DPIA for facial recognition?\nThe DPIA is available on our website at https://www.example.police.uk/dpia.", {"fr/dpia":"provided"}),
    ("Is there a DPIA for facial recognition?\nThe Data Protection Impact Assessment is withheld under section 31(1)(a) of the Act.", {"fr/dpia":"withheld"}),
    ("Is there a DPIA for facial recognition?\nNo DPIA has been produced as the force does not use the technology.", {"fr/dpia":"not_held"}),
    ("Is there a DPIA for facial recognition?\nA DPIA was completed in March 2024.", {"fr/dpia":"exists"}),
    ("The force has not completed a data protection impact assessment for facial recognition.", {"fr/dpia":"not_held"}),
]
)
def test_answers_in_many_wordings(reply, expected):
    assert_gives(findings(reply).values(), expected)


@pytest.mark.parametrize("reply", [
    "If we are unable to confirm or deny whether we hold information about live facial recognition, we will tell you why.",
    "Should the force be unable to confirm or deny that it holds information about live facial recognition, an "
    "exemption will be cited.",
])
def test_a_procedure_about_neither_confirming_nor_denying_is_not_an_ncnd(reply):
    assert not findings(reply)


# Question-and-answer layouts: "Q1 ... A1 ...", "Question 1: ... Answer: ...", "... ? - No" on the
# question's line, "Request 1: / Response 1:", labelled lines ("RFR: Yes", "LFR - not used").
@pytest.mark.parametrize("reply, expected", [
("""Q1. Does the force use live facial recognition?
A1. No.
Q2. Does the force use retrospective facial recognition?
A2. Yes, through the Police National Database.""", {"lfr/use":"no","rfr/use":"yes"}),
("""Question 1: Does your force currently use live facial recognition technology?
Answer: No
Question 2: Does your force use retrospective facial recognition?
Answer: Yes""", {"lfr/use":"no","rfr/use":"yes"}),
("""1) Has the force used live facial recognition in the last 3 years? - No
2) Has the force used operator initiated facial recognition? - No""", {"lfr/use":"no","oifr/use":"no"}),
("""Request 1: Please confirm whether your force uses live facial recognition.
Response 1: The force does not use live facial recognition.
Request 2: Please confirm whether your force uses retrospective facial recognition.
Response 2: Retrospective facial recognition searches are carried out through the Police National Database.""", {"lfr/use":"no","rfr/use":"yes"}),
("""You asked:
1. Do you use live facial recognition?
2. If yes, how many times?
Our response:
1. No
2. Not applicable""", {"lfr/use":"no"}),
("""Live Facial Recognition (LFR) - not used
Retrospective Facial Recognition (RFR) - used via PND
Operator Initiated Facial Recognition (OIFR) - not used""", {"lfr/use":"no","rfr/use":"yes","oifr/use":"no"}),
("""LFR: No
RFR: Yes
OIFR: No""", {"lfr/use":"no","rfr/use":"yes","oifr/use":"no"}),
("""Does the force use live facial recognition? No.
Does the force use retrospective facial recognition? Yes.""", {"lfr/use":"no","rfr/use":"yes"}),
]
)
def test_question_and_answer_layouts(reply, expected):
    assert_gives(read_request([Document("d", "message", "force", reply)]).findings, expected)


@pytest.mark.parametrize("reply", [
    "The deployment records you asked for are published on our website with all other facial recognition "
    "records, so section 21 of the Act applies.",
    "Information about the force's use of facial recognition is reasonably accessible to you on our website and "
    "is therefore exempt under section 21.",
])
def test_information_published_elsewhere_under_section_21_is_not_withheld(reply):
    assert not answered(reply, "withheld")


# A list of technologies, each with a dash and a bare yes or no, under a question whose own list
# was lost: each technology of the registry gets its answer, facial recognition for every kind.
@pytest.mark.parametrize("reply", [
    "Drones – Yes\nFacial recognition – No\nAutomatic number plate recognition – Yes",
    "Facial Recognition Technology: No\nDrones: Yes\nBody worn video: Yes",
    "Unmanned aerial vehicles - yes\nFacial recognition - no",
])
def test_a_list_of_technologies_each_answered_yes_or_no(reply):
    assert_gives(findings(reply).values(), {"drone/use": "yes", "lfr/use": "no", "rfr/use": "no", "oifr/use": "no"})


# One technology qualifying another is about the combination: an answer for neither.
@pytest.mark.parametrize("reply", [
    "We do not use facial recognition on our drones.",
    "None of the force's drones are fitted with facial recognition.",
    "The force has never used drones carrying facial recognition cameras.",
    "Facial recognition is not applied to drone footage.",
])
def test_one_technology_qualifying_another_answers_for_neither(reply):
    assert findings(reply) == {}


@pytest.mark.parametrize("reply", [
    "The force does not use drones or facial recognition.",
    "We use neither facial recognition nor drones.",
])
def test_a_denial_of_a_list_of_technologies_answers_for_each(reply):
    assert_gives(findings(reply).values(), {"drone/use": "no", "lfr/use": "no", "rfr/use": "no", "oifr/use": "no"})


# Denials written as "not a tactic/tool/capability...", "no ... systems in use", "neither ... nor ... is used".
@pytest.mark.parametrize("reply, expected", [
    ("Live facial recognition is not a tactic used by this force.", {"lfr/use": "no"}),
    ("LFR is not a tool the force employs.", {"lfr/use": "no"}),
    ("Facial recognition is not a capability currently available to the constabulary.",
     {"lfr/use": "no", "rfr/use": "no", "oifr/use": "no"}),
    ("There are no facial recognition systems in use within the constabulary.",
     {"lfr/use": "no", "rfr/use": "no", "oifr/use": "no"}),
    ("Neither live nor retrospective facial recognition is used by the force.", {"lfr/use": "no", "rfr/use": "no"}),
    ("Neither LFR nor RFR has been deployed by the force.", {"lfr/use": "no", "rfr/use": "no"}),
])
def test_denials_in_other_wordings(reply, expected):
    assert_gives(findings(reply).values(), expected)


@pytest.mark.parametrize("reply", [
    "Whilst this is not a tactic used widely, the force has deployed live facial recognition twice.",
    "The force uses retrospective facial recognition; it is not a tool used for live monitoring.",
])
def test_a_denial_of_something_else_leaves_the_admission(reply):
    assert "no" not in {f.answer for f in findings(reply).values()}


@pytest.mark.parametrize("reply, technology", [
    ("Essex Police began deploying live facial recognition in 2023.", "lfr"),
    ("The constabulary started trialling retrospective facial recognition last spring.", "rfr"),
    ("In 2024 the force commenced using operator initiated facial recognition.", "oifr"),
])
def test_beginning_to_use_is_use(reply, technology):
    assert findings(reply)[(technology, "use")].answer == "yes"


def test_a_day_of_the_month_is_a_date_not_a_count():
    # the force's own circumstances (a date), no agent: a candidate for review, not a counted use
    assert_yes_for_review("Live facial recognition was deployed in Chelmsford on 12 October 2024.",
                          "passive_use_own_circumstances")
    assert not findings("Live facial recognition was deployed by police forces in England on 12 October 2024.")
