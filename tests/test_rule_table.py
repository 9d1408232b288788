"""The rule table (transform/answers/rule_table.yaml): each rule's examples give its answer and its
counter-examples do not; its patterns and guards name real code; README.md's table is generated
from it; the reader takes every confidence from it."""

import pytest

from transform.answers import Document, exemptions, reader, rule_table, rules, suppliers, vocab
from transform.answers.reader import candidate_findings

GUARDS, RULES = rule_table.load()
MODULES = (rules, vocab, reader, suppliers, exemptions)


def documents(example: dict) -> list[Document]:
    docs = [Document("request", "request", "requester", example["request"])] if example.get("request") else []
    return docs + [Document("reply", "response", "force", example["reply"])]


def proposed(example: dict, names) -> dict[str, str]:
    """technology/question -> answer, of the candidates of rules ``names``."""
    return {f"{f.technology}/{f.question}": f.answer for f in candidate_findings(documents(example)) if f.rule in names}


@pytest.mark.parametrize("rule, example", [(r, e) for r in RULES for e in r.examples],
                         ids=lambda v: getattr(v, "name", None) or v["reply"][:40])
def test_each_example_gives_the_rules_answer(rule, example):
    name = example.get("rule", rule.name)
    assert name in rule.names, f"{name} is not one of {rule.names}"
    found = proposed(example, {name})
    assert {key: found.get(key) for key in example["gives"]} == example["gives"]


@pytest.mark.parametrize("rule, example", [(r, e) for r in RULES for e in r.counter_examples],
                         ids=lambda v: getattr(v, "name", None) or v["reply"][:40])
def test_each_counter_example_gives_nothing_by_the_rule(rule, example):
    assert proposed(example, set(rule.names)) == {}, example["why"]


def _exists(name: str) -> bool:
    if name == "contexts":  # the registry's contexts (reference/technologies/*.yaml)
        return True
    module, _, attribute = name.rpartition(".")
    candidates = [m for m in MODULES if not module or m.__name__.endswith("." + module)]
    return any(hasattr(m, attribute) or hasattr(reader.Reader, attribute) for m in candidates)


def test_patterns_and_guard_code_name_real_code():
    missing = [p for r in RULES for p in r.patterns if not _exists(p)]
    missing += [c for g in GUARDS.values() for c in g.code if not _exists(c)]
    assert missing == []


def test_every_guard_is_used_by_a_rule():
    assert set(GUARDS) == {g for r in RULES for g in r.guards}


def test_readme_rule_table_is_generated_from_the_table():
    text = rule_table.README.read_text(encoding="utf-8")
    assert text == rule_table.readme_with_table(text), "run: python -m transform.answers.rule_table --readme"


def test_confidences_come_from_the_table(monkeypatch):
    example = {"reply": "The constabulary has never deployed live facial recognition."}
    monkeypatch.setitem(rule_table.by_name(), "denial_specific",
                        rule_table.by_name()["denial_specific"].__class__(
                            **{**rule_table.by_name()["denial_specific"].__dict__, "confidence": 0.42}))
    assert {f.confidence for f in candidate_findings(documents(example)) if f.rule == "denial_specific"} == {0.42}


def test_a_rule_missing_from_the_table_is_refused_by_name():
    with pytest.raises(KeyError, match="no_such_rule"):
        rule_table.confidence("no_such_rule")


@pytest.mark.parametrize("change, message", [
    ({"confidence": 1.5}, "confidence"),
    ({"guards": ["unheard_of"]}, "unknown guards"),
    ({"counter_examples": []}, "counter-example"),
    ({"name": "denial_this_technology"}, "already a rule"),
])
def test_a_malformed_rule_is_refused_with_its_name(tmp_path, change, message):
    import yaml
    data = yaml.safe_load(rule_table.TABLE.read_text(encoding="utf-8"))
    data["rules"][0] = {**data["rules"][0], **change}
    path = tmp_path / "rule_table.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(rule_table.RuleTableError, match=message):
        rule_table.load.__wrapped__(path)
