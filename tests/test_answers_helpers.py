"""Shared helpers for the answer-extraction tests: reading the team's fixture files."""

from __future__ import annotations

import json
from pathlib import Path

from transform.answers import Document, RequestAnswers, read_request

FIXTURES = Path(__file__).parent / "fixtures" / "answers"
HEADER = "=== "


def parse_fixture(text: str) -> list[Document]:
    """Documents of a fixture file: blocks opened by '=== <document_id> <author_role> <kind>'."""
    documents, current, lines = [], None, []
    for line in text.splitlines(keepends=True):
        if line.startswith(HEADER):
            if current:
                documents.append(Document(current[0], current[2], current[1], "".join(lines)))
            current, lines = line[len(HEADER):].split(), []
        else:
            lines.append(line)
    if current:
        documents.append(Document(current[0], current[2], current[1], "".join(lines)))
    return documents


def load_fixture(name: str) -> list[Document]:
    return parse_fixture((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))


def summarise(answers: RequestAnswers) -> dict:
    """The reviewed parts of an answer set, in the shape of the expected files."""
    return {
        "findings": {f"{f.technology}/{f.question}": f.answer for f in answers.findings},
        "suppliers": sorted({s.supplier_id for s in answers.suppliers}),
        "exemptions": sorted({f"{e.subsection}{' ncnd' if e.ncnd else ''}" for e in answers.exemptions}),
    }


def read_fixture(name: str) -> tuple[list[Document], RequestAnswers]:
    documents = load_fixture(name)
    return documents, read_request(documents)


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
