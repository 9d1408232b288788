"""Names, e-mail addresses and phone numbers do not reach the published text (issues 8 and 15)."""

from transform.documents import people
from transform.personal_data import names_in_headers, redact
from transform.personal_data_eval import DEFAULT_DIR as DEFAULT_SET
from transform.personal_data_eval import load_cases, score


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


# -- issue 15: signature blocks, labelled lines and extensions -------------------------------

EMAIL_REPLY = ("Dear Requester,\n\nWiltshire Police does not use live facial recognition. Any questions to "
               "Tamsin Ferreira-Holt.\n\nYours sincerely,\n\nTamsin Ferreira-Holt\n"
               "Information Compliance Assistant | Information Compliance Unit\nWiltshire Police")


def test_a_signature_block_loses_the_name_and_keeps_the_role_and_unit():
    clean = redact(EMAIL_REPLY)
    assert "Tamsin" not in clean and "Ferreira-Holt" not in clean
    assert clean.endswith("[name removed]\nInformation Compliance Assistant | Information Compliance Unit\n"
                          "Wiltshire Police")
    assert "Any questions to [name removed]." in clean
    assert redact("Ferreira-Holt's reply", {"Tamsin Ferreira-Holt"}) == "[name removed]'s reply"


def test_a_pdf_letter_and_an_ocr_scan_lose_the_signature_name_too():
    pdf = "Yours sincerely\nImran Baverstock\nDisclosure Officer\nCheshire Constabulary"
    assert redact(pdf) == "Yours sincerely\n[name removed]\nDisclosure Officer\nCheshire Constabulary"
    ocr = "Yours sincerely,\n\nImran Baverstock Information Compliance Assistant |\nInformation Compliance Unit"
    assert redact(ocr).startswith("Yours sincerely,\n\n[name removed] Information Compliance Assistant |")


def test_forces_units_suppliers_and_public_office_holders_stay():
    for text in ("Kind regards,\n\nKent Police", "Regards\nCognitec Systems\nTechnical Support Team",
                 "Kind regards\nFreedom of Information Team\nWest Midlands Police",
                 "Yours sincerely,\nAlexandra Whitlock-Moss\nChief Constable\nDurham Constabulary",
                 "Kind regards,\nDesmond Arkwright\nPolice and Crime Commissioner for Suffolk",
                 "Name: NeoFace Watch\nAuthor: Information Management Department", "Name: FaceVACS\nKent",
                 "Signed: Augustina Pellow-Rhys\nPolice and Crime Commissioner for Dorset",
                 "Thank you.\nAnnex A\nDeployment records, Information Officer copy"):
        assert redact(text) == text


def test_signed_name_and_author_lines_lose_the_name():
    text = ("Signed: Ingrid Solberg-Hayes\nName: Peregrine Akintola\n"
            "Author: Fraser Okoro-Blane, Data Protection Officer\nApproved by: Chief Constable Rowena Attenborough-Fisk")
    assert redact(text) == ("Signed: [name removed]\nName: [name removed]\n"
                            "Author: [name removed], Data Protection Officer\n"
                            "Approved by: Chief Constable Rowena Attenborough-Fisk")


def test_extension_and_direct_dial_numbers_are_removed_and_lines_stay_apart():
    text = "Direct Dial: 01380 734 512\nExt: 4512\nTel 01622 690690 ext. 2118\nAn extension of 20 days"
    assert redact(text) == ("Direct Dial: [phone number]\nExt: [phone number]\n"
                            "Tel [phone number] ext. [phone number]\nAn extension of 20 days")


def test_a_name_signed_in_a_message_is_removed_from_the_whole_request():
    item = {"requester": "Jane Example", "messages": [
        {"author": "Information Compliance, Wiltshire Police", "text": EMAIL_REPLY},
        {"author": "Jane Example", "text": "Thank you."}]}
    assert people(item) == {"Jane Example", "Tamsin Ferreira-Holt"}
    assert redact("Reviewed by Ferreira-Holt.", people(item)) == "Reviewed by [name removed]."


def test_the_labelled_signature_set_meets_its_targets():
    result = score(load_cases(DEFAULT_SET))
    assert result.cases >= 40 and result.names >= 40
    assert result.recall >= 0.95, result.missed
    assert result.precision >= 0.95, result.wrongly_removed
    assert result.protected_removed() == []  # no force, unit, supplier, role or product removed


def test_the_evaluation_counts_misses_kept_items_and_unlabelled_removals():
    result = score([{"id": "a", "text": "Regards\nSam Hollis\nDisclosure Officer", "names": [], "keep": {}},
                    {"id": "b", "text": "Kind regards,\nMarguerite", "names": ["Marguerite"],
                     "keep": {"role": ["Marguerite"]}}])
    assert (result.names, result.removed, result.missed) == (1, 0, ["b: Marguerite"])
    assert result.wrongly_removed == {"unlabelled": ["a: Hollis", "a: Sam"]} and result.protected_removed() == []
