"""Precision and recall of name removal on a labelled set of signature blocks (issue 15).

    python -m transform.personal_data_eval [DIR]     (default tests/fixtures/signatures; make eval-names)

Every case's text goes through the same ``redact`` the transform uses, with no header names, so
only what the text's own layout gives away is measured. A labelled name is removed when none of
its words (longer than two letters) is left; a kept item (force, unit, supplier, role, place,
office holder...) is wrongly removed when it is no longer in the text, and so is any other word
of the text that is gone and belongs to no labelled name (an unlabelled removal). Precision is
removed names over removed names plus wrong removals; recall is removed names over labelled names.
The format of the set: tests/fixtures/signatures/README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from transform.personal_data import redact

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "signatures"
# Kinds of kept item that must never be removed: the dataset is about them.
PROTECTED_KINDS = ("force", "unit", "supplier", "role", "product")


@dataclass
class Score:
    cases: int = 0
    names: int = 0
    removed: int = 0
    missed: list[str] = field(default_factory=list)  # "case: name"
    # kind -> ["case: item"]; kind "unlabelled" for words removed that belong to no labelled name
    wrongly_removed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.removed / self.names if self.names else 1.0

    @property
    def precision(self) -> float:
        false = sum(len(items) for items in self.wrongly_removed.values())
        return self.removed / (self.removed + false) if self.removed + false else 1.0

    def protected_removed(self) -> list[str]:
        return [item for kind in PROTECTED_KINDS for item in self.wrongly_removed.get(kind, [])]


def load_cases(directory: Path) -> list[dict]:
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        cases += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ids = [case["id"] for case in cases]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"case ids used twice in {directory}: {duplicated}")
    return cases


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_][\w'-]*", text) if len(w) > 2}


def _left(name: str, text: str) -> bool:
    return any(re.search(rf"(?<![\w'-]){re.escape(w)}(?![\w'-])", text) for w in _words(name))


def score(cases: list[dict]) -> Score:
    result = Score(cases=len(cases))
    for case in cases:
        clean = redact(case["text"])
        for name in case.get("names") or []:
            result.names += 1
            if _left(name, clean):
                result.missed.append(f"{case['id']}: {name}")
            else:
                result.removed += 1
        for kind, items in (case.get("keep") or {}).items():
            for item in items:
                if item not in clean:
                    result.wrongly_removed.setdefault(kind, []).append(f"{case['id']}: {item}")
        named = _words(" ".join(case.get("names") or []))
        for word in sorted(_words(case["text"]) - _words(clean) - named):
            result.wrongly_removed.setdefault("unlabelled", []).append(f"{case['id']}: {word}")
    return result


def report(result: Score) -> str:
    lines = [f"{result.cases} cases, {result.names} labelled names, {result.removed} removed",
             f"precision {result.precision:.3f}  recall {result.recall:.3f}"]
    lines += [f"  missed: {m}" for m in result.missed]
    lines += [f"  wrongly removed ({kind}): {item}" for kind, items in result.wrongly_removed.items() for item in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    result = score(load_cases(args.directory))
    print(report(result))
    return 1 if result.protected_removed() else 0


if __name__ == "__main__":
    sys.exit(main())
