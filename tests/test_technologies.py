"""The technology registry (reference/technologies/): validated on load, its examples hold for the
answer reader, and every layer takes its technologies from it."""

import textwrap

import pytest

from reference import technologies
from reference.registry import RegistryError, load_suppliers
from transform.answers.vocab import technologies_in

KINDS = technologies.kinds()


@pytest.mark.parametrize("kind, sentence", [(k, s) for k in KINDS for s in k.names_it],
                         ids=lambda v: getattr(v, "technology_id", v))
def test_each_example_names_its_kind_and_no_other(kind, sentence):
    assert technologies_in(sentence) == {kind.technology_id}


@pytest.mark.parametrize("kind, sentence", [(k, s) for k in KINDS for s in k.does_not_name_it],
                         ids=lambda v: getattr(v, "technology_id", v))
def test_each_counter_example_does_not_name_its_kind(kind, sentence):
    assert kind.technology_id not in technologies_in(sentence)


def test_every_product_of_a_kind_is_a_product_in_the_supplier_table():
    products = {p.casefold() for s in load_suppliers() for p in s.products}
    assert set(technologies.product_kinds()) <= products


def test_the_tables_queries_spiders_and_evaluation_read_the_registry():
    from publish.queries import QUERIES
    from schema.tables import TECHNOLOGIES, TECHNOLOGY_NAMES, force_status_wide
    from scrapers.sites import soh
    from transform.evaluate import FIELDS

    ids = technologies.kind_ids()
    assert TECHNOLOGIES == ids and set(TECHNOLOGY_NAMES) == set(ids)
    assert all(f"{t}_use" in force_status_wide.c and f"forces_using_{t}" in QUERIES for t in ids)
    # the labelled corpus is about facial recognition: the evaluation's fields are its kinds'
    assert [f for f in FIELDS if f.endswith("_use")] == [f"{k.technology_id}_use" for k in technologies.family("fr").kinds]
    assert soh.SEARCH_TERMS == technologies.search_terms("logs")
    rows = {row["technology_id"]: row for row in technologies.rows()}
    assert set(rows) == {*technologies.family_ids(), *ids} and rows["lfr"]["family"] == "fr"


GOOD = """
family: {family}
name: drones
short_name: UAV
description: Remotely piloted aircraft with cameras.
names: ['\\bdrones?\\b']
list_noun: 'drones?'
search_terms:
  wdtk: [drones]
  logs: [drone]
log_items:
  about: ['\\bdrones?\\b']
  candidate: [aerial]
kinds:
  - id: {kind}
    name: drones
    short_name: UAV
    description: Drones flown by the force.
    names: ['{pattern}']
    list_word: drone
    products: {products}
    examples:
      names_it: ["The force flies two drones."]
      does_not_name_it: ["The force uses CCTV."]
"""


def write(folder, name, **values):
    fields = {"family": "uav", "kind": "drone", "pattern": "\\\\bdrones?\\\\b", "products": "[]", **values}
    (folder / f"{name}.yaml").write_text(textwrap.dedent(GOOD.format(**fields)), encoding="utf-8")


def test_a_second_family_file_is_loaded_beside_the_first(tmp_path):
    write(tmp_path, "drones")
    (tmp_path / "facial_recognition.yaml").write_text(
        technologies.family("fr").path.read_text(encoding="utf-8"), encoding="utf-8")
    families = technologies.load_families.__wrapped__(tmp_path)
    # facial recognition has a position, the new file none: it comes after
    assert [f.family for f in families] == ["fr", "uav"]
    assert families[1].kinds[0].technology_id == "drone"


@pytest.mark.parametrize("change, message", [
    ({"pattern": "(unclosed"}, "not a valid regular expression"),
    ({"kind": "Drone Kind"}, "must be 2-16 lower-case"),
    ({"family": "fr"}, "already used"),
    ({"products": "[NeoFace Live]"}, "NeoFace Live. is already listed under"),
])
def test_a_malformed_file_is_refused_with_its_name_and_what_to_fix(tmp_path, change, message):
    (tmp_path / "facial_recognition.yaml").write_text(
        technologies.family("fr").path.read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path, "drones", **change)
    with pytest.raises(RegistryError, match=message) as error:
        technologies.load_families.__wrapped__(tmp_path)
    assert ".yaml" in str(error.value)


def test_an_empty_registry_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="no technology files"):
        technologies.load_families.__wrapped__(tmp_path)
