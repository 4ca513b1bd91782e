# SPDX-License-Identifier: MIT
"""An Iceberg table lakeorm wrote (metadata file, manifest list, manifest,
Parquet data files) read by pyiceberg from its metadata file alone
(StaticTable), as tests/unit/iceberg/test_table.c asks:

- every row, value by value, equals EXPECTED.json's rows;
- the snapshot's summary and operation, the schema's field ids and the
  partition spec are what lakeorm recorded;
- each data file's partition values are pyiceberg's own transforms of its
  rows, and its record count, value and null counts and bounds agree with
  its rows;
- a filter on the partition source column prunes to the files that can
  hold the value.

With EXPECTED's "history" (snapshot ids, oldest first), the table's
snapshots must be those, each the parent of the next; with "properties",
the table keeps them (a commit by lakeorm over another writer's metadata).

Usage: table_check.py METADATA_JSON EXPECTED_JSON, or
       table_check.py --make METADATA_JSON SCHEMA_JSON SPEC_JSON LOCATION
(pyiceberg writes a new table's metadata file itself, with a property, for
lakeorm to commit over). Runs in the project's .venv Python (pyiceberg).
"""
import datetime
import decimal
import json
import sys

from pyiceberg.table import StaticTable
from pyiceberg.transforms import BucketTransform, DayTransform
from pyiceberg.types import LongType, TimestamptzType

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
if sys.argv[1] == "--make":
    from pyiceberg.partitioning import PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table.metadata import new_table_metadata
    from pyiceberg.table.sorting import UNSORTED_SORT_ORDER
    out, schema_path, spec_path, location = sys.argv[2:6]
    with open(schema_path) as f:
        made_schema = Schema.model_validate_json(f.read())
    with open(spec_path) as f:
        made_spec = PartitionSpec.model_validate_json(f.read())
    made = new_table_metadata(made_schema, made_spec, UNSORTED_SORT_ORDER, location, properties={"owner": "pyiceberg"})
    with open(out, "w") as f:
        f.write(made.model_dump_json())
    sys.exit(0)
metadata, expected_path = sys.argv[1], sys.argv[2]
with open(expected_path) as f:
    expected = json.load(f)

table = StaticTable.from_metadata(metadata)
schema = table.schema()
assert [(f.field_id, f.name, f.required) for f in schema.fields] == [tuple(x) for x in expected["fields"]], schema
spec = table.spec()
assert [(f.source_id, f.field_id, f.name, str(f.transform)) for f in spec.fields] == [tuple(x) for x in expected["spec"]], spec

snapshot = table.current_snapshot()
assert snapshot.snapshot_id == expected["snapshot_id"], snapshot
history = expected.get("history", [expected["snapshot_id"]])
assert [s.snapshot_id for s in table.snapshots()] == history, table.snapshots()
for older, newer in zip(table.snapshots(), table.snapshots()[1:]):
    assert newer.parent_snapshot_id == older.snapshot_id and newer.sequence_number == older.sequence_number + 1
for k, v in expected.get("properties", {}).items():
    assert table.properties.get(k) == v, table.properties
assert snapshot.summary.operation.value == "append", snapshot.summary
assert snapshot.summary["lakeorm.ingest-id"] == expected["ingest_id"], snapshot.summary
assert snapshot.sequence_number == len(history), snapshot

rows = table.scan().to_arrow().to_pylist()
want = expected["rows"]


def normal(r):
    out = dict(r)
    if isinstance(out.get("at"), datetime.datetime):
        out["at"] = (out["at"] - EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(out.get("price"), decimal.Decimal):
        out["price"] = str(out["price"])
    return out


got = sorted((normal(r) for r in rows), key=lambda r: r["id"])
assert len(got) == len(want), (len(got), len(want))
for g, w in zip(got, want):
    assert g == w, (g, w)

bucket = BucketTransform(4).transform(LongType())
day = DayTransform().transform(TimestamptzType())
files = table.inspect.files().to_pylist()
assert expected["files"] < 0 or len(files) == expected["files"], len(files)
for f in files:
    for stat in ("value_counts", "null_value_counts", "lower_bounds", "upper_bounds"):
        f[stat] = dict(f[stat])  # pyarrow's map columns come as lists of pairs
# Per partition (snapshots may each have written a file of one): the files'
# partition values are pyiceberg's transforms of their rows, and together
# their counts and bounds are those of the partition's rows.
partitions = {}
for f in files:
    partitions.setdefault((f["partition"]["id_bucket"], f["partition"]["at_day"]), []).append(f)
for (b, d), fs in partitions.items():
    inside = [r for r in want if bucket(r["id"]) == b and day(r["at"]) == (d - datetime.date(1970, 1, 1)).days]
    assert inside and sum(f["record_count"] for f in fs) == len(inside), ((b, d), len(inside))
    assert sum(f["value_counts"][1] for f in fs) == len(inside)
    assert sum(f["null_value_counts"][5] for f in fs) == sum(r["note"] is None for r in inside)
    assert min(int.from_bytes(f["lower_bounds"][1], "little", signed=True) for f in fs) == min(r["id"] for r in inside)
    assert max(int.from_bytes(f["upper_bounds"][1], "little", signed=True) for f in fs) == max(r["id"] for r in inside)
    assert min(f["lower_bounds"][2].decode() for f in fs) == min(r["name"] for r in inside)

# Each manifest's partition summaries (the manifest list's) bound its files'
# partition values: pyiceberg prunes whole manifests by them.
for manifest in snapshot.manifests(table.io):
    values = [e.data_file.partition for e in manifest.fetch_manifest_entry(table.io)]
    assert manifest.partitions and len(manifest.partitions) == 2, manifest
    for k, summary in enumerate(manifest.partitions):
        present = [v[k] for v in values if v[k] is not None]
        assert summary.contains_null == (len(present) < len(values)), (k, summary)
        lo, hi = (int.from_bytes(b, "little", signed=True) for b in (summary.lower_bound, summary.upper_bound))
        assert (lo, hi) == (min(present), max(present)), (k, lo, hi, present)

# Pruning by the partition: only files whose bucket can hold id 7 are read.
planned = list(table.scan(row_filter="id == 7").plan_files())
assert planned and all(bucket(7) == p.file.partition[0] for p in planned), planned
assert len(planned) < len(files), (len(planned), len(files))
assert [r["id"] for r in table.scan(row_filter="id == 7").to_arrow().to_pylist()] == [7]
print(f"pyiceberg read {len(got)} rows in {len(files)} files")
