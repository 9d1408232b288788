"""Parquet tables -> the published site folder: SQLite with full-text search, Datasette metadata,
templates, the inspect file and the downloads.

Everything is written into a temporary folder beside ``site/`` and swapped in at the end, so a
failed publish leaves the previous site untouched and being served.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from html import escape
from pathlib import Path

import pyarrow.parquet as pq
import sqlite_utils

from publish.downloads import downloads_page, file_prefix, write_downloads
from publish.metadata import (DATABASE, DEMO_NOTICE, DOWNLOADS_PATH, FEED_NAME, datasette_config, links_to,
                              site_metadata)
from publish.pages import pages_config
from publish.stream import rows
from schema.derive import sqlite_ddl, sqlite_index_ddl, sqlite_value, undocumented
from schema.tables import PUBLISHED_TABLES, metadata
from transform.atomic import staged_dir

TEMPLATES = Path(__file__).parent / "templates"
PLUGINS = Path(__file__).parent / "plugins"


class PublishError(RuntimeError):
    """Publishing cannot go ahead; the message says what to do."""


def site_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "site"


def _read_tables(parquet_dir: Path) -> dict[str, pq.ParquetFile]:
    """Each published table, opened but not read: ``rows(table)`` streams it."""
    tables = {}
    for name in PUBLISHED_TABLES:
        path = parquet_dir / f"{name}.parquet"
        if not path.exists():
            raise PublishError(f"{path} is missing: run the transform first (make transform)")
        tables[name] = pq.ParquetFile(path)
    return tables


def latest_build(tables: dict) -> dict:
    builds = list(rows(tables["build_info"]))
    if not builds:
        raise PublishError("build_info is empty: the Parquet tables were not made by python -m transform")
    return max(builds, key=lambda b: b["built_at"])


def write_database(path: Path, tables: dict[str, pq.ParquetFile]) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for name in PUBLISHED_TABLES:
            table = tables[name]
            connection.execute(sqlite_ddl(name))
            placeholders = ", ".join("?" for _ in table.schema_arrow.names)
            values = ([sqlite_value(v) for v in row.values()] for row in rows(table))
            connection.executemany(f"INSERT INTO [{name}] VALUES ({placeholders})", values)
        # The indexes declared in schema/tables.py, made once the rows are in.
        for name in PUBLISHED_TABLES:
            for ddl in sqlite_index_ddl(name):
                connection.execute(ddl)
    connection.close()
    database = sqlite_utils.Database(path)
    for t in metadata.sorted_tables:
        if t.info.get("fts"):
            database[t.name].enable_fts(t.info["fts"], fts_version="FTS5", replace=True)
    # Statistics for SQLite's query planner (sqlite_stat1), so it picks the right index.
    database.analyze()
    database.vacuum()
    database.close()


def write_templates(folder: Path, downloads: Path, mode: str) -> None:
    """The site's base template (demo notice and feed link on every page) and the /downloads page."""
    shutil.copytree(TEMPLATES, folder)
    notice = f'<p class="message-warning demo-notice"><strong>{escape(DEMO_NOTICE)}</strong></p>\n'
    (folder / "_notice.html").write_text(notice if mode == "demo" else "", encoding="utf-8")
    feed = f"{DOWNLOADS_PATH}/{file_prefix(mode)}{FEED_NAME}"
    (folder / "_feed.html").write_text(
        f'<link rel="alternate" type="application/atom+xml" title="What changed" href="{feed}">\n', encoding="utf-8")
    (folder / "pages").mkdir(exist_ok=True)  # publish/templates/pages/ holds the other custom pages
    (folder / "pages" / "downloads.html").write_text(downloads_page(downloads, mode), encoding="utf-8")


def publish(data_dir: str | Path) -> Path:
    data_dir = Path(data_dir)
    problems = undocumented()
    if problems:
        raise PublishError("refusing to publish undocumented " + ", ".join(problems) +
                           ": add a comment= description in schema/tables.py")
    parquet_dir = data_dir / "parquet"
    tables = _read_tables(parquet_dir)
    build = latest_build(tables)
    mode = build["mode"]

    target = site_dir(data_dir)
    with staged_dir(target) as tmp:
        database = tmp / f"{DATABASE}.db"
        write_database(database, tables)
        site = site_metadata(mode, build, file_prefix(mode))
        (tmp / "metadata.json").write_text(json.dumps(site, indent=2), encoding="utf-8")
        (tmp / "datasette.json").write_text(json.dumps(datasette_config(site), indent=2), encoding="utf-8")
        write_downloads(tmp / "downloads", tables, parquet_dir, database, mode, build)
        write_templates(tmp / "templates", tmp / "downloads", mode)
        shutil.copytree(PLUGINS, tmp / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
        links = {name: links_to(name) for name in PUBLISHED_TABLES}
        (tmp / "plugins" / "links.json").write_text(json.dumps(links, indent=2), encoding="utf-8")
        # What the overview, force, gaps, map, batch and evidence pages show (publish/pages.py).
        (tmp / "plugins" / "pages.json").write_text(json.dumps(pages_config(DATABASE, file_prefix(mode)), indent=2), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "datasette", "inspect", str(database),
                        "--inspect-file", str(tmp / "inspect.json")], check=True, capture_output=True)
    return target
