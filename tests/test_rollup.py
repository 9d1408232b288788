"""The roll-up rules of force_status (docs/rollup.md)."""

from transform.rollup import CONFLICTING, NEEDS_REVIEW, force_status_rows, latest_answer

FORCE = {"force_id": "kent", "name": "Kent Police", "country": "England"}


def finding(request, answer, date, question="use", technology="lfr", method="rule"):
    return {"finding_id": f"{request}:{question}:{technology}", "request_id": request, "force_id": "kent",
            "question": question, "technology": technology, "answer": answer, "response_date": date,
            "evidence_quote": f"quote {request}", "evidence_url": f"https://example.org/{request}",
            "method": method, "confidence": 0.9}


def test_latest_dated_determinate_answer_wins_and_older_is_history():
    answer, chosen = latest_answer([finding("a", "no", "2021-01-10"), finding("b", "yes", "2024-05-01")], "use")
    assert (answer, chosen["request_id"]) == ("yes", "b")


def test_unclear_never_beats_a_determinate_answer():
    answer, chosen = latest_answer([finding("a", "no", "2021-01-10"), finding("b", "unclear", "2024-05-01")], "use")
    assert (answer, chosen["request_id"]) == ("no", "a")
    assert latest_answer([finding("b", "unclear", "2024-05-01")], "use")[0] == "unclear"


def test_two_recent_answers_that_disagree_are_conflicting():
    answer, _ = latest_answer([finding("a", "no", "2024-04-01"), finding("b", "yes", "2024-05-01")], "use")
    assert answer == CONFLICTING


def test_an_override_settles_a_conflict():
    answer, _ = latest_answer([finding("a", "no", "2024-04-01"),
                               finding("b", "yes", "2024-05-01", method="override")], "use")
    assert answer == "yes"


def test_force_without_findings_still_has_a_row():
    rows = force_status_rows([FORCE], [], [], [], [])
    assert rows[0]["force_id"] == "kent" and rows[0]["lfr_use"] is None and rows[0]["requests"] == 0


def test_status_row_carries_evidence_suppliers_and_exemptions():
    rows = force_status_rows(
        [FORCE],
        [{"request_id": "b", "force_id": "kent", "response_date": "2024-05-01"}],
        [finding("b", "yes", "2024-05-01")],
        [{"force_id": "kent", "supplier_id": "nec"}],
        [{"force_id": "kent", "section": "s31"}, {"force_id": "kent", "section": "s24"}],
    )
    row = rows[0]
    assert row["lfr_use"] == "yes" and row["lfr_use_quote"] == "quote b"
    assert row["lfr_use_url"] == "https://example.org/b" and row["lfr_use_date"] == "2024-05-01"
    assert row["suppliers"] == ["nec"] and row["exemptions"] == ["s24", "s31"]
    assert row["requests"] == 1


def test_a_doubtful_latest_answer_needs_review_with_its_candidate_beside_it():
    doubtful = {**finding("b", "yes", "2024-05-01"), "confidence": 0.5}
    rows = force_status_rows([FORCE], [], [finding("a", "no", "2021-01-10"), doubtful], [], [])
    row = rows[0]
    assert row["lfr_use"] == NEEDS_REVIEW and row["lfr_use_candidate"] == "yes"
    assert row["lfr_use_quote"] == "quote b" and row["lfr_use_finding_id"] == "b:use:lfr"


def test_a_finding_without_confidence_is_not_shown_as_fact():
    undated_confidence = {**finding("b", "yes", "2024-05-01"), "confidence": None}
    assert latest_answer([undated_confidence], "use")[0] == NEEDS_REVIEW


def test_a_confident_answer_and_an_override_are_shown_as_fact():
    assert force_status_rows([FORCE], [], [finding("b", "yes", "2024-05-01")], [], [])[0]["lfr_use_candidate"] is None
    overridden = {**finding("b", "yes", "2024-05-01", method="override"), "confidence": 0.2}
    assert latest_answer([overridden], "use")[0] == "yes"


def test_conflicting_keeps_the_latest_answer_as_candidate():
    rows = force_status_rows([FORCE], [], [finding("a", "no", "2024-04-01"), finding("b", "yes", "2024-05-01")], [], [])
    assert rows[0]["lfr_use"] == CONFLICTING and rows[0]["lfr_use_candidate"] == "yes"


def test_an_implicit_answer_needs_review_unless_another_reply_agrees():
    implicit = {**finding("b", "yes", "2024-05-01", method="implicit_own_use"), "confidence": 0.55}
    assert latest_answer([implicit], "use")[0] == NEEDS_REVIEW
    assert latest_answer([finding("a", "yes", "2023-01-01"), implicit], "use")[0] == "yes"
    other_implicit = {**finding("a", "yes", "2022-01-01", method="implicit_withheld_detail"), "confidence": 0.55}
    assert latest_answer([other_implicit, implicit], "use")[0] == "yes"
    same_request = {**implicit, "finding_id": "b:use:lfr:2"}
    assert latest_answer([same_request, implicit], "use")[0] == NEEDS_REVIEW


def test_a_doubtful_answer_that_is_not_implicit_is_not_corroborated_by_agreement():
    guess = {**finding("b", "yes", "2024-05-01", method="affirmed_use+conflict"), "confidence": 0.5}
    assert latest_answer([finding("a", "yes", "2023-01-01"), guess], "use")[0] == NEEDS_REVIEW
