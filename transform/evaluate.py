"""Measure answer extraction against a folder of labelled responses.

    python -m transform.evaluate CORPUS_DIR [--json PATH] [--show-errors] [--perturb NAME|all]

Each ``*.json`` file holds ``url``, ``force``, ``text`` and ``labels`` (format of
../shared/corpus/README.md). The text goes through exactly the pipeline's extraction
(``read_request`` on one ``page`` document); the labels are read only afterwards, to score.

Prints per-field accuracy, a confusion table per field, the precision of determinate answers
(yes/no/ncnd/withheld/not_held, and provided for DPIA), supplier and exemption precision/recall,
and optionally writes a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from reference import technologies
from transform.answers import Document, read_request
from transform.answers.suppliers import supplier_names, terms
from transform.perturb import PERTURBATIONS

# The labelled corpus's fields (../shared/corpus/README.md): use of each kind of facial
# recognition in the registry, then plans and the DPIA.
KINDS = tuple(kind.technology_id for kind in technologies.family("fr").kinds)
FIELDS = (*(f"{kind}_use" for kind in KINDS), "planned", "dpia")
DETERMINATE = {"yes", "no", "ncnd", "withheld", "not_held", "provided"}


def predict(record: dict, document_id: str = "page") -> dict:
    """What the pipeline says about one labelled record, in the label vocabulary."""
    answers = read_request([Document(document_id, "page", "page", record.get("text") or "")])
    by_key = {(f.technology, f.question): f.answer for f in answers.findings}
    names = supplier_names()
    return {
        **{f"{kind}_use": by_key.get((kind, "use"), "not_answered") for kind in KINDS},
        "planned": by_key.get(("fr", "planned"), "not_answered"),
        "dpia": by_key.get(("fr", "dpia"), "not_answered"),
        "suppliers": sorted({names.get(s.supplier_id, s.supplier_id) for s in answers.suppliers}),
        "exemptions": sorted({e.section for e in answers.exemptions}),
    }


def normalise_supplier(label: str) -> str:
    """A labelled supplier name as the supplier table's canonical name, when the table knows it."""
    for term in terms():
        if term.pattern.fullmatch(label.strip()):
            return term.name
    return label.strip()


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def evaluate(corpus: Path, perturb: Callable[[str], str] | None = None) -> tuple[dict, list[dict]]:
    """Scores of the reader on every labelled file of ``corpus``; with ``perturb``, on each text
    as that perturbation (transform.perturb) leaves it."""
    files = sorted(Path(corpus).glob("*.json"))
    rows = []
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        if perturb:
            record["text"] = perturb(record.get("text") or "")
        # The pipeline's document id for a page is its URL; the force's name is not an input of
        # the reader (it tells the force apart from others named on the page by itself).
        predicted = predict(record, document_id=record.get("url") or path.name)
        rows.append({"file": path.name, "predicted": predicted, "labels": record.get("labels") or {}})

    summary: dict = {"n": len(rows), "fields": {}}
    confusion: dict[str, Counter] = {}
    for field in FIELDS:
        pairs = [(r["labels"].get(field, "not_answered"), r["predicted"][field]) for r in rows]
        confusion[field] = Counter(pairs)
        correct = sum(1 for gold, got in pairs if gold == got)
        determinate = [(gold, got) for gold, got in pairs if got in DETERMINATE]
        summary["fields"][field] = {
            "accuracy": round(correct / len(pairs), 4) if pairs else None,
            "determinate_precision": round(sum(1 for g, p in determinate if g == p) / len(determinate), 4)
            if determinate else None,
            "determinate_n": len(determinate),
        }
    every = [(r["labels"].get(f, "not_answered"), r["predicted"][f]) for r in rows for f in FIELDS]
    determinate = [(g, p) for g, p in every if p in DETERMINATE]
    summary["determinate_precision"] = (round(sum(1 for g, p in determinate if g == p) / len(determinate), 4)
                                        if determinate else None)
    for name, normalise in (("suppliers", normalise_supplier), ("exemptions", lambda s: s.strip())):
        tp = fp = fn = 0
        for r in rows:
            gold = {normalise(x) for x in r["labels"].get(name) or []}
            got = set(r["predicted"][name])
            tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        precision, recall = _pr(tp, fp, fn)
        summary[name] = {"precision": round(precision, 4), "recall": round(recall, 4), "tp": tp, "fp": fp, "fn": fn}
    summary["confusion"] = {f: {f"{g} -> {p}": n for (g, p), n in sorted(c.items())} for f, c in confusion.items()}
    return summary, rows


