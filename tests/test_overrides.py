"""Overrides: validated, applied on every build with method=override, and unknown ids fail."""

from __future__ import annotations

import pytest

from transform.overrides import OVERRIDES_CSV, OverrideError, apply_overrides, load_overrides, review_queue

HEADER = "request_id,technology,question,field,value,reason,reviewer,date\n"


def finding(request_id="wdtk:1", technology="lfr", question="use", answer="yes", confidence=0.9, method="affirmed_use"):
    return {
        "finding_id": f"{request_id}:{question}:{technology}", "request_id": request_id, "force_id": "kent",
        "technology": technology, "question": question, "answer": answer, "response_date": "2024-01-02",
        "evidence_document_id": "doc-1", "evidence_quote": "The force uses it.", "evidence_start": 0,
        "evidence_end": 19, "evidence_url": "https://example.org/doc-1", "method": method, "confidence": confidence,
    }


def write(tmp_path, body):
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_committed_overrides_file_is_valid():
    load_overrides(OVERRIDES_CSV)


def test_override_sets_answer_and_keeps_evidence(tmp_path):
    path = write(tmp_path, 'wdtk:1,lfr,use,answer,no,"Yes answered another question",A. Reviewer,2026-11-30\n')
    rows = apply_overrides([finding()], load_overrides(path), known_request_ids={"wdtk:1"})
    assert rows[0]["answer"] == "no"
    assert rows[0]["method"] == "override"
    assert rows[0]["confidence"] == 1.0
    assert rows[0]["evidence_quote"] == "The force uses it." and rows[0]["evidence_document_id"] == "doc-1"


def test_override_survives_a_rebuild(tmp_path):
    """Applied to fresh extraction output each time, the override gives the same published value."""
    overrides = load_overrides(write(tmp_path, "wdtk:1,lfr,use,answer,no,checked,A. Reviewer,2026-11-30\n"))
    for _ in range(2):
        rows = apply_overrides([finding()], overrides, known_request_ids={"wdtk:1"})
        assert rows[0]["answer"] == "no"


def test_override_adds_a_missing_finding(tmp_path):
    overrides = load_overrides(write(tmp_path, "wdtk:1,fr,dpia,answer,withheld,in attachment 2,A. Reviewer,2026-11-30\n"))
    rows = apply_overrides([finding()], overrides, known_request_ids={"wdtk:1"})
    added = [r for r in rows if r["question"] == "dpia"]
    assert added and added[0]["answer"] == "withheld" and added[0]["method"] == "override"
    assert added[0]["force_id"] == "kent" and added[0]["finding_id"] == "wdtk:1:dpia:fr"


def test_input_rows_are_not_changed(tmp_path):
    rows = [finding()]
    apply_overrides(rows, load_overrides(write(tmp_path, "wdtk:1,lfr,use,answer,no,x,A,2026-11-30\n")), {"wdtk:1"})
    assert rows[0]["answer"] == "yes"


def test_unknown_request_fails_naming_the_line(tmp_path):
    path = write(tmp_path, "wdtk:1,lfr,use,answer,no,x,A,2026-11-30\nwdtk:999,rfr,use,answer,no,x,A,2026-11-30\n")
    with pytest.raises(OverrideError, match=r"overrides.csv:3: unknown request_id 'wdtk:999'"):
        apply_overrides([finding()], load_overrides(path), known_request_ids={"wdtk:1"})


@pytest.mark.parametrize("row, message", [
    ("wdtk:1,xfr,use,answer,no,x,A,2026-11-30", "unknown technology 'xfr'"),
    ("wdtk:1,lfr,usage,answer,no,x,A,2026-11-30", "unknown question 'usage'"),
    ("wdtk:1,lfr,use,colour,no,x,A,2026-11-30", "unknown field 'colour'"),
    ("wdtk:1,lfr,use,answer,provided,x,A,2026-11-30", "value 'provided' is not an answer to 'use'"),
    ("wdtk:1,fr,planned,answer,withheld,x,A,2026-11-30", "value 'withheld' is not an answer to 'planned'"),
    ("wdtk:1,lfr,dpia,answer,provided,x,A,2026-11-30", "unknown technology 'lfr' for question 'dpia'"),
    ("wdtk:1,lfr,use,answer,no,,A,2026-11-30", "reason is empty"),
    ("wdtk:1,lfr,use,answer,no,x,A,30/11/2026", "date '30/11/2026' is not an ISO date"),
])
def test_invalid_rows_fail_naming_the_line(tmp_path, row, message):
    path = write(tmp_path, row + "\n")
    with pytest.raises(OverrideError, match=r"overrides.csv:2: " + message.replace("(", r"\(")):
        load_overrides(path)


def test_duplicate_override_fails(tmp_path):
    path = write(tmp_path, "wdtk:1,lfr,use,answer,no,x,A,2026-11-30\nwdtk:1,lfr,use,answer,yes,y,B,2026-11-30\n")
    with pytest.raises(OverrideError, match="overrides.csv:3: duplicates the override on line 2"):
        load_overrides(path)


def test_bad_header_fails(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text("request,answer\n", encoding="utf-8")
    with pytest.raises(OverrideError, match="overrides.csv:1: header lacks columns"):
        load_overrides(path)


def test_review_queue_lists_doubtful_findings():
    rows = [
        finding(confidence=0.9),
        finding(technology="rfr", confidence=0.4, method="request_not_held", answer="not_held"),
        finding(technology="oifr", confidence=0.5, method="affirmed_use+conflict"),
        finding(technology="lfr", request_id="wdtk:2", answer="unclear", confidence=0.3),
        finding(request_id="wdtk:3", confidence=0.2, method="override"),
    ]
    queue = review_queue(rows, threshold=0.6)
    assert [r["finding_id"] for r in queue] == ["wdtk:2:use:lfr", "wdtk:1:use:rfr", "wdtk:1:use:oifr"]
    assert "rules disagree" in queue[2]["reason"]
    assert "answer unclear" in queue[0]["reason"]


def test_check_command(tmp_path, capsys):
    from transform.overrides import main
    assert main([str(write(tmp_path, "wdtk:1,lfr,use,answer,no,x,A,2026-11-30\n"))]) == 0
    assert "1 override(s)" in capsys.readouterr().out
    assert main([str(write(tmp_path, "wdtk:1,lfr,use,answer,maybe,x,A,2026-11-30\n"))]) == 1
    assert "overrides.csv:2: value 'maybe'" in capsys.readouterr().err
