# SPDX-License-Identifier: MIT
"""pyiceberg's SqlCatalog on lakeorm's SQLite catalog
(tests/unit/iceberg/test_table.c): loads the table lakeorm registered,
checks it holds EXPECTED_ROWS rows, and appends the rows of ROWS.json (the
same shape as table_check.py's expected rows) with table.append, as any
pyiceberg user would, committing through the catalog.

Usage: catalog_append.py DB WAREHOUSE TABLE EXPECTED_ROWS ROWS_JSON. Runs
in the project's .venv Python (pyiceberg, sqlalchemy).
"""
import datetime
import decimal
import json
import sys

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog

db, warehouse, name, count, rows_path = sys.argv[1:6]
catalog = SqlCatalog("lakeorm", uri=f"sqlite:///{db}", warehouse=warehouse)
table = catalog.load_table(name)
assert len(table.scan().to_arrow()) == int(count), len(table.scan().to_arrow())
with open(rows_path) as f:
    rows = json.load(f)
epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
arrow = pa.Table.from_pylist(
    [dict(r, at=epoch + datetime.timedelta(microseconds=r["at"]), price=decimal.Decimal(r["price"])) for r in rows],
    schema=pa.schema([
        pa.field("id", pa.int64(), nullable=False), pa.field("name", pa.string(), nullable=False),
        pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("price", pa.decimal128(12, 2), nullable=False), pa.field("note", pa.string()),
        pa.field("_ingest_id", pa.string())]))
table.append(arrow)
print("pyiceberg appended", len(rows), "rows through the SQL catalog")
