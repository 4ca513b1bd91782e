# SPDX-License-Identifier: MIT
"""Proves tests/iceberg/spark_catalog.py against both catalog kinds without
lakeorm: pyiceberg (SqlCatalog "lakeorm" on a SQLite file, RestCatalog on
Iceberg's REST fixture) creates and writes tables, Spark reads them through
the CLI, appends to them, and pyiceberg reads Spark's appends back, taking
turns on one table. Values are compared one by one; Spark's partition of
every row is compared with pyiceberg's transforms and with the partition
pyiceberg recorded for the row's file.

Usage: spark_selfcheck.py SPARK_PORT STATE_DIR REST_URL
(tests/iceberg/spark_selfcheck.sh starts the servers). Runs in the
project's .venv Python (pyspark, pyiceberg, sqlalchemy).
"""
import datetime
import decimal
import json
import os
import subprocess
import sys
import uuid

import pyarrow as pa
from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import BucketTransform, DayTransform, TruncateTransform
from pyiceberg.types import (BinaryType, BooleanType, DateType, DecimalType, DoubleType, FixedType, FloatType,
                             IntegerType, ListType, LongType, MapType, NestedField, StringType, StructType,
                             TimestampType, TimestamptzType, UUIDType)

HERE = os.path.dirname(os.path.abspath(__file__))
PORT, STATE, REST_URL = sys.argv[1:4]
UTC = datetime.timezone.utc

EVERY = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "name", StringType()),
    NestedField(3, "flag", BooleanType()),
    NestedField(4, "i", IntegerType()),
    NestedField(5, "f", FloatType()),
    NestedField(6, "d", DoubleType()),
    NestedField(7, "dec", DecimalType(12, 2)),
    NestedField(8, "day", DateType()),
    NestedField(9, "ts", TimestamptzType()),
    NestedField(10, "tsn", TimestampType()),
    NestedField(11, "bin", BinaryType()),
    NestedField(12, "fx", FixedType(4)),
    NestedField(13, "u", UUIDType()),
    NestedField(14, "tags", ListType(15, StringType(), element_required=False)),
    NestedField(16, "attrs", MapType(17, StringType(), 18, LongType(), value_required=False)),
    NestedField(19, "pt", StructType(NestedField(20, "x", IntegerType()), NestedField(21, "y", StringType()))),
)
# What pyiceberg writes (Python values) and what Spark's dump must print.
PYICEBERG_ROWS = [
    dict(id=1, name="héllo", flag=True, i=-7, f=1.5, d=float("nan"), dec=decimal.Decimal("-12.34"),
         day=datetime.date(2024, 2, 29), ts=datetime.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC),
         tsn=datetime.datetime(1969, 12, 31, 23, 59, 59, 999999), bin=b"\x00\xff", fx=b"abcd",
         u=uuid.UUID("12345678-1234-5678-1234-567812345678").bytes, tags=["x", None], attrs={"k": 1, "j": None},
         pt={"x": 1, "y": "z"}),
    dict(id=2),
]
NULLS = {f.name: None for f in EVERY.fields}
DUMPED = [
    {"id": 1, "name": "héllo", "flag": True, "i": -7, "f": 1.5, "d": "NaN", "dec": "-12.34", "day": "2024-02-29",
     "ts": "2024-02-29T23:59:59.123456Z", "tsn": "1969-12-31T23:59:59.999999", "bin": "00ff", "fx": "61626364",
     "u": "12345678-1234-5678-1234-567812345678", "tags": ["x", None], "attrs": {"j": None, "k": 1},
     "pt": {"x": 1, "y": "z"}},
    {**NULLS, "id": 2},
]
# What Spark appends (spelt as dump prints, timestamps also as microseconds
# and dates as days), and what pyiceberg must read of it.
SPARK_ROW = {"id": 3, "name": "spark", "flag": False, "i": 2147483647, "f": "-Infinity", "d": 2.5,
             "dec": "9999999999.99", "day": 0, "ts": 1709251199000001, "tsn": "2262-04-11T23:47:16.854775",
             "bin": "", "fx": "00010203", "u": "00000000-0000-0000-0000-000000000001", "tags": [],
             "attrs": {"a": None}, "pt": {"x": None, "y": "q"}}
