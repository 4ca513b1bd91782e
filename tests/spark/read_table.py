# SPDX-License-Identifier: MIT
"""Reads a table lakeorm wrote through Spark with independent readers: its
files straight (deltalake for Delta, pyiceberg for Iceberg) and PySpark's own
Spark Connect client; checks row count, sum of ids and the ingest columns
against what lakeorm's client reported.

Usage: read_table.py delta|iceberg STATE_DIR NAMESPACE TABLE COUNT SUM PORT
"""
import glob
import os
import sys


def main():
    fmt, state, namespace, table, count, total, port = sys.argv[1:8]
    if fmt == "delta":
        from deltalake import DeltaTable

        path = os.path.join(state, "warehouse", namespace + ".db", table)
        data = DeltaTable(path).to_pyarrow_table()
    else:
        from pyiceberg.table import StaticTable

        folder = os.path.join(state, "iceberg", namespace, table, "metadata")
        latest = max(glob.glob(os.path.join(folder, "v*.metadata.json")),
                     key=lambda p: int(os.path.basename(p)[1:].split(".")[0]))
        data = StaticTable.from_metadata(latest).scan().to_arrow()
    ids = data.column("id").to_pylist()
    batches = set(data.column("_ingest_id").to_pylist())
    if data.column("batch").to_pylist() != data.column("_ingest_id").to_pylist():
        sys.exit(f"{fmt}: batch (auto=ingestID) differs from _ingest_id")
    if len(ids) != int(count) or sum(ids) != int(total):
        sys.exit(f"{fmt}: {len(ids)} rows summing to {sum(ids)}; Spark said {count} and {total}")
    print(f"{fmt}: {len(ids)} rows in {len(batches)} ingests, as lakeorm reports", flush=True)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").getOrCreate()
    name = f"lake.{namespace}.{table}" if fmt == "iceberg" else f"{namespace}.{table}"
    row = spark.sql(f"SELECT count(*) AS n, sum(id) AS s, count(DISTINCT _ingest_id) AS b FROM {name}").collect()[0]
    if (row.n, row.s, row.b) != (len(ids), sum(ids), len(batches)):
        sys.exit(f"{fmt}: PySpark sees {row}, the files hold {len(ids)} rows")
    print(f"{fmt}: PySpark agrees", flush=True)


if __name__ == "__main__":
    main()
    # deltalake's runtime aborts in its exit handlers ("terminate called
    # without an active exception"): the check is done, leave at once.
    os._exit(0)
