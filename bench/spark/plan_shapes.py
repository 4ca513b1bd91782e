# SPDX-License-Identifier: MIT
"""How a Spark Connect server lands the same local Arrow data under different
plan shapes, measured from PySpark (its client work is the same for each):
the bench's 9-column sale plus a 36-character _ingest_id, cut into K local
relations, then either registered as temporary views and moved by one
INSERT ... SELECT over their UNION ALL (lakeorm's direct path) or unioned
and written by one WriteOperation (DataFrameWriter.insertInto). With
--no-folding the session first excludes the optimizer rule
ConvertToLocalRelation, as lakeorm's driver does. Prints name=... rows=...
seconds=... [server_cpu=...] lines; server CPU seconds when --server-pid
names the server's JVM (read from /proc).
Usage: plan_shapes.py sc://ADDRESS ROWS views:K|write:K [--no-folding] [--server-pid PID]"""
import argparse
import decimal
import os
import time
import uuid

import pyarrow as pa
from pyspark.sql import SparkSession

DDL = ("CREATE TABLE bench.shapes (id BIGINT NOT NULL, tenant STRING NOT NULL, product STRING NOT NULL, "
       "amount DECIMAL(12,2), at TIMESTAMP NOT NULL, day DATE NOT NULL, score DOUBLE NOT NULL, "
       "paid BOOLEAN NOT NULL, note STRING, _ingest_id STRING NOT NULL) USING delta")


def sales(n):
    tenants = ["acme", "globex", "initech", "umbrella"]
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "tenant": pa.array([tenants[i % 4] for i in range(n)]),
        "product": pa.array([f"product-{i % 100:02d}" for i in range(n)]),
        "amount": pa.array([decimal.Decimal(i % 100000).scaleb(-2) for i in range(n)], pa.decimal128(12, 2)),
        "at": pa.array([1700000000000000 + i * 1000 for i in range(n)], pa.timestamp("us", tz="UTC")),
        "day": pa.array([19000 + i % 1000 for i in range(n)], pa.date32()),
        "score": pa.array([(i % 1000) / 8.0 for i in range(n)], pa.float64()),
        "paid": pa.array([i % 2 == 0 for i in range(n)]),
        "note": pa.array(["gift wrap" if i % 3 else None for i in range(n)]),
        "_ingest_id": pa.array([str(uuid.uuid4())] * n),
    })


def cpu(pid):
    if not pid:
        return 0.0
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("rows", type=int)
    ap.add_argument("shape")
    ap.add_argument("--no-folding", action="store_true")
    ap.add_argument("--server-pid", type=int)
    a = ap.parse_args()
    how, k = a.shape.split(":")
    spark = SparkSession.builder.remote(a.url).getOrCreate()
    if a.no_folding:
        spark.conf.set("spark.sql.optimizer.excludedRules", "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation")
    spark.sql("CREATE NAMESPACE IF NOT EXISTS bench")
    spark.sql("DROP TABLE IF EXISTS bench.shapes")
    spark.sql(DDL)
    table = sales(a.rows)
    step = -(-a.rows // int(k))
    t, c = time.perf_counter(), cpu(a.server_pid)
    frames = [spark.createDataFrame(table.slice(at, step)) for at in range(0, a.rows, step)]
    if how == "views":
        for i, f in enumerate(frames):
            f.createOrReplaceTempView(f"shapes_{i}")
        spark.sql("INSERT INTO bench.shapes " +
                  " UNION ALL ".join(f"SELECT * FROM shapes_{i}" for i in range(len(frames)))).collect()
    else:
        union = frames[0]
        for f in frames[1:]:
            union = union.union(f)
        union.write.insertInto("bench.shapes")
    seconds = time.perf_counter() - t
    landed = spark.table("bench.shapes").count()
    extra = f" server_cpu={cpu(a.server_pid) - c:.1f}" if a.server_pid else ""
    print(f"name={a.shape}{'-nofold' if a.no_folding else ''} rows={landed} seconds={seconds:.3f}{extra}", flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
