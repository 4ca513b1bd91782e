# SPDX-License-Identifier: MIT
"""Reads the nested event table lakeorm wrote through Spark with independent
readers: its files straight (deltalake for Delta, pyiceberg for Iceberg) and
PySpark's own Spark Connect client, and compares every value of every row
with the records tests/data/nested/event_rows.py makes (the C tests insert
the same ones, nested_rows.h).

Usage: read_nested.py delta|iceberg STATE_DIR NAMESPACE TABLE COUNT PORT
"""
import datetime
import glob
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data", "nested"))
from event_rows import event  # noqa: E402

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MAPS = ("attrs", "labels")


def micros(t):
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return (t - EPOCH) // datetime.timedelta(microseconds=1)


def normal(row):
    """A row as plain values: maps as dicts (pyarrow gives lists of pairs),
    instants as microseconds, the UUID as its text."""
    out = {k: v for k, v in row.items() if k != "_ingest_id"}
    for k in MAPS:
        if out[k] is not None and not isinstance(out[k], dict):
            out[k] = dict(out[k])
    out["at"] = micros(out["at"])
    if isinstance(out["event_id"], bytes):
        out["event_id"] = str(uuid.UUID(bytes=out["event_id"]))
    return out


def check(who, rows, count):
    if len(rows) != count:
        sys.exit(f"{who}: {len(rows)} rows, lakeorm wrote {count}")
    rows = sorted((normal(r) for r in rows), key=lambda r: r["at"])
    for i, got in enumerate(rows):
        want = normal(event(i))
        for k, v in want.items():
            if got[k] != v:
                sys.exit(f"{who}: row {i} column {k}: {got[k]!r}, lakeorm wrote {v!r}")
    print(f"{who}: {count} nested rows, value by value as lakeorm wrote them", flush=True)


def main():
    fmt, state, namespace, table, count, port = sys.argv[1:7]
    count = int(count)
    if fmt == "delta":
        from deltalake import DeltaTable

        path = os.path.join(state, "warehouse", namespace + ".db", table)
        check("deltalake", DeltaTable(path).to_pyarrow_table().to_pylist(), count)
    else:
        from pyiceberg.table import StaticTable

        folder = os.path.join(state, "iceberg", namespace, table, "metadata")
        latest = max(glob.glob(os.path.join(folder, "v*.metadata.json")),
                     key=lambda p: int(os.path.basename(p)[1:].split(".")[0]))
        check("pyiceberg", StaticTable.from_metadata(latest).scan().to_arrow().to_pylist(), count)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").getOrCreate()
    name = f"lake.{namespace}.{table}" if fmt == "iceberg" else f"{namespace}.{table}"
    check("PySpark", spark.sql(f"SELECT * FROM {name}").toArrow().to_pylist(), count)


if __name__ == "__main__":
    main()
    # deltalake's runtime aborts in its exit handlers: the check is done, leave at once.
    os._exit(0)
