"""The Datasette metadata of the site: title, description, licence, tables and canned queries.

Table and column descriptions, sorts, labels and facets come from schema/tables.py through
``schema.derive.datasette_tables``; this module adds what is about the site as a whole.
"""

from __future__ import annotations

from html import escape

from publish.queries import QUERIES
from schema.derive import datasette_tables
from schema.tables import metadata as schema

DATABASE = "foi"
TITLE = "UK police facial recognition: what forces disclose"
DESCRIPTION = (
    "What UK police forces say about their use of live, retrospective and operator-initiated facial "
    "recognition, their suppliers, their data protection impact assessments and the exemptions they "
    "cite, read from their answers to Freedom of Information requests on WhatDoTheyKnow and in their "
    "own disclosure logs. Every answer links to the sentence of the document it came from."
)
HOW_MADE = (
    "A crawler collects the requests and their replies; the text of every letter and attachment is "
    "extracted (scans by OCR); rules read each force's own words into answers; a per-force table keeps "
    "the latest answer to each question."
)
LIMITS = (
    "Limits: answers are extracted by rules and can be wrong, so check the quote and the source before "
    "relying on one. A force that was never asked, or whose reply was not found, has no answer; no "
    "answer is not a no. Doubtful answers are listed in the review queue, not hidden."
)
LICENSE = "CC BY 4.0 (the dataset); the FOI responses quoted are public records under the Open Government Licence v3.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "WhatDoTheyKnow and UK police forces' FOI disclosure logs"
SOURCE_URL = "https://www.whatdotheyknow.com/"
DEMO_NOTICE = ("DEMO DATA: this site was built from the project's local mirror, whose requests and answers are "
               "invented for testing. Nothing here is a finding about a real police force.")
DOWNLOADS_PATH = "/downloads"
FEED_NAME = "changes.atom"

# Shown on every table and query page: Datasette 1.0 no longer passes these down from the top level.
ATTRIBUTION = {"license": LICENSE, "license_url": LICENSE_URL, "source": SOURCE, "source_url": SOURCE_URL}


def build_line(mode: str, build: dict) -> str:
    built = build["built_at"].strftime("%Y-%m-%d %H:%M UTC")
    return f"Built {built} ({mode} build {build['build_id']})."


def site_title(mode: str) -> str:
    return f"DEMO - {TITLE}" if mode == "demo" else TITLE


def _home_html(mode: str, build: dict, prefix: str) -> str:
    """The home page text: what, how, limits, build, the canned queries, a search box across
    titles and documents, and links to the downloads and the feed. Only our own text goes in here, escaped."""
    # The demo notice is not repeated here: the banner of every page already carries it.
    paragraphs = [DESCRIPTION, HOW_MADE, LIMITS, build_line(mode, build)]
    questions = "\n".join(f'<li><a href="/{DATABASE}/{name}">{escape(query["title"])}</a></li>'
                          for name, query in QUERIES.items() if name != "search")
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs) + f"""
<p>Questions answered from the data:</p>
<ul>
{questions}
</ul>
<form class="search-all" action="/{DATABASE}/search" method="get">
  <label for="search-all-q">Search request titles and document text</label>
  <input type="search" id="search-all-q" name="q">
  <input type="submit" value="Search">
</form>
<p><a href="{DOWNLOADS_PATH}">Downloads</a>: every table as CSV and Parquet, the SQLite file and
a datapackage.json &middot; <a href="/{DATABASE}/force_status_wide">Answers per force</a> &middot;
<a href="{DOWNLOADS_PATH}/{prefix}{FEED_NAME}">What changed (Atom feed)</a></p>"""


def links_to(name: str) -> dict:
    """Columns of a table that hold another table's id: its foreign keys, and the id columns that
    tables.py lists under info["links"] (the roll-up's finding ids). The row template links them."""
    table = schema.tables[name]
    links = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
    return {column: links.get(column) or table.info["links"][column]
            for column in table.columns.keys() if column in links or column in table.info.get("links", {})}


def site_metadata(mode: str, build: dict, prefix: str = "") -> dict:
    description = f"{DESCRIPTION} {LIMITS} {build_line(mode, build)}"
    if mode == "demo":
        description = f"{DEMO_NOTICE} {description}"
    tables = datasette_tables()
    for entry in list(tables.values()):
        entry.update(ATTRIBUTION)
        if entry.get("fts_table"):
            # The full-text index is internal: people search from the table page or the search query.
            tables[entry["fts_table"]] = {"hidden": True}
    queries = {name: {**query, **ATTRIBUTION} for name, query in QUERIES.items()}
    return {
        "title": site_title(mode),
        "description_html": _home_html(mode, build, prefix),
        **ATTRIBUTION,
        "about": "Downloads", "about_url": DOWNLOADS_PATH,
        "databases": {DATABASE: {"description": description, "tables": tables, "queries": queries, **ATTRIBUTION}},
    }


# Keys that Datasette 1.0 reads from its configuration file rather than from metadata.
CONFIG_KEYS = {"sort", "sort_desc", "facets", "label_column", "fts_table", "fts_pk", "hidden", "size", "queries"}


def datasette_config(site: dict) -> dict:
    """The Datasette 1.0 configuration (``-c datasette.json``) for the same site: 1.0 reads table
    set-up and canned queries from configuration, not metadata. The 0.65 line reads metadata.json
    alone; 1.0 is served with both (see publish/check_latest.py)."""
    database = site["databases"][DATABASE]
    tables = {name: {k: v for k, v in entry.items() if k in CONFIG_KEYS} for name, entry in database["tables"].items()}
    return {"databases": {DATABASE: {"queries": database["queries"], "tables": tables}}}
