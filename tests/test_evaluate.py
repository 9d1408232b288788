"""The evaluation command on a small labelled folder written for the test."""

from __future__ import annotations

import json

from transform import evaluate

PAGE_NO = """Disclosure log
You asked:
1. Does the force use facial recognition?
Response:
1. Our force does not use facial recognition of any kind.
"""
PAGE_NCND = """Request
Please tell me if you use live facial recognition and who supplies it.
Decision
We neither confirm nor deny whether we hold information about live facial recognition, relying on Section 24(2).
"""


def labels(**values):
    base = {"lfr_use": "not_answered", "rfr_use": "not_answered", "oifr_use": "not_answered",
            "planned": "not_answered", "suppliers": [], "dpia": "not_answered", "exemptions": []}
    return {**base, **values}


def write_corpus(folder):
    records = {
        "a.json": {"url": "https://example.org/a", "source": "force_log", "force": "Example Police", "date": None,
                   "text": PAGE_NO, "labels": labels(lfr_use="no", rfr_use="no", oifr_use="no")},
        "b.json": {"url": "https://example.org/b", "source": "force_log", "force": "Example Police", "date": None,
                   "text": PAGE_NCND, "labels": labels(lfr_use="ncnd", exemptions=["s24", "s31"], suppliers=["NEC"])},
    }
    for name, record in records.items():
        (folder / name).write_text(json.dumps(record), encoding="utf-8")


def test_summary_counts_and_scores(tmp_path):
    write_corpus(tmp_path)
    summary, rows = evaluate.evaluate(tmp_path)
    assert summary["n"] == 2
    assert summary["fields"]["lfr_use"]["accuracy"] == 1.0
    assert summary["fields"]["lfr_use"]["determinate_precision"] == 1.0
    assert summary["exemptions"] == {"precision": 1.0, "recall": 0.5, "tp": 1, "fp": 0, "fn": 1}
    assert summary["suppliers"]["recall"] == 0.0


def test_cli_writes_json_in_the_agreed_shape(tmp_path, capsys):
    write_corpus(tmp_path)
    out = tmp_path / "out" / "summary.json"
    assert evaluate.main([str(tmp_path), "--json", str(out), "--show-errors"]) == 0
    printed = capsys.readouterr().out
    assert "lfr_use" in printed and "confusion" in printed
    data = json.loads(out.read_text())
    assert data["n"] == 2
    assert set(data["fields"]) == {"lfr_use", "rfr_use", "oifr_use", "planned", "dpia"}
    assert set(data["fields"]["lfr_use"]) == {"accuracy", "determinate_precision"}
    assert set(data["suppliers"]) == {"precision", "recall"} and set(data["exemptions"]) == {"precision", "recall"}


def test_labels_are_not_read_before_predicting(tmp_path):
    """Changing the labels changes the score, never the prediction."""
    write_corpus(tmp_path)
    _, before = evaluate.evaluate(tmp_path)
    record = json.loads((tmp_path / "a.json").read_text())
    record["labels"] = labels(lfr_use="yes")
    (tmp_path / "a.json").write_text(json.dumps(record))
    _, after = evaluate.evaluate(tmp_path)
    assert [r["predicted"] for r in before] == [r["predicted"] for r in after]


def test_supplier_labels_are_normalised_through_the_table():
    assert evaluate.normalise_supplier("Police National Database") == "Home Office PND"
    assert evaluate.normalise_supplier("NeoFace Live") == "NEC"
    assert evaluate.normalise_supplier("Unknown Vendor Ltd") == "Unknown Vendor Ltd"


def test_missing_folder_is_an_error(tmp_path, capsys):
    assert evaluate.main([str(tmp_path / "nope")]) == 2
