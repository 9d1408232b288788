"""The force's own reference number: found in response text, compared across printed forms."""

import pytest

from transform.references import find_reference, normalise_reference


@pytest.mark.parametrize("text, expected", [
    ("West Mercia Police\nReference No: 174439.\nThank you for your request", "174439"),
    ("Our ref: 762/22", "762/22"),
    ("Please quote FOI 2023/0456 in any reply", "FOI 2023/0456"),
    ("Freedom of information request reference no: 01.FOI.22.022487", "01.FOI.22.022487"),
    ("Request Number: FOI/00013725\nCategory: Policies", "FOI/00013725"),
    ("Enquiry Reference: 667 - 24\nDate: 06/02/26", "667 - 24"),
    ("FREEDOM OF INFORMATION REQUEST REFERENCE NO: 208-2023", "208-2023"),
    ("Enquiry Ref: 13129/2021", "13129/2021"),
    ("Our Reference 1146A/22", "1146A/22"),
])
def test_finds_the_printed_reference(text, expected):
    assert find_reference(text) == expected


def test_the_requesters_own_reference_is_not_the_forces():
    assert find_reference("Your ref: JS/55/22\nOur Ref: 13129/2021") == "13129/2021"


@pytest.mark.parametrize("text", [
    "With reference to your request under the FOI Act 2000, the force holds no information.",
    "", None,
])
def test_prose_without_a_number_has_no_reference(text):
    assert find_reference(text) is None


@pytest.mark.parametrize("forms", [
    ["382/23", "382-23", "382 - 23", "382/2023"],
    ["FOI/00013725", "00013725", "13725"],
    ["13457_18", "13457/18"],
    ["330A/23", "330a-23"],
])
def test_printed_forms_of_one_reference_compare_equal(forms):
    assert len({normalise_reference(f) for f in forms}) == 1


def test_different_references_stay_different():
    assert normalise_reference("382/23") != normalise_reference("382/22")
    assert normalise_reference("0925-2023/24") != normalise_reference("925/23")
