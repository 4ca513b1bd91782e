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

Usage: table_check.py METADATA_JSON EXPECTED_JSON. Runs in the project's
.venv Python (pyiceberg).
"""
import datetime
import decimal
import json
import sys

from pyiceberg.table import StaticTable
from pyiceberg.transforms import BucketTransform, DayTransform
from pyiceberg.types import LongType, TimestamptzType

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
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
assert snapshot.summary.operation.value == "append", snapshot.summary
assert snapshot.summary["lakeorm.ingest-id"] == expected["ingest_id"], snapshot.summary
assert snapshot.sequence_number == 1, snapshot

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
assert len(files) == expected["files"], len(files)
for f in files:
    for stat in ("value_counts", "null_value_counts", "lower_bounds", "upper_bounds"):
        f[stat] = dict(f[stat])  # pyarrow's map columns come as lists of pairs
    inside = [r for r in want if bucket(r["id"]) == f["partition"]["id_bucket"]
              and day(r["at"]) == (f["partition"]["at_day"] - datetime.date(1970, 1, 1)).days]
    assert inside and f["record_count"] == len(inside), (f["file_path"], f["partition"], f["record_count"], len(inside))
    assert f["value_counts"][1] == len(inside), f["value_counts"]
    assert f["null_value_counts"][5] == sum(r["note"] is None for r in inside), f["null_value_counts"]
    assert int.from_bytes(f["lower_bounds"][1], "little", signed=True) == min(r["id"] for r in inside)
    assert int.from_bytes(f["upper_bounds"][1], "little", signed=True) == max(r["id"] for r in inside)
    assert f["lower_bounds"][2].decode() == min(r["name"] for r in inside)

# Pruning by the partition: only files whose bucket can hold id 7 are read.
planned = list(table.scan(row_filter="id == 7").plan_files())
assert planned and all(bucket(7) == p.file.partition[0] for p in planned), planned
assert len(planned) < len(files), (len(planned), len(files))
assert [r["id"] for r in table.scan(row_filter="id == 7").to_arrow().to_pylist()] == [7]
print(f"pyiceberg read {len(got)} rows in {len(files)} files")
