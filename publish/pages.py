"""The configuration of the site's own pages (overview at /, /force/<id>, /gaps, /map,
/batch/<id>, the evidence on a finding's page), written by publish as ``plugins/pages.json`` for
the plugin that serves them (``publish/plugins/pages.py``, which must not import the project:
it runs inside Datasette from the published site folder).

Knowledge is data, not code: the colours and words of each answer in ``pages_data/palette.csv``,
the columns' headings and the ask-again letter in ``pages_data/questions.toml``, the map's tiles
in ``reference/force_map.csv``. It also says which columns a table page shows first. Which columns there are comes from schema/tables.py: every answer
of ``force_status_wide`` (a column with a ``_finding_id`` beside it) is a column of the overview, so a
new technology there is a new column here.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from publish.queries import AWAITING_STATES, QUERIES
from reference import technologies
from schema.tables import metadata

HERE = Path(__file__).parent / "pages_data"
PALETTE = HERE / "palette.csv"
QUESTIONS = HERE / "questions.toml"
MAP_LAYOUT = Path(__file__).parent.parent / "reference" / "force_map.csv"
WDTK = "https://www.whatdotheyknow.com"
# An answer older than this (on the build's date) is listed on /gaps as due to be asked again.
STALE_DAYS = 365
FINDING_ID = "_finding_id"


def status_fields() -> list[dict]:
    """Each answer column of force_status_wide, in the table's order, with the finding question and
    technology it rolls up (the technology registry's status fields: ``<kind>_use`` per kind, then
    each family's plans and DPIA) and its heading and label from questions.toml."""
    questions = tomllib.loads(QUESTIONS.read_text(encoding="utf-8"))
    registry = {f.field: f for f in technologies.status_fields()}
    technology_rows = {row["technology_id"]: row for row in technologies.rows()}
    fields = []
    for column in metadata.tables["force_status_wide"].columns.keys():
        if not column.endswith(FINDING_ID):
            continue
        field = registry[column[:-len(FINDING_ID)]]
        question, technology = field.question, technology_rows[field.technology]
        words = {"abbreviation": technology["short_name"], "technology": technology["name"]}
        fields.append({"field": field.field, "question": question, "technology": field.technology,
                       "family": technology["family"],
                       "technology_name": words["technology"],
                       "heading": questions[question]["heading"].format(**words),
                       "label": questions[question]["label"].format(**words)})
    return fields


def key_columns() -> dict:
    """Per table, the columns its table page shows first. On force_status_wide: the force and its
    answers, with each answer's candidate, date, quote, link and finding after them all, so the
    answers fit on a screen; other tables already start with their ids and answers."""
    columns = metadata.tables["force_status_wide"].columns.keys()
    # An answer's details are the columns named after it (transform/rollup.py WIDE_FROM_LONG).
    details = {c for c in columns for f in status_fields() if c.startswith(f"{f['field']}_")}
    return {"force_status_wide": [c for c in columns if c not in details]}


def palette() -> dict:
    with PALETTE.open(encoding="utf-8", newline="") as handle:
        return {row["state"]: row for row in csv.DictReader(handle)}


def map_layout() -> list[dict]:
    with MAP_LAYOUT.open(encoding="utf-8", newline="") as handle:
        return [{**row, "row": int(row["row"]), "col": int(row["col"])} for row in csv.DictReader(handle)]


def evidence_tables() -> dict:
    """Tables whose rows quote a document (schema/tables.py ``_evidence_columns``): table -> key."""
    return {t.name: t.primary_key.columns.keys()[0] for t in metadata.sorted_tables
            if "evidence_document_id" in t.columns}


def pages_config(database: str, prefix: str = "") -> dict:
    """``prefix``: what the download files' names start with (DEMO- in demo builds)."""
    questions = tomllib.loads(QUESTIONS.read_text(encoding="utf-8"))
    return {"database": database, "download_prefix": prefix, "fields": status_fields(), "palette": palette(), "map": map_layout(),
            "law": questions.pop("law"), "letters": questions, "evidence_tables": evidence_tables(),
            "key_columns": key_columns(),
            # A force's page lists the force_timeline canned query's rows: the same SQL, so the two agree.
            "timeline_sql": QUERIES["force_timeline"]["sql"],
            # A force with a request in these states was asked and owes an answer: not a gap.
            "awaiting_states": list(AWAITING_STATES),
            "stale_days": STALE_DAYS, "wdtk": WDTK}
