"""Everything that is derived from the table definitions in ``schema.tables``.

- ``arrow_schema``: the Parquet/Arrow schema of a table (column descriptions as field metadata);
- ``to_arrow``: rows (a pandas frame or dicts) conformed to that schema (a frame with missing or
  unknown columns fails);
- ``sqlite_ddl``: the CREATE TABLE statement for the published SQLite database;
- ``sqlite_index_ddl``: the CREATE INDEX statements of a table's declared indexes, for the same;
- ``datasette_tables``: the per-table Datasette metadata (descriptions, sort, facets, labels).
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from schema.tables import metadata

_ARROW_TYPES = [
    (Boolean, pa.bool_()),
    (Integer, pa.int64()),
    (Float, pa.float64()),
    (DateTime, pa.timestamp("s", tz="UTC")),
    (Date, pa.date32()),
    (JSON, pa.list_(pa.string())),
    (Text, pa.string()),
    (String, pa.string()),
]


class SchemaError(ValueError):
    """A frame does not match the table it is meant to fill."""


def table(name: str) -> Table:
    try:
        return metadata.tables[name]
    except KeyError:
        raise SchemaError(f"unknown table {name!r}; tables are declared in schema/tables.py") from None


def arrow_type(column) -> pa.DataType:
    for sql_type, arrow in _ARROW_TYPES:
        if isinstance(column.type, sql_type):
            return arrow
    raise SchemaError(f"column {column.table.name}.{column.name}: no Arrow type for {column.type!r}")


def arrow_schema(name: str) -> pa.Schema:
    t = table(name)
    fields = [
        pa.field(c.name, arrow_type(c), nullable=not c.primary_key,
                 metadata={"description": c.comment or ""})
        for c in t.columns
    ]
    return pa.schema(fields, metadata={"table": name, "description": t.comment or ""})


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NaT


def _cell(value, arrow: pa.DataType):
    """Coerce one Python value to what the Arrow type expects; None stays None."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if _is_missing(value):
        return None
    if pa.types.is_list(arrow):
        return [str(v) for v in (json.loads(value) if isinstance(value, str) else value)]
    if pa.types.is_date32(arrow):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if pa.types.is_timestamp(arrow):
        stamp = pd.Timestamp(value)
        return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).to_pydatetime()
    if pa.types.is_boolean(arrow):
        return bool(value)
    if pa.types.is_integer(arrow):
        return int(value)
    if pa.types.is_floating(arrow):
        return float(value)
    return str(value)


# Arrow types whose values need no coercion when they already are exactly this Python type (not
# floats: a NaN must become a null).
_EXACT_TYPES = [(pa.types.is_string, str), (pa.types.is_integer, int), (pa.types.is_boolean, bool)]


def _conformed(values: list, arrow: pa.DataType) -> list:
    # The common cases, and the cost of a large table: no per-cell coercion.
    exact = next((python for is_type, python in _EXACT_TYPES if is_type(arrow)), None)
    if exact and all(v is None or type(v) is exact for v in values):
        return values
    if pa.types.is_floating(arrow) and all(v is None or (type(v) is float and v == v) for v in values):
        return values  # no NaN (the one float not equal to itself) to make a null
    if pa.types.is_list(arrow) and all(v is None or (type(v) is list and all(type(x) is str for x in v))
                                       for v in values):
        return values
    if pa.types.is_date32(arrow) and all(v is None or type(v) is str for v in values):
        return [None if v is None else date.fromisoformat(v[:10]) for v in values]  # as _cell does
    return [_cell(v, arrow) for v in values]


def to_arrow(name: str, rows: pd.DataFrame | list[dict]) -> pa.Table:
    """Conform rows to the declared schema of table ``name``.

    A DataFrame must have every declared column and no other; rows given as dicts are read by the
    declared columns (a missing key is null, other keys are left out). Primary keys must be set
    and unique.
    """
    schema = arrow_schema(name)
    if isinstance(rows, pd.DataFrame):
        missing = [n for n in schema.names if n not in rows.columns]
        extra = [n for n in rows.columns if n not in schema.names]
        if missing or extra:
            raise SchemaError(f"table {name}: missing columns {missing}, undeclared columns {extra} "
                              "(declare columns in schema/tables.py)")
        columns = {n: rows[n].tolist() for n in schema.names}
    else:
        columns = {n: [row.get(n) for row in rows] for n in schema.names}
    arrays = []
    for field in schema:
        try:
            arrays.append(pa.array(_conformed(columns[field.name], field.type), type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise SchemaError(f"table {name}, column {field.name}: {exc}") from exc
    result = pa.Table.from_arrays(arrays, schema=schema)
    for column in table(name).primary_key.columns:
        keys = result.column(column.name).to_pylist()
        if any(k is None for k in keys):
            raise SchemaError(f"table {name}: a row has no {column.name}")
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})[:5]
            raise SchemaError(f"table {name}: duplicate {column.name} values {dupes}")
    return result


def sqlite_ddl(name: str) -> str:
    """CREATE TABLE for SQLite. Foreign keys are declared (Datasette uses them to show labels)
    but SQLite does not enforce them unless asked, so a missing reference row never blocks a build."""
    return str(CreateTable(table(name)).compile(dialect=sqlite.dialect())).strip()


def sqlite_index_ddl(name: str) -> list[str]:
    """CREATE INDEX for SQLite, one per index declared on table ``name``, in order of name."""
    return [str(CreateIndex(index).compile(dialect=sqlite.dialect()))
            for index in sorted(table(name).indexes, key=lambda i: i.name)]


def sqlite_value(value):
    """How a value from an Arrow column is stored in SQLite: dates as ISO text, lists as JSON."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def datasette_tables() -> dict:
    """Datasette's per-table metadata: description, column descriptions, sort, facets, FTS."""
    result = {}
    for t in metadata.sorted_tables:
        info = t.info
        entry = {
            "description": t.comment,
            "columns": {c.name: c.comment for c in t.columns},
        }
        if "label_column" in info:
            entry["label_column"] = info["label_column"]
        if "sort" in info:
            entry["sort"] = info["sort"]
        if "sort_desc" in info:
            entry["sort_desc"] = info["sort_desc"]
        facets = list(info.get("facets", [])) + [{"array": c} for c in info.get("array_facets", [])]
        if facets:
            entry["facets"] = facets
        if info.get("fts"):
            entry["fts_table"] = f"{t.name}_fts"
            entry["fts_pk"] = "rowid"
        result[t.name] = entry
    return result


def undocumented() -> list[str]:
    """Tables or columns without a description: publishing refuses to go ahead with any."""
    problems = []
    for t in metadata.sorted_tables:
        if not (t.comment or "").strip():
            problems.append(f"table {t.name}")
        problems += [f"column {t.name}.{c.name}" for c in t.columns if not (c.comment or "").strip()]
    return problems
