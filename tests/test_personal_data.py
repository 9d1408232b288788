"""Names, e-mail addresses and phone numbers do not reach the published text."""

from transform.personal_data import names_in_headers, redact


def test_people_are_found_in_headers_but_departments_are_not():
    names = names_in_headers(["Jane Example", "Sam Hollis, Kent Police", "Information Compliance, Kent Police",
                              "Kent Police", None])
    assert names == {"Jane Example", "Sam Hollis"}


def test_redaction_keeps_the_answer_and_removes_the_people():
    text = ("Dear Ms Example,\nKent Police does not use live facial recognition.\n"
            "Yours sincerely, Sam Hollis, 01622 690690, sam.hollis@kent.police.uk\nJane Example")
    clean = redact(text, {"Jane Example", "Sam Hollis"})
    assert "Kent Police does not use live facial recognition." in clean
    for personal in ("Example", "Sam", "Hollis", "01622", "kent.police.uk"):
        assert personal not in clean
    assert "[email address]" in clean and "[phone number]" in clean and "[name removed]" in clean


def test_salutation_names_are_removed_without_a_header():
    assert redact("Dear Mr J. Bloggs, thank you") == "Dear Mr [name removed], thank you"
