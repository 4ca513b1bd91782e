# SPDX-License-Identifier: MIT
"""The PySpark Spark Connect client doing what bench_spark does, on the same
server: the same records built in Python, createDataFrame from local rows then
insertInto an existing Delta table (and saveAsTable), and reads through
toArrow() and collect(). Prints name=... rows=... seconds=... lines.
Usage: pyspark_peer.py sc://ADDRESS ROWS"""
import datetime
import decimal
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql.types import (BooleanType, DateType, DecimalType, DoubleType, LongType, StringType, StructField,
                               StructType, TimestampType)

SCHEMA = StructType([
    StructField("id", LongType(), False), StructField("tenant", StringType(), False),
    StructField("product", StringType(), False), StructField("amount", DecimalType(12, 2), True),
    StructField("at", TimestampType(), False), StructField("day", DateType(), False),
    StructField("score", DoubleType(), False), StructField("paid", BooleanType(), False),
    StructField("note", StringType(), True),
])


def make(n):
    tenants = ["acme", "globex", "initech", "umbrella"]
    products = [f"product-{p:02d}" for p in range(100)]
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    day0 = datetime.date(1970, 1, 1)
    return [(i, tenants[i % 4], products[i % 100], decimal.Decimal(i % 100000).scaleb(-2),
             epoch + datetime.timedelta(microseconds=1700000000000000 + i * 1000),
             day0 + datetime.timedelta(days=19000 + i % 1000), (i % 1000) / 8.0, i % 2 == 0,
             "gift wrap" if i % 3 else None) for i in range(n)]


def main():
    url, n = sys.argv[1], int(sys.argv[2])
    spark = SparkSession.builder.remote(url).getOrCreate()
    spark.sql("CREATE NAMESPACE IF NOT EXISTS bench")
    rows = make(n)
    for how in ("insertInto", "saveAsTable"):
        spark.sql("DROP TABLE IF EXISTS bench.peer_sales")
        if how == "insertInto":
            spark.sql("CREATE TABLE bench.peer_sales (id BIGINT NOT NULL, tenant STRING NOT NULL, product STRING NOT NULL, "
                      "amount DECIMAL(12,2), at TIMESTAMP NOT NULL, day DATE NOT NULL, score DOUBLE NOT NULL, "
                      "paid BOOLEAN NOT NULL, note STRING) USING delta")
        t = time.perf_counter()
        df = spark.createDataFrame(rows, SCHEMA)
        if how == "insertInto":
            df.write.insertInto("bench.peer_sales")
        else:
            df.write.format("delta").saveAsTable("bench.peer_sales")
        print(f"name=pyspark-{how} rows={n} seconds={time.perf_counter() - t:.3f}", flush=True)
    t = time.perf_counter()
    table = spark.table("bench.bench_sales").toArrow()
    print(f"name=pyspark-toArrow rows={table.num_rows} seconds={time.perf_counter() - t:.3f}", flush=True)
    t = time.perf_counter()
    got = spark.table("bench.bench_sales").collect()
    print(f"name=pyspark-collect rows={len(got)} seconds={time.perf_counter() - t:.3f}", flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
