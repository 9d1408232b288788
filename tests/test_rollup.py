"""The roll-up rules of force_status (docs/rollup.md)."""

from transform.rollup import CONFLICTING, force_status_rows, latest_answer

FORCE = {"force_id": "kent", "name": "Kent Police", "country": "England"}


def finding(request, answer, date, question="use", technology="lfr", method="rule"):
    return {"finding_id": f"{request}:{question}:{technology}", "request_id": request, "force_id": "kent",
            "question": question, "technology": technology, "answer": answer, "response_date": date,
            "evidence_quote": f"quote {request}", "evidence_url": f"https://example.org/{request}",
            "method": method}


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
