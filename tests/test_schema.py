"""schema/tables.py is the only place columns are declared; everything else is derived from it."""

import pyarrow as pa
import pytest

from schema.derive import SchemaError, arrow_schema, datasette_tables, sqlite_ddl, to_arrow, undocumented
from schema.tables import PUBLISHED_TABLES, metadata


def test_every_table_and_column_is_documented():
    assert undocumented() == []


def test_design_tables_are_all_declared():
    assert set(PUBLISHED_TABLES) == {"forces", "requests", "documents", "findings", "supplier_mentions",
                                     "exemptions", "force_status", "force_status_wide", "suppliers", "technologies", "changes", "build_info"}


def test_derived_schemas_match_the_declaration():
    for table in metadata.sorted_tables:
        schema = arrow_schema(table.name)
        assert schema.names == [c.name for c in table.columns]
        assert all(f.metadata[b"description"] for f in schema)
        assert f"CREATE TABLE {table.name}" in sqlite_ddl(table.name)
        assert datasette_tables()[table.name]["columns"] == {c.name: c.comment for c in table.columns}
    assert arrow_schema("requests").field("sent_date").type == pa.date32()
    assert arrow_schema("forces").field("aliases").type == pa.list_(pa.string())


def test_to_arrow_refuses_undeclared_or_missing_columns_and_duplicate_keys():
    row = {c.name: None for c in metadata.tables["suppliers"].columns} | {"supplier_id": "x", "name": "X"}
    assert to_arrow("suppliers", [row]).num_rows == 1
    with pytest.raises(SchemaError, match="undeclared columns \\['colour'\\]"):
        import pandas as pd
        to_arrow("suppliers", pd.DataFrame([row | {"colour": "red"}]))
    with pytest.raises(SchemaError, match="duplicate supplier_id"):
        to_arrow("suppliers", [row, row])
