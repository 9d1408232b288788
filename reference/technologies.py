"""Load and validate the technology registry: one YAML file per technology family in
``reference/technologies/`` (format and meaning in ``docs/technologies.md``).

Every layer reads the registry instead of naming technologies itself: the spiders' search terms,
the answer reader's words for each kind, the tables' technology columns and the ``technologies``
table, the canned queries, the evaluation's fields and the site's labels. A file that is
malformed stops every step with its name, the entry and what to fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from reference.registry import RegistryError

# FOI_TECHNOLOGIES_DIR: another registry folder, to try a new technology file on a copy before
# adding it (tests/test_technology_added.py does so).
TECHNOLOGIES_DIR = Path(os.environ.get("FOI_TECHNOLOGIES_DIR") or Path(__file__).parent / "technologies")
TECHNOLOGY_ID = re.compile(r"^[a-z][a-z0-9_]{1,15}$")
SEARCH_SOURCES = ("wdtk", "logs")
# Questions asked of a family as a whole (kinds are asked about use): their answers are
# force_status rows and force_status_wide columns per family.
FAMILY_QUESTIONS = {"planned": "plans to start or extend {name}",
                    "dpia": "the data protection impact assessment (DPIA) for {name}"}
# Where a context may decide the kind of an unnamed mention of the family (see Context).
CONTEXT_USES = ("questions", "affirmations", "denials")


@dataclass(frozen=True)
class Context:
    """Words that tie a mention of the family naming no kind to one kind: "facial recognition on
    CCTV footage" is retrospective, "... at football matches" live. ``uses``: where the tie holds
    (a denial "at any protest" is a live denial; "from recordings" does not narrow a denial)."""
    kind: str
    name: str                       # in the rule name: affirmed_use_<name>_context
    patterns: tuple[str, ...]
    uses: tuple[str, ...]

    @property
    def pattern(self) -> str:
        return "|".join(self.patterns)


@dataclass(frozen=True)
class Kind:
    technology_id: str
    family: str
    name: str
    short_name: str
    description: str
    names: tuple[str, ...]          # regular expressions that name the kind
    list_word: str                  # the word that names it in "live and retrospective FR"
    products: tuple[str, ...]       # products whose use is use of this kind
    names_it: tuple[str, ...]       # example sentences that name it (run as tests)
    does_not_name_it: tuple[str, ...]

    @property
    def pattern(self) -> str:
        return "|".join(self.names)

    def as_row(self) -> dict:
        return {"technology_id": self.technology_id, "family": self.family, "name": self.name,
                "short_name": self.short_name, "description": self.description,
                "products": list(self.products)}


@dataclass(frozen=True)
class Family:
    family: str
    name: str
    short_name: str
    description: str
    names: tuple[str, ...]          # regular expressions that name the family without a kind
    list_noun: str                  # what a list of kinds qualifies ("facial recognition")
    log_items_about: tuple[str, ...]      # a disclosure-log item with one of these is about it
    log_items_candidate: tuple[str, ...]  # a listing entry with one of these is worth fetching
    search_terms: dict[str, tuple[str, ...]]
    kinds: tuple[Kind, ...]
    path: Path
    narrowing: tuple[str, ...] = ()       # words that narrow a statement about the family to something else
    contexts: tuple[Context, ...] = ()    # tried in order; the first that matches decides the kind
    status_columns: tuple[tuple[str, str], ...] = ()  # (question, force_status_wide column) per FAMILY_QUESTIONS
    position: int = 1000                  # where the family comes in tables and on the site (lower first)

    @property
    def pattern(self) -> str:
        return "|".join(self.names)

    def as_row(self) -> dict:
        """The family as a row of the technologies table: findings about the technology in general
        (plans, the DPIA) and answers that name no kind are about the family."""
        return {"technology_id": self.family, "family": self.family, "name": self.name,
                "short_name": self.short_name, "description": self.description,
                "products": [p for kind in self.kinds for p in kind.products]}


def _text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def _texts(entry: dict, key: str, where: str, required: bool = True) -> tuple[str, ...]:
    value = entry.get(key, [] if not required else None)
    if value is None or not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: '{key}' must be a list of texts")
    if required and not value:
        raise RegistryError(f"{where}: '{key}' is empty")
    return tuple(v.strip() for v in value)


def _compiles(pattern: str, key: str, where: str) -> str:
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise RegistryError(f"{where}: the pattern {pattern!r} in '{key}' is not a valid regular expression "
                            f"({error})") from None
    return pattern


def _patterns(entry: dict, key: str, where: str) -> tuple[str, ...]:
    return tuple(_compiles(pattern, key, where) for pattern in _texts(entry, key, where))


def _contexts(entry: dict, kinds: list[Kind], where: str) -> tuple[Context, ...]:
    raw = entry.get("contexts") or []
    if not isinstance(raw, list):
        raise RegistryError(f"{where}: 'contexts' must be a list of {{kind, name, uses, patterns}}")
    ids = {kind.technology_id for kind in kinds}
    contexts = []
    for item in raw:
        if not isinstance(item, dict) or item.get("kind") not in ids:
            raise RegistryError(f"{where}: each context needs a 'kind' among {sorted(ids)}")
        uses = _texts(item, "uses", f"{where} context {item['kind']}")
        if set(uses) - set(CONTEXT_USES):
            raise RegistryError(f"{where} context {item['kind']}: 'uses' must be among {', '.join(CONTEXT_USES)}")
        contexts.append(Context(kind=item["kind"], name=_identifier(item.get("name"), f"{where} context name"),
                                patterns=_patterns(item, "patterns", f"{where} context {item['kind']}"), uses=uses))
    return tuple(contexts)


def _status_columns(entry: dict, family: str, where: str) -> tuple[tuple[str, str], ...]:
    """Column names default to <family>_<question>; a family may keep names already published."""
    raw = entry.get("status_columns") or {}
    if not isinstance(raw, dict) or set(raw) - set(FAMILY_QUESTIONS):
        raise RegistryError(f"{where}: 'status_columns' may name columns for {', '.join(FAMILY_QUESTIONS)} only")
    return tuple((question, _identifier(raw.get(question, f"{family}_{question}"), f"{where} status_columns"))
                 for question in FAMILY_QUESTIONS)


def _position(entry: dict, where: str) -> int:
    value = entry.get("position", 1000)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RegistryError(f"{where}: 'position' must be a whole number (lower comes first)")
    return value


def _identifier(value, where: str) -> str:
    if not isinstance(value, str) or not TECHNOLOGY_ID.match(value):
        raise RegistryError(f"{where}: id {value!r} must be 2-16 lower-case letters, digits or '_', "
                            "starting with a letter")
    return value


def load_family(path: Path) -> Family:
    """One registry file, validated."""
    try:
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RegistryError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(entry, dict):
        raise RegistryError(f"{path}: expected a mapping with family, name, names, search_terms and kinds")
    family = _identifier(entry.get("family"), f"{path} (family)")
    where = f"{path} (family {family})"
    terms = entry.get("search_terms")
    if not isinstance(terms, dict) or set(terms) - set(SEARCH_SOURCES):
        raise RegistryError(f"{where}: 'search_terms' must map {' and '.join(SEARCH_SOURCES)} to lists of terms")
    search_terms = {source: _texts(terms, source, f"{where} search_terms") for source in SEARCH_SOURCES}
    log_items = entry.get("log_items")
    if not isinstance(log_items, dict):
        raise RegistryError(f"{where}: 'log_items' must have 'about' and 'candidate' lists of patterns")
    raw_kinds = entry.get("kinds")
    if not isinstance(raw_kinds, list) or not raw_kinds:
        raise RegistryError(f"{where}: 'kinds' must list at least one kind")
    kinds = []
    for raw in raw_kinds:
        if not isinstance(raw, dict):
            raise RegistryError(f"{where}: each kind must be a mapping")
        kind_id = _identifier(raw.get("id"), f"{where} kind")
        kind_where = f"{path} (kind {kind_id})"
        examples = raw.get("examples") or {}
        kinds.append(Kind(
            technology_id=kind_id, family=family, name=_text(raw, "name", kind_where),
            short_name=_text(raw, "short_name", kind_where), description=_text(raw, "description", kind_where),
            names=_patterns(raw, "names", kind_where), list_word=_text(raw, "list_word", kind_where),
            products=_texts(raw, "products", kind_where, required=False),
            names_it=_texts(examples, "names_it", f"{kind_where} examples"),
            does_not_name_it=_texts(examples, "does_not_name_it", f"{kind_where} examples"),
        ))
    return Family(family=family, name=_text(entry, "name", where), short_name=_text(entry, "short_name", where),
                  description=_text(entry, "description", where),
                  names=_patterns(entry, "names", where),
                  list_noun=_compiles(_text(entry, "list_noun", where), "list_noun", where),
                  log_items_about=_patterns(log_items, "about", f"{where} log_items"),
                  log_items_candidate=_patterns(log_items, "candidate", f"{where} log_items"),
                  search_terms=search_terms, kinds=tuple(kinds), path=path,
                  narrowing=_patterns(entry, "narrowing", where) if entry.get("narrowing") else (),
                  contexts=_contexts(entry, kinds, where), status_columns=_status_columns(entry, family, where),
                  position=_position(entry, where))


@cache
def load_families(folder: Path = TECHNOLOGIES_DIR) -> tuple[Family, ...]:
    """Every family of the registry, by position then file name, with ids and products unique across all."""
    families = tuple(sorted((load_family(path) for path in sorted(Path(folder).glob("*.yaml"))),
                            key=lambda f: f.position))
    if not families:
        raise RegistryError(f"{folder}: no technology files (*.yaml); the registry needs at least one family")
    seen: dict[str, Path] = {}
    products: dict[str, str] = {}
    for family in families:
        for identifier in (family.family, *(k.technology_id for k in family.kinds)):
            if identifier in seen:
                raise RegistryError(f"{family.path}: id {identifier!r} is already used in {seen[identifier]}")
            seen[identifier] = family.path
        for kind in family.kinds:
            for product in kind.products:
                if products.setdefault(product.casefold(), kind.technology_id) != kind.technology_id:
                    raise RegistryError(f"{family.path} (kind {kind.technology_id}): product {product!r} is "
                                        f"already listed under {products[product.casefold()]}")
    return families


def family(family_id: str) -> Family:
    """One family by its id, e.g. ``fr``."""
    for found in load_families():
        if found.family == family_id:
            return found
    raise RegistryError(f"{TECHNOLOGIES_DIR}: no technology family {family_id!r}")


@cache
def kinds() -> tuple[Kind, ...]:
    """Every kind of every family, in registry order: the technologies findings are about."""
    return tuple(kind for family in load_families() for kind in family.kinds)


def kind_ids() -> tuple[str, ...]:
    return tuple(kind.technology_id for kind in kinds())


@cache
def product_kinds() -> dict[str, str]:
    """Product name (case-folded) -> the kind its use is use of."""
    return {product.casefold(): kind.technology_id for kind in kinds() for product in kind.products}


def rows() -> list[dict]:
    """The technologies table: each family, then its kinds."""
    return [row for family in load_families() for row in (family.as_row(), *(k.as_row() for k in family.kinds))]


def log_item_patterns() -> tuple[str, str]:
    """(about, candidate): one pattern each over every family, for the disclosure-log spiders."""
    about = [p for family in load_families() for p in family.log_items_about]
    candidate = [p for family in load_families() for p in family.log_items_candidate]
    return "|".join(about), "|".join(about + candidate)


def search_terms(source: str) -> list[str]:
    """The crawl's search terms for ``source`` (wdtk or logs), over every family, without repeats."""
    return list(dict.fromkeys(term for family in load_families() for term in family.search_terms[source]))


@dataclass(frozen=True)
class StatusField:
    """One answer column of force_status_wide: the findings (question, technology) it rolls up."""
    field: str
    question: str
    technology: str
    description: str


@cache
def status_fields() -> tuple[StatusField, ...]:
    """Per family, the use of each kind, then the family's own questions (plans, the DPIA)."""
    fields = []
    for family in load_families():
        fields += [StatusField(f"{kind.technology_id}_use", "use", kind.technology_id, f"use of {kind.name}")
                   for kind in family.kinds]
        fields += [StatusField(column, question, family.family, FAMILY_QUESTIONS[question].format(name=family.name))
                   for question, column in family.status_columns]
    return tuple(fields)


def family_ids() -> tuple[str, ...]:
    return tuple(family.family for family in load_families())
