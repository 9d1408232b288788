"""A disclosure-log item's status from its own text (scrapers/logstatus.py, phrasings in
scrapers/sites/log_status.yaml): sentences of our own in several wordings for each status, and
the statuses the SOH spider gives the mirror's items over HTTP, which the build publishes as
requests.status."""

import pytest

from scrapers import logstatus

SENTENCES = [
    # disclosed in full
    ("I have today decided to disclose the requested information.", "successful"),
    ("The information you asked for is provided in full below.", "successful"),
    ("All the information you requested has been provided.", "successful"),
    ("The figures are provided in the attached spreadsheet.", "successful"),
    # in part
    ("I have today decided to disclose some of the requested information.", "partially_successful"),
    ("Some information has been withheld, as explained below.", "partially_successful"),
    ("Names of staff have been redacted from the attached report.", "partially_successful"),
    ("This is a partial disclosure.", "partially_successful"),
    ("The totals are provided in the attached table. The force neither confirms nor denies holding any other "
     "information.", "partially_successful"),
    # refused
    ("This is a Full Refusal under Section 17.", "rejected"),
    ("Finding the figures would exceed the cost limit set by the Act.", "rejected"),
    ("The list of locations is exempt under section 31(1) and your request is refused.", "rejected"),
    ("Section 14(1) applies because the request is vexatious.", "rejected"),
    # neither confirm nor deny
    ("The force neither confirms nor denies that it holds the information, by virtue of section 24(2).",
     "neither_confirm_nor_deny"),
    ("We can neither confirm or deny whether any covert tactic is used.", "neither_confirm_nor_deny"),
    ("Outcome: NCND under sections 23(5) and 31(3).", "neither_confirm_nor_deny"),
    ("The force cannot confirm or deny whether such a system is in use.", "neither_confirm_nor_deny"),
    # not held
    ("The information requested is not held by the force.", "not_held"),
    ("Our force does not hold any records of facial recognition searches.", "not_held"),
    ("The constabulary holds no information on this subject.", "not_held"),
    ("No relevant information was located after a search of our systems.", "not_held"),
    ("The force has not used live facial recognition.", "not_held"),
    # combinations that keep the strongest outcome
    ("No information is held. We neither confirm nor deny holding information about covert use.",
     "neither_confirm_nor_deny"),
    ("A full refusal under section 17; for one part we neither confirm nor deny holding information", "rejected"),
    # nothing said about the outcome
    ("Please see the attached letter.", None),
    ("", None),
]


@pytest.mark.parametrize("text, status", SENTENCES, ids=[s[0][:40] or "empty" for s in SENTENCES])
def test_the_text_gives_the_status(text, status):
    assert logstatus.status(text) == status


def test_every_status_is_a_value_the_docs_list():
    assert {status for _text, status in SENTENCES} - {None} == set(logstatus.STATUSES)
