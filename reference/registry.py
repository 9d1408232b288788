"""Load and validate the reference tables: the force registry and the supplier table.

Both are CSV files kept in this folder and edited by hand, so every load checks them and a
problem is reported with the file, the line and what to fix.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
FORCES_CSV = HERE / "forces.csv"
SUPPLIERS_CSV = HERE / "suppliers.csv"

COUNTRIES = {"England", "Wales", "Scotland", "Northern Ireland", "UK-wide"}
FORCE_TYPES = {"territorial", "special", "national"}
PLATFORMS = {"", "soh", "bespoke"}
# ONS police force area codes: E23 (England) and W15 (Wales) followed by six digits.
ONS_CODE = re.compile(r"^(E23|W15)\d{6}$")
FORCE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WDTK_URL_NAME = re.compile(r"^[a-z0-9_]+$")


class RegistryError(ValueError):
    """A reference file is malformed; the message names the file, line and problem."""


@dataclass(frozen=True)
class Force:
    force_id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    type: str
    ons_code: str
    website: str
    wdtk_url_name: str
    disclosure_log_url: str
    platform: str
    soh_slug: str
    hq_lat: float | None
    hq_lon: float | None
    hq_postcode: str
    wikidata_qid: str
    source: str
    notes: str

    def as_row(self) -> dict:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["aliases"] = list(self.aliases)
        return row


@dataclass(frozen=True)
class Supplier:
    supplier_id: str
    name: str
    aliases: tuple[str, ...]
    products: tuple[str, ...]
    country: str
    # The technology (a kind or a family of reference/technologies/) the supplier's name alone
    # stands for: "searched on the PND" is retrospective facial recognition.
    technology: str
    # "yes": the name alone counts only in a sentence naming that technology (PND and Hikvision
    # have many other uses).
    name_needs_context: str
    # Names that are also ordinary words ("Fortify", "Axon"): they count only written as here.
    exact_case: tuple[str, ...]
    notes: str

    def as_row(self) -> dict:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["aliases"], row["products"], row["exact_case"] = list(self.aliases), list(self.products), list(self.exact_case)
        return row


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _float(value: str, where: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise RegistryError(f"{where}: {value!r} is not a number") from None


def _rows(path: Path, required: list[str]):
    """Yield (line number, row) for each data row, after checking the header."""
    if not path.exists():
        raise RegistryError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise RegistryError(f"{path}:1: header lacks columns {missing}")
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def load_forces(path: Path = FORCES_CSV) -> list[Force]:
    """Every force in the registry, validated: unique ids and url_names, known countries and
    types, well-formed ONS codes. Raises RegistryError naming the bad row."""
    columns = [f.name for f in fields(Force)]
    forces, seen_ids, seen_wdtk = [], {}, {}
    for line, row in _rows(path, columns):
        where = f"{path}:{line} (force {row['force_id'] or '?'})"
        if not FORCE_ID.match(row["force_id"]):
            raise RegistryError(f"{where}: force_id must be lower-case words joined by '-'")
        if row["force_id"] in seen_ids:
            raise RegistryError(f"{where}: duplicate force_id, first seen on line {seen_ids[row['force_id']]}")
        seen_ids[row["force_id"]] = line
        if not row["name"]:
            raise RegistryError(f"{where}: name is empty")
        if row["country"] not in COUNTRIES:
            raise RegistryError(f"{where}: country {row['country']!r} is not one of {sorted(COUNTRIES)}")
        if row["type"] not in FORCE_TYPES:
            raise RegistryError(f"{where}: type {row['type']!r} is not one of {sorted(FORCE_TYPES)}")
        if row["ons_code"] and not ONS_CODE.match(row["ons_code"]):
            raise RegistryError(f"{where}: ons_code {row['ons_code']!r} is not an E23/W15 code with six digits")
        if row["country"] in {"England", "Wales"} and row["type"] == "territorial" and not row["ons_code"]:
            raise RegistryError(f"{where}: a territorial force in {row['country']} needs its ons_code")
        if row["platform"] not in PLATFORMS:
            raise RegistryError(f"{where}: platform {row['platform']!r} is not one of {sorted(PLATFORMS)}")
        if row["wdtk_url_name"]:
            if not WDTK_URL_NAME.match(row["wdtk_url_name"]):
                raise RegistryError(f"{where}: wdtk_url_name {row['wdtk_url_name']!r} is not a WhatDoTheyKnow url_name")
            if row["wdtk_url_name"] in seen_wdtk:
                raise RegistryError(f"{where}: wdtk_url_name already used on line {seen_wdtk[row['wdtk_url_name']]}")
            seen_wdtk[row["wdtk_url_name"]] = line
        forces.append(Force(
            **{**row, "aliases": _split(row["aliases"]),
               "hq_lat": _float(row["hq_lat"], where), "hq_lon": _float(row["hq_lon"], where)}
        ))
    if not forces:
        raise RegistryError(f"{path}: no forces")
    return forces


def load_suppliers(path: Path = SUPPLIERS_CSV) -> list[Supplier]:
    """Every supplier in the supplier table, validated: unique ids, names and product names."""
    columns = [f.name for f in fields(Supplier)]
    suppliers, seen = [], {}
    for line, row in _rows(path, columns):
        where = f"{path}:{line} (supplier {row['supplier_id'] or '?'})"
        if not FORCE_ID.match(row["supplier_id"]):
            raise RegistryError(f"{where}: supplier_id must be lower-case words joined by '-'")
        if not row["name"]:
            raise RegistryError(f"{where}: name is empty")
        if row["name_needs_context"] not in ("", "yes"):
            raise RegistryError(f"{where}: name_needs_context must be 'yes' or empty")
        for term in (row["name"], *_split(row["aliases"]), *_split(row["products"])):
            key = term.casefold()
            if seen.get(key, row["supplier_id"]) != row["supplier_id"]:
                raise RegistryError(f"{where}: {term!r} is already used by {seen[key]}")
            seen[key] = row["supplier_id"]
        terms = {row["name"], *_split(row["aliases"]), *_split(row["products"])}
        if set(_split(row["exact_case"])) - terms:
            raise RegistryError(f"{where}: exact_case names {sorted(set(_split(row['exact_case'])) - terms)}, "
                                "which are not the supplier's name, aliases or products")
        suppliers.append(Supplier(**{**row, "aliases": _split(row["aliases"]), "products": _split(row["products"]),
                                     "exact_case": _split(row["exact_case"])}))
    return suppliers


@cache
def forces_by_id() -> dict[str, Force]:
    return {f.force_id: f for f in load_forces()}


@cache
def forces_by_wdtk_url_name() -> dict[str, Force]:
    return {f.wdtk_url_name: f for f in load_forces() if f.wdtk_url_name}
