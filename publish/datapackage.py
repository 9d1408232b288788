"""datapackage.json (Frictionless Data, Tabular Data Package) describing the CSV downloads.

Field names, types and descriptions, primary and foreign keys all come from schema/tables.py,
so the package says exactly what the site and the Parquet files say.
"""

from __future__ import annotations

import pyarrow as pa

from publish.metadata import DESCRIPTION, LICENSE, LICENSE_URL, LIMITS, SOURCE, SOURCE_URL, site_title
from schema.derive import arrow_schema
from schema.tables import PUBLISHED_TABLES, metadata

PACKAGE_NAME = "uk-police-facial-recognition-foi"


def frictionless_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    if pa.types.is_list(arrow_type):
        return "array"  # written to CSV as a JSON list
    return "string"


def table_schema(name: str) -> dict:
    table = metadata.tables[name]
    types = {field.name: field.type for field in arrow_schema(name)}
    schema = {
        "fields": [{"name": c.name, "type": frictionless_type(types[c.name]), "description": c.comment}
                   for c in table.columns],
        "primaryKey": [c.name for c in table.primary_key.columns],
    }
    foreign_keys = [
        {"fields": fk.parent.name, "reference": {"resource": fk.column.table.name, "fields": fk.column.name}}
        for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def datapackage(mode: str, build: dict, prefix: str) -> dict:
    """``prefix`` is the file name prefix of the downloads (``DEMO-`` in demo builds)."""
    return {
        "profile": "tabular-data-package",
        "name": f"{PACKAGE_NAME}-demo" if mode == "demo" else PACKAGE_NAME,
        "title": site_title(mode),
        "description": f"{DESCRIPTION} {LIMITS}",
        "version": build["build_id"],
        "created": build["built_at"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [{"name": "CC-BY-4.0", "path": LICENSE_URL, "title": LICENSE}],
        "sources": [{"title": SOURCE, "path": SOURCE_URL}],
        "resources": [{
            "name": name,
            "path": f"{prefix}{name}.csv",
            "profile": "tabular-data-resource",
            "title": name,
            "description": metadata.tables[name].comment,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",  # with a byte-order mark, which Frictionless readers skip
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "schema": table_schema(name),
        } for name in PUBLISHED_TABLES],
    }
