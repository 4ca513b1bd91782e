# SPDX-License-Identifier: MIT
"""pyiceberg's RestCatalog on the REST catalog server lakeorm committed to
(tests/unit/iceberg/test_rest_catalog.c): an independent client loads the
table and finds lakeorm's snapshot current, the evolved schema current with
lakeorm's field ids, and a scan that reads the snapshot's manifest list (an
empty one) from the warehouse.

Usage: rest_check.py URI NAMESPACE TABLE SNAPSHOT_ID. Runs in the
project's .venv Python (pyiceberg).
"""
import sys

from pyiceberg.catalog.rest import RestCatalog

uri, namespace, name, snapshot_id = sys.argv[1:5]
catalog = RestCatalog("lakeorm", uri=uri)
table = catalog.load_table((namespace, name))
snapshot = table.current_snapshot()
assert snapshot is not None and snapshot.snapshot_id == int(snapshot_id), snapshot
assert snapshot.summary.operation.value == "append", snapshot.summary
schema = table.schema()
assert schema.schema_id == 1, schema
fields = [(f.field_id, f.name, f.required) for f in schema.fields]
assert fields == [(1, "id", True), (2, "name", True), (3, "note", False), (4, "_ingest_id", False),
                  (5, "color", False)], fields
assert [f.name for f in table.spec().fields] == ["id_bucket"], table.spec()
assert table.scan().to_arrow().num_rows == 0
print("pyiceberg's RestCatalog read snapshot", snapshot_id, "and schema", fields)