SPARK_ROW_READ = dict(id=3, name="spark", flag=False, i=2147483647, f=float("-inf"), d=2.5,
                      dec=decimal.Decimal("9999999999.99"), day=datetime.date(1970, 1, 1),
                      ts=datetime.datetime(2024, 2, 29, 23, 59, 59, 1, tzinfo=UTC),
                      tsn=datetime.datetime(2262, 4, 11, 23, 47, 16, 854775), bin=b"", fx=b"\x00\x01\x02\x03",
                      u=uuid.UUID("00000000-0000-0000-0000-000000000001"), tags=[], attrs=[("a", None)],
                      pt={"x": None, "y": "q"})
SPARK_ROW_DUMPED = {**SPARK_ROW, "f": "-Infinity", "day": "1970-01-01", "ts": "2024-02-29T23:59:59.000001Z"}

PARTS = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "name", StringType()),
               NestedField(3, "ts", TimestamptzType()))
PARTS_SPEC = PartitionSpec(PartitionField(1, 1000, BucketTransform(16), "id_bucket"),
                           PartitionField(2, 1001, TruncateTransform(4), "name_trunc"),
                           PartitionField(3, 1002, DayTransform(), "ts_day"))


def parts_row(i):
    # Names of different lengths (and one shorter than the width) and times
    # either side of midnight and of the epoch.
    return {"id": i * 7919 - 50, "name": ["", "ab", "abcd", "abcdef", "ünïcödé"][i % 5],
            "ts": datetime.datetime(1970, 1, 1, tzinfo=UTC) + datetime.timedelta(hours=(i - 4) * 11, microseconds=i)}


def expected_partition(row):
    bucket = BucketTransform(16).transform(LongType())
    trunc = TruncateTransform(4).transform(StringType())
    day = DayTransform().transform(TimestamptzType())
    micros = (row["ts"] - datetime.datetime(1970, 1, 1, tzinfo=UTC)) // datetime.timedelta(microseconds=1)
    return {"id_bucket": bucket(row["id"]), "name_trunc": trunc(row["name"]), "ts_day": day(micros)}


def local(location):
    """file:/x, file:///x and /x are one file (Spark's HadoopFileIO writes
    file:/x, pyiceberg file:///x)."""
    for prefix in ("file://", "file:"):
        if location.startswith(prefix):
            return location[len(prefix):]
    return location


def spark(kind, uri, warehouse, *args):
    cmd = [sys.executable, os.path.join(HERE, "spark_catalog.py"), "--connect", f"sc://127.0.0.1:{PORT}",
           "--kind", kind, "--uri", uri]
    if warehouse:
        cmd += ["--warehouse", warehouse]
    p = subprocess.run(cmd + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"spark_catalog.py {' '.join(args)} failed ({p.returncode}):\n{p.stderr[-4000:]}")
    return [json.loads(line) for line in p.stdout.splitlines()]


def check(what, got, want):
    if got != want:
        sys.exit(f"{what}:\n  got  {got}\n  want {want}")


def same_row(got, want):
    """Rows equal, NaN equal to NaN."""
    def norm(v):
        if isinstance(v, float) and v != v:
            return "NaN"
        return v
    return {k: norm(v) for k, v in got.items()} == {k: norm(v) for k, v in want.items()}


