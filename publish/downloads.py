"""The downloads folder: every table as CSV and Parquet, the SQLite file, datapackage.json, the
Atom feed of changes, and the downloads page that lists them.

In demo builds every file name starts with ``DEMO-`` so a download cannot be mistaken for real
findings once it has left the site.
"""

from __future__ import annotations

import csv
import json
import shutil
from html import escape
from pathlib import Path

from publish.datapackage import datapackage, frictionless_type
from publish.feed import atom_feed
from publish.metadata import DATABASE, DEMO_NOTICE, DOWNLOADS_PATH, FEED_NAME, site_title
from publish.plugins.csv_formulas import defuse
from publish.stream import rows
from schema.derive import arrow_schema, sqlite_value
from schema.tables import PUBLISHED_TABLES, metadata


def file_prefix(mode: str) -> str:
    return "DEMO-" if mode == "demo" else ""


def write_csv(path: Path, table) -> None:
    """UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with the accents right;
    lists as JSON and dates as ISO text, as in the SQLite file. Text that a spreadsheet would run
    as a formula gets a leading ' (``defuse``); everything else is written unchanged."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)  # quotes cells holding commas, quotes or line breaks
        writer.writerow(table.schema_arrow.names)
        for row in rows(table):
            writer.writerow(["" if v is None else defuse(sqlite_value(v)) for v in row.values()])


def write_downloads(folder: Path, tables: dict, parquet_dir: Path, database: Path, mode: str, build: dict) -> None:
    folder.mkdir()
    prefix = file_prefix(mode)
    for name in PUBLISHED_TABLES:
        write_csv(folder / f"{prefix}{name}.csv", tables[name])
        shutil.copyfile(parquet_dir / f"{name}.parquet", folder / f"{prefix}{name}.parquet")
    shutil.copyfile(database, folder / f"{prefix}{DATABASE}.db")
    (folder / f"{prefix}datapackage.json").write_text(
        json.dumps(datapackage(mode, build, prefix), indent=2, ensure_ascii=False), encoding="utf-8")
    force_names = {f["force_id"]: f["name"] for f in rows(tables["forces"])}
    (folder / f"{prefix}{FEED_NAME}").write_bytes(
        atom_feed(list(rows(tables["changes"])), force_names, site_title(mode), build["built_at"]))
    if mode == "demo":
        (folder / "DEMO-README.txt").write_text(DEMO_NOTICE + "\n", encoding="utf-8")


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


def _link(folder: Path, filename: str) -> str:
    # ``download``: the browser saves the file instead of showing it (CSV, JSON and the feed alike).
    return (f'<a href="{DOWNLOADS_PATH}/{escape(filename)}" download>{escape(filename)}</a> '
            f"({_size(folder / filename)})")


def downloads_page(folder: Path, mode: str) -> str:
    """The Jinja template of the /downloads page (it extends the site's base template, so it
    carries the demo notice). Everything in it is our own text, escaped and kept out of Jinja."""
    prefix = file_prefix(mode)
    rows = "\n".join(
        f"<tr><td><a href=\"/{DATABASE}/{name}\">{name}</a></td><td>{escape(metadata.tables[name].comment)}</td>"
        f"<td>{_link(folder, f'{prefix}{name}.csv')}</td><td>{_link(folder, f'{prefix}{name}.parquet')}</td></tr>"
        for name in PUBLISHED_TABLES)
    columns = "\n".join(_columns_section(name) for name in PUBLISHED_TABLES)
    body = f"""<h1>Downloads</h1>
<p>Every table of the site, as CSV (UTF-8, header row, opens in Excel) and Parquet. Column names and
ids are stable: a column is only ever added, never renamed, and every id is built from the source's
own stable id, so rows can be matched across builds.</p>
<p>Titles, messages and quotes are written by anyone on the internet. In the CSV files a text that
starts with <code>=</code>, <code>+</code>, <code>-</code>, <code>@</code>, a tab or a carriage
return starts with an added <code>'</code>, so a spreadsheet shows it instead of running it as a
formula. The Parquet and SQLite files keep the exact text.</p>
<table class="rows-and-columns">
<thead><tr><th>table</th><th>one row per / what</th><th>CSV</th><th>Parquet</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<ul>
<li>Everything in one SQLite database: {_link(folder, f'{prefix}{DATABASE}.db')}</li>
<li>Frictionless Data package describing every table, column and the licence: {_link(folder, f'{prefix}datapackage.json')}</li>
<li>What changed between builds, as an Atom feed: {_link(folder, f'{prefix}{FEED_NAME}')}</li>
</ul>
<h2>Columns</h2>
{columns}"""
    return ('{% extends "base.html" %}\n{% block title %}Downloads{% endblock %}\n'
            "{% block content %}{% raw %}\n" + body + "\n{% endraw %}{% endblock %}\n")


def _columns_section(name: str) -> str:
    types = {field.name: frictionless_type(field.type) for field in arrow_schema(name)}
    keys = {c.name for c in metadata.tables[name].primary_key.columns}
    rows = "\n".join(
        f"<tr><td>{c.name}{' (id)' if c.name in keys else ''}</td><td>{types[c.name]}</td><td>{escape(c.comment)}</td></tr>"
        for c in metadata.tables[name].columns)
    return (f'<h3 id="{name}">{name}</h3>\n<table class="rows-and-columns">\n'
            f"<thead><tr><th>column</th><th>type</th><th>description</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>")
