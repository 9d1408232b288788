"""The force registry and supplier table load, and a bad row is reported with its line."""

import csv
import shutil

import pytest

from reference.registry import FORCES_CSV, RegistryError, load_forces, load_suppliers


def test_registry_has_every_force_with_unique_ids():
    forces = load_forces()
    assert len(forces) == 49
    assert len({f.force_id for f in forces}) == 49
    met = next(f for f in forces if f.force_id == "metropolitan")
    assert met.wdtk_url_name == "the_met" and met.ons_code == "E23000001"
    assert "Met Police" in met.aliases


def _broken_copy(tmp_path, old, new):
    path = tmp_path / "forces.csv"
    shutil.copyfile(FORCES_CSV, path)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("old,new,message", [
    ("kent,Kent Police", "essex,Kent Police", "duplicate force_id"),
    ("Kent,England,territorial,E23000032", "Kent,Englund,territorial,E23000032", "country 'Englund'"),
    ("Kent,England,territorial,E23000032", "Kent,England,regional,E23000032", "type 'regional'"),
    ("Kent,England,territorial,E23000032", "Kent,England,territorial,E2300032", "ons_code 'E2300032'"),
])
def test_bad_row_names_the_line_and_force(tmp_path, old, new, message):
    path = _broken_copy(tmp_path, old, new)
    with pytest.raises(RegistryError) as error:
        load_forces(path)
    assert message in str(error.value)
    assert f"{path}:" in str(error.value)
    assert "force essex" in str(error.value) or "force kent" in str(error.value)


def test_suppliers_table_covers_the_named_suppliers():
    ids = {s.supplier_id for s in load_suppliers()}
    assert {"nec", "cognitec", "idemia", "clearview-ai", "facewatch", "home-office-pnd", "caid", "corsight",
            "digital-barriers", "briefcam", "veritone", "amazon-rekognition", "hikvision", "dahua", "axon",
            "motorola-solutions"} <= ids
    nec = next(s for s in load_suppliers() if s.supplier_id == "nec")
    assert {"NeoFace Live", "NeoFace Watch", "NeoFace Retrospective"} <= set(nec.products)


def test_a_supplier_name_that_is_an_ordinary_word_counts_only_as_written():
    from transform.answers.suppliers import find

    def found(text):
        return [(term.supplier_id, text[a:b]) for term, a, b in find(text)]
    assert found("Officers fortify the cordon and identify the axon of the problem.") == []
    assert found("The force's live facial recognition software is Fortify.") == [("corsight", "Fortify")]


def test_exact_case_must_name_one_of_the_suppliers_own_names(tmp_path):
    with FORCES_CSV.with_name("suppliers.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    corsight = next(r for r in rows if r["supplier_id"] == "corsight")
    path = tmp_path / "suppliers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(corsight))
        writer.writeheader()
        writer.writerow({**corsight, "exact_case": "Fortress"})
    with pytest.raises(RegistryError, match="exact_case names .'Fortress'."):
        load_suppliers(path)