def confusion_table(field: str, table: dict[str, int]) -> list[str]:
    pairs = {tuple(k.split(" -> ")): n for k, n in table.items()}
    gold = sorted({g for g, _ in pairs})
    predicted = sorted({p for _, p in pairs})
    width = max(len(v) for v in [*gold, *predicted, field]) + 1
    lines = [f"  {field:<{width}}" + "".join(f"{p:>{width}}" for p in predicted)]
    for g in gold:
        lines.append(f"  {g:<{width}}" + "".join(f"{pairs.get((g, p), 0) or '.':>{width}}" for p in predicted))
    return lines


def report(summary: dict, rows: list[dict], show_errors: bool) -> str:
    lines = [f"{summary['n']} labelled files", "", f"{'field':10} {'accuracy':>9} {'det.prec':>9} {'det.n':>6}"]
    for field, m in summary["fields"].items():
        prec = "-" if m["determinate_precision"] is None else f"{m['determinate_precision']:.3f}"
        lines.append(f"{field:10} {m['accuracy']:9.3f} {prec:>9} {m['determinate_n']:6d}")
    overall = summary["determinate_precision"]
    lines.append(f"{'all':10} {'':9} {'-' if overall is None else format(overall, '.3f'):>9}")
    for name in ("suppliers", "exemptions"):
        m = summary[name]
        lines.append(f"{name:10} precision {m['precision']:.3f} recall {m['recall']:.3f} "
                     f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    lines += ["", "confusion tables (rows: label, columns: predicted):"]
    for field, table in summary["confusion"].items():
        lines += ["", *confusion_table(field, table)]
    if show_errors:
        lines += ["", "errors:"]
        for r in rows:
            for field in (*FIELDS, "suppliers", "exemptions"):
                gold = r["labels"].get(field, [] if field in ("suppliers", "exemptions") else "not_answered")
                if field == "suppliers":
                    gold = sorted({normalise_supplier(x) for x in gold})
                elif field == "exemptions":
                    gold = sorted(gold)
                if gold != r["predicted"][field]:
                    lines.append(f"  {r['file']} {field}: label {gold} predicted {r['predicted'][field]}")
    return "\n".join(lines)


def perturbed_report(corpus: Path, which: str, minimum: float = 0.95) -> int:
    """Accuracy per use field under each perturbation; exit 1 if any falls below ``minimum``."""
    names = list(PERTURBATIONS) if which == "all" else [which]
    use_fields = tuple(f"{kind}_use" for kind in KINDS)
    print(f"{'perturbation':16}" + "".join(f"{f:>10}" for f in FIELDS) + f"{'det.prec':>10}")
    worst = 1.0
    for name in names:
        summary, _ = evaluate(corpus, PERTURBATIONS[name])
        accuracies = [summary["fields"][f]["accuracy"] for f in FIELDS]
        worst = min(worst, *(summary["fields"][f]["accuracy"] for f in use_fields))
        precision = summary["determinate_precision"]
        print(f"{name:16}" + "".join(f"{a:10.3f}" for a in accuracies) + f"{'-' if precision is None else format(precision, '.3f'):>10}")
    print(f"lowest use-field accuracy {worst:.3f} (target {minimum:.2f}): {'yes' if worst >= minimum else 'NO'}")
    return 0 if worst >= minimum else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transform.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder of labelled *.json files")
    parser.add_argument("--json", type=Path, help="write the summary as JSON to this path")
    parser.add_argument("--show-errors", action="store_true", help="list every disagreement with the labels")
    parser.add_argument("--perturb", choices=[*PERTURBATIONS, "all"],
                        help="score the texts as a perturbation leaves them (rewrapped, CRLF, ...), or each in turn")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: not a folder", file=sys.stderr)
        return 2
    if args.perturb:
        return perturbed_report(args.corpus, args.perturb)
    summary, rows = evaluate(args.corpus)
    print(report(summary, rows, args.show_errors))
    if args.json:
        out = {k: v for k, v in summary.items() if k != "confusion"}
        out["fields"] = {f: {"accuracy": m["accuracy"], "determinate_precision": m["determinate_precision"]}
                         for f, m in summary["fields"].items()}
        out["suppliers"] = {k: summary["suppliers"][k] for k in ("precision", "recall")}
        out["exemptions"] = {k: summary["exemptions"][k] for k in ("precision", "recall")}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
