"""The roll-up rules of force_status_wide (docs/rollup.md)."""

from transform.documents import document_rows
from transform.answers import read_request
from transform.request_tables import answer_rows, reader_documents
from transform.rollup import CONFLICTING, NEEDS_REVIEW, conflicts, force_status_rows, latest_answer

def wide(*tables):
    """force_status_wide's rows (rollup.force_status_rows gives the long table and the wide one)."""
    return force_status_rows(*tables)[1]


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
    rows = wide([FORCE], [], [], [], [])
    assert rows[0]["force_id"] == "kent" and rows[0]["lfr_use"] is None and rows[0]["requests"] == 0


def test_status_row_carries_evidence_suppliers_and_exemptions():
    rows = wide(
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
    rows = wide([FORCE], [], [finding("a", "no", "2021-01-10"), doubtful], [], [])
    row = rows[0]
    assert row["lfr_use"] == NEEDS_REVIEW and row["lfr_use_candidate"] == "yes"
    assert row["lfr_use_quote"] == "quote b" and row["lfr_use_finding_id"] == "b:use:lfr"


def test_a_finding_without_confidence_is_not_shown_as_fact():
    undated_confidence = {**finding("b", "yes", "2024-05-01"), "confidence": None}
    assert latest_answer([undated_confidence], "use")[0] == NEEDS_REVIEW


def test_a_confident_answer_and_an_override_are_shown_as_fact():
    assert wide([FORCE], [], [finding("b", "yes", "2024-05-01")], [], [])[0]["lfr_use_candidate"] is None
    overridden = {**finding("b", "yes", "2024-05-01", method="override"), "confidence": 0.2}
    assert latest_answer([overridden], "use")[0] == "yes"


def test_conflicting_keeps_the_latest_answer_as_candidate():
    rows = wide([FORCE], [], [finding("a", "no", "2024-04-01"), finding("b", "yes", "2024-05-01")], [], [])
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


def test_the_latest_date_wins_whatever_the_order_of_ids():
    answer, chosen = latest_answer([finding("z", "no", "2021-01-10"), finding("a", "yes", "2024-05-01")], "use")
    assert (answer, chosen["request_id"]) == ("yes", "a")


def test_each_question_has_its_own_determinate_answers():
    # "not held" says nothing about plans; a DPIA that exists is an answer about the DPIA.
    answer, chosen = latest_answer([finding("a", "no", "2021-01-10", question="planned", technology="fr"),
                                    finding("b", "not_held", "2024-05-01", question="planned", technology="fr")],
                                   "planned")
    assert (answer, chosen["request_id"]) == ("no", "a")
    assert latest_answer([finding("a", "exists", "2024-05-01", question="dpia", technology="fr")], "dpia")[0] == "exists"


def test_answers_of_one_request_never_conflict():
    answer, _ = latest_answer([finding("a", "no", "2024-04-01"), finding("a", "yes", "2024-05-01")], "use")
    assert answer == "yes"


def test_findings_behind_a_conflict_go_to_the_review_queue():
    disagreeing = [finding("a", "no", "2024-04-01"), finding("b", "yes", "2024-05-01")]
    settled = [finding("c", "no", "2024-04-01", technology="rfr"), finding("d", "no", "2024-05-01", technology="rfr")]
    assert conflicts(disagreeing + settled) == disagreeing


def test_an_answer_is_dated_by_the_message_that_gave_it():
    # The reply came on 2 March; a later message (on 1 June) only added a covering note.
    request = {"request_id": "r", "force_id": "kent", "response_date": "2024-06-01"}
    text = "The force does not use live facial recognition."
    documents = [{"document_id": "m1", "kind": "response", "author_role": "force", "text": text, "hidden": False,
                  "sent_at": "2024-03-02T10:00:00", "url": "https://example.org/r#m1"},
                 {"document_id": "m2", "kind": "response", "author_role": "force", "text": "Regards.",
                  "hidden": False, "sent_at": "2024-06-01T09:00:00", "url": "https://example.org/r#m2"}]
    findings, _, _ = answer_rows(request, documents, read_request(reader_documents(documents)))
    assert [(f["answer"], f["response_date"]) for f in findings] == [("no", "2024-03-02")]


def test_an_attachment_is_dated_by_the_message_it_came_with(tmp_path):
    item = {"source": "wdtk", "source_id": "1", "url": "https://example.org/r", "messages": [
        {"message_id": "m1", "direction": "outgoing", "sent_at": "2024-01-05T09:00:00", "text": "A request."},
        {"message_id": "m2", "direction": "incoming", "sent_at": "2024-03-02T10:00:00", "text": "See attached.",
         "attachments": [{"attachment_id": "a1", "filename": "reply.pdf", "url": "https://example.org/a1"}]},
    ]}
    rows, _ = document_rows(item, tmp_path)
    assert {r["document_id"]: r["sent_at"] for r in rows if r["kind"] == "attachment"} == \
        {"wdtk:1:attachment-a1": "2024-03-02T10:00:00"}


def test_the_conflict_window_is_90_days_before_the_latest():
    # 2024-05-01 is 90 days after 2024-02-01 and 91 days after 2024-01-31.
    assert latest_answer([finding("a", "no", "2024-02-01"), finding("b", "yes", "2024-05-01")], "use")[0] == CONFLICTING
    assert latest_answer([finding("a", "no", "2024-01-31"), finding("b", "yes", "2024-05-01")], "use")[0] == "yes"


def test_force_status_has_a_row_per_force_technology_and_question_and_the_wide_table_pivots_it():
    statuses, wide_rows = force_status_rows([FORCE], [], [finding("b", "yes", "2024-05-01")], [], [])
    assert [(r["technology"], r["question"]) for r in statuses] == [
        ("lfr", "use"), ("rfr", "use"), ("oifr", "use"), ("fr", "planned"), ("fr", "dpia"),
        ("drone", "use"), ("drones", "planned"), ("drones", "dpia")]
    lfr = statuses[0]
    assert (lfr["status_id"], lfr["status"], lfr["finding_id"], lfr["evidence_quote"]) == (
        "kent:lfr:use", "yes", "b:use:lfr", "quote b")
    assert statuses[1]["status"] is None and statuses[1]["finding_id"] is None
    assert (wide_rows[0]["lfr_use"], wide_rows[0]["lfr_use_finding_id"], wide_rows[0]["rfr_use"]) == ("yes", "b:use:lfr", None)


def test_a_month_precise_reply_date_stays_month_precise_in_both_tables():
    """A disclosure-log reply dated only by its folder's month: pages show "2025-07", not a day."""
    logged = {"request_id": "log", "force_id": "kent", "response_date": "2025-07-01", "response_date_precision": "month"}
    dated = {"request_id": "b", "force_id": "kent", "response_date": "2024-05-01", "response_date_precision": "day"}
    statuses, wide = force_status_rows([FORCE], [logged, dated], [finding("log", "no", "2025-07-01"),
                                                                  finding("b", "yes", "2024-05-01", technology="rfr")], [], [])
    precision = {(r["technology"], r["question"]): r["answer_date_precision"] for r in statuses}
    assert precision[("lfr", "use")] == "month" and precision[("rfr", "use")] == "day"
    assert (wide[0]["lfr_use_date_precision"], wide[0]["rfr_use_date_precision"]) == ("month", "day")
