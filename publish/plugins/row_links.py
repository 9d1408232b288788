"""Links on a row's own page to the rows its id columns point at.

Datasette links foreign keys on table pages but not on a row's page, so a finding would not lead
to its request and evidence document. ``links.json`` beside this file (written by publish from
schema/tables.py) lists, per table, the columns holding another table's id; the row template
(publish/templates/row.html) turns them into links. Kept out of the metadata so the same plugin
works on Datasette 0.65 and 1.0, which read metadata differently.
"""

import json
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode

LINKS = json.loads((Path(__file__).parent / "links.json").read_text(encoding="utf-8"))


@hookimpl
def prepare_jinja2_environment(env):
    # Datasette's own encoding of ids in URLs, so an id holding "/" or ":" still links right.
    env.filters["tilde_encode"] = lambda value: tilde_encode(str(value))


@hookimpl
def extra_template_vars(view_name, table):
    return {"links_to": LINKS.get(table, {}) if view_name == "row" else {}}
