"""Parquet tables -> the published site folder: SQLite with full-text search, Datasette metadata,
templates and downloads.

Everything is written into a temporary folder beside ``site/`` and swapped in at the end, so a
failed publish leaves the previous site untouched and being served.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import sqlite_utils

from schema.derive import datasette_tables, sqlite_ddl, sqlite_value, undocumented
from schema.tables import PUBLISHED_TABLES, metadata
from transform.atomic import staged_dir

DATABASE = "foi"
TITLE = "UK police facial recognition: what forces disclose"
DESCRIPTION = (
    "What UK police forces say about their use of live, retrospective and operator-initiated facial "
    "recognition, their suppliers, their data protection impact assessments and the exemptions they "
    "cite, read from their answers to Freedom of Information requests on WhatDoTheyKnow and in their "
    "own disclosure logs. Every answer links to the sentence of the document it came from. Answers are "
    "extracted by rules and can be wrong: check the quote and the source before relying on one."
)
LICENSE = "CC BY 4.0 (the dataset); the FOI responses quoted are public records under the Open Government Licence v3.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "WhatDoTheyKnow and UK police forces' FOI disclosure logs"
SOURCE_URL = "https://www.whatdotheyknow.com/"
DEMO_NOTICE = ("DEMO DATA: this site was built from the project's local mirror, whose requests and answers are "
               "invented for testing. Nothing here is a finding about a real police force.")


class PublishError(RuntimeError):
    """Publishing cannot go ahead; the message says what to do."""


def site_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "site"


def _read_tables(parquet_dir: Path) -> dict:
    tables = {}
    for name in PUBLISHED_TABLES:
        path = parquet_dir / f"{name}.parquet"
        if not path.exists():
            raise PublishError(f"{path} is missing: run the transform first (make transform)")
        tables[name] = pq.read_table(path)
    return tables


def _mode(tables: dict) -> str:
    builds = tables["build_info"].to_pylist()
    if not builds:
        raise PublishError("build_info is empty: the Parquet tables were not made by python -m transform")
    return max(builds, key=lambda b: b["built_at"])["mode"], max(builds, key=lambda b: b["built_at"])


def write_database(path: Path, tables: dict) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for name in PUBLISHED_TABLES:
            table = tables[name]
            connection.execute(sqlite_ddl(name))
            placeholders = ", ".join("?" for _ in table.column_names)
            rows = ([sqlite_value(v) for v in row.values()] for row in table.to_pylist())
            connection.executemany(f"INSERT INTO [{name}] VALUES ({placeholders})", rows)
    connection.close()
    database = sqlite_utils.Database(path)
    for t in metadata.sorted_tables:
        if t.info.get("fts"):
            database[t.name].enable_fts(t.info["fts"], fts_version="FTS5", replace=True)
    database.vacuum()
    database.close()


def site_metadata(mode: str, build: dict) -> dict:
    built = build["built_at"].strftime("%Y-%m-%d %H:%M UTC")
    description = f"{DESCRIPTION} Built {built} ({mode} build)."
    if mode == "demo":
        description = f"{DEMO_NOTICE} {description}"
    tables = datasette_tables()
    for entry in tables.values():
        # Datasette 1.0 no longer passes these down from the top level, so every table carries them.
        entry.update(license=LICENSE, license_url=LICENSE_URL, source=SOURCE, source_url=SOURCE_URL)
    return {
        "title": f"DEMO - {TITLE}" if mode == "demo" else TITLE,
        "description": description,
        "license": LICENSE, "license_url": LICENSE_URL, "source": SOURCE, "source_url": SOURCE_URL,
        "databases": {DATABASE: {"description": description, "tables": tables}},
    }


def write_templates(folder: Path, mode: str) -> None:
    """A base template adding the demo notice above every page's content in demo builds."""
    folder.mkdir()
    notice = (f'<p class="message-warning demo-notice"><strong>{DEMO_NOTICE}</strong></p>' if mode == "demo" else "")
    (folder / "base.html").write_text(
        '{% extends "default:base.html" %}\n'
        "{% block messages %}" + notice + "{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )


def write_downloads(folder: Path, tables: dict, parquet_dir: Path, mode: str) -> None:
    """Every table as CSV (UTF-8 with a byte-order mark so Excel reads it right) and Parquet."""
    folder.mkdir()
    prefix = "DEMO-" if mode == "demo" else ""
    for name, table in tables.items():
        with (folder / f"{prefix}{name}.csv").open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.column_names)
            for row in table.to_pylist():
                writer.writerow(["" if v is None else sqlite_value(v) for v in row.values()])
        shutil.copyfile(parquet_dir / f"{name}.parquet", folder / f"{prefix}{name}.parquet")
    if mode == "demo":
        (folder / "DEMO-README.txt").write_text(DEMO_NOTICE + "\n", encoding="utf-8")


def publish(data_dir: str | Path) -> Path:
    data_dir = Path(data_dir)
    problems = undocumented()
    if problems:
        raise PublishError("refusing to publish undocumented " + ", ".join(problems) +
                           ": add a comment= description in schema/tables.py")
    parquet_dir = data_dir / "parquet"
    tables = _read_tables(parquet_dir)
    mode, latest_build = _mode(tables)

    target = site_dir(data_dir)
    with staged_dir(target) as tmp:
        write_database(tmp / f"{DATABASE}.db", tables)
        (tmp / "metadata.json").write_text(json.dumps(site_metadata(mode, latest_build), indent=2, default=str),
                                           encoding="utf-8")
        write_templates(tmp / "templates", mode)
        write_downloads(tmp / "downloads", tables, parquet_dir, mode)
        subprocess.run([sys.executable, "-m", "datasette", "inspect", str(tmp / f"{DATABASE}.db"),
                        "--inspect-file", str(tmp / "inspect.json")], check=True, capture_output=True)
    return target