def prove(kind, catalog, uri, warehouse):
    say = lambda *a: print(f"{kind}:", *a, flush=True)  # noqa: E731
    catalog.create_namespace("proof")

    # 1. pyiceberg writes every type; Spark reads it value by value.
    every = catalog.create_table("proof.every", schema=EVERY)
    every.append(pa.Table.from_pylist([{**NULLS, **r} for r in PYICEBERG_ROWS], schema=every.schema().as_arrow()))
    check("Spark's dump of pyiceberg's rows", spark(kind, uri, warehouse, "dump", "--table", "proof.every"), DUMPED)
    say("Spark read pyiceberg's", len(DUMPED), "rows of every type")

    # 2. Spark appends; pyiceberg reads Spark's row; Spark reads all three.
    spark(kind, uri, warehouse, "append", "--table", "proof.every", "--rows", json.dumps([SPARK_ROW]))
    read = catalog.load_table("proof.every").scan(row_filter="id = 3").to_arrow().to_pylist()
    if len(read) != 1 or not same_row(read[0], SPARK_ROW_READ):
        sys.exit(f"pyiceberg's read of Spark's row:\n  got  {read}\n  want {SPARK_ROW_READ}")
    check("Spark's dump after its append", spark(kind, uri, warehouse, "dump", "--table", "proof.every"),
          DUMPED[:1] + DUMPED[1:] + [SPARK_ROW_DUMPED])
    say("pyiceberg read Spark's append value by value")

    # 3. Turns: pyiceberg appends after Spark, Spark after pyiceberg; the
    # history shows both writers in order.
    table = catalog.load_table("proof.every")
    table.append(pa.Table.from_pylist([{**NULLS, "id": 4}], schema=table.schema().as_arrow()))
    spark(kind, uri, warehouse, "append", "--table", "proof.every", "--rows", json.dumps([{"id": 5}]))
    ids = sorted(catalog.load_table("proof.every").scan().to_arrow().column("id").to_pylist())
    check("pyiceberg's ids after four turns", ids, [1, 2, 3, 4, 5])
    check("Spark's ids after four turns",
          [r["id"] for r in spark(kind, uri, warehouse, "dump", "--table", "proof.every")], [1, 2, 3, 4, 5])
    history = spark(kind, uri, warehouse, "history", "--table", "proof.every")
    check("engines in the history", [h["summary"].get("engine-name", "pyiceberg") for h in history],
          ["pyiceberg", "spark", "pyiceberg", "spark"])
    check("operations", [h["operation"] for h in history], ["append"] * 4)
    check("parents", [h["parent_id"] for h in history], [None] + [h["snapshot_id"] for h in history[:-1]])
    check("current snapshot", catalog.load_table("proof.every").current_snapshot().snapshot_id,
          history[-1]["snapshot_id"])
    say("4 alternating commits, history in order:", [h["snapshot_id"] for h in history])

    # 4. bucket, truncate and day: pyiceberg writes 10 rows, Spark appends 10;
    # Spark's _partition for every row equals pyiceberg's transforms, and the
    # partition pyiceberg's manifests record for the row's file.
    parts = catalog.create_table("proof.parts", schema=PARTS, partition_spec=PARTS_SPEC)
    rows = [parts_row(i) for i in range(20)]
    parts.append(pa.Table.from_pylist(rows[:10], schema=parts.schema().as_arrow()))
    spark(kind, uri, warehouse, "append", "--table", "proof.parts", "--rows",
          json.dumps([dict(r, ts=r["ts"].isoformat()) for r in rows[10:]]))
    recorded = {}
    parts = catalog.load_table("proof.parts")
    for manifest in parts.current_snapshot().manifests(parts.io):
        for entry in manifest.fetch_manifest_entry(parts.io):
            p = entry.data_file.partition
            recorded[local(entry.data_file.file_path)] = {"id_bucket": p[0], "name_trunc": p[1], "ts_day": p[2]}
    placed = spark(kind, uri, warehouse, "partitions", "--table", "proof.parts")
    check("rows placed", sorted(p["id"] for p in placed), sorted(r["id"] for r in rows))
    by_id = {r["id"]: r for r in rows}
    for p in placed:
        check(f"Spark's partition of id {p['id']} vs pyiceberg's transforms", p["partition"],
              expected_partition(by_id[p["id"]]))
        check(f"Spark's partition of id {p['id']} vs pyiceberg's manifest", p["partition"],
              recorded[local(p["file"])])
    say("bucket/truncate/day placement of", len(placed), "rows agrees (10 by pyiceberg, 10 by Spark)")

    # 5. Spark creates a bucketed table; its buckets equal pyiceberg's, and
    # pyiceberg reads the 100 rows.
    buckets = spark(kind, uri, warehouse, "create-bucketed", "--table", "proof.buckets")
    bucket = BucketTransform(16).transform(LongType())
    check("Spark's buckets vs pyiceberg's", buckets, [{"id": i, "bucket": bucket(i)} for i in range(100)])
    data = catalog.load_table("proof.buckets").scan().to_arrow()
    check("pyiceberg's read of Spark's table", sorted(zip(data.column("id").to_pylist(), data.column("name").to_pylist())),
          [(i, f"n{i}") for i in range(100)])
    say("Spark's bucket(16, id) of ids 0..99 equals pyiceberg's; pyiceberg reads Spark's table")


def main():
    db = os.path.join(STATE, "catalog.db")
    warehouse = "file://" + os.path.join(STATE, "warehouse")
    os.makedirs(os.path.join(STATE, "warehouse"), exist_ok=True)
    prove("jdbc", SqlCatalog("lakeorm", uri=f"sqlite:///{db}", warehouse=warehouse), db, warehouse)
    prove("rest", RestCatalog("lakeorm", uri=REST_URL), REST_URL, None)
    print("spark_selfcheck: both catalogs pass")


if __name__ == "__main__":
    main()
