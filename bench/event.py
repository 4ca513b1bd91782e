# SPDX-License-Identifier: MIT
"""bench/event.h's records for the Python peers of the table benchmarks
(bench/delta, bench/iceberg): row k has id k*stride+1, the time
1700000000000000 + k*1000 microseconds, the amount (k*37 mod 100000 + bump)
cents and the other values of row k mod 10,000 of the C program's batch.
arrow_table builds them as one pyarrow table; spark_frame as Spark
expressions over spark.range (nothing built on the driver)."""
import decimal

import pyarrow as pa
import pyarrow.compute as pc

COUNTRIES = ["UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"]
BATCH = 10000


def _mod(a, m):
    return pc.subtract(a, pc.multiply(pc.divide(a, m), m))  # integer inputs: divide truncates


def arrow_table(rows, stride=1, bump=0, required=False):
    """The rows as one pyarrow table; required marks the columns the C model
    never leaves NULL as not nullable (what an Iceberg table made from the
    schema then calls required)."""
    k = pa.array(range(rows), pa.int64())
    i = _mod(k, BATCH)
    email = pc.binary_join_element_wise("user", pc.cast(i, pa.string()), "@example.com", "")
    country = pc.take(pa.array(COUNTRIES), _mod(i, 8))
    age = pc.if_else(pc.equal(_mod(i, 5), 0), pa.scalar(None, pa.int32()), pc.cast(_mod(i, 90), pa.int32()))
    created = pc.cast(pc.add(pc.multiply(k, 1000), 1700000000000000), pa.timestamp("us", tz="UTC"))
    cents = pc.add(_mod(pc.multiply(k, 37), 100000), bump)
    amount = pc.cast(pc.multiply(pc.cast(cents, pa.decimal128(19, 0)), pa.scalar(decimal.Decimal("0.01"))),
                     pa.decimal128(18, 2))
    note = pc.if_else(pc.equal(_mod(i, 2), 1), pa.scalar("gift"), pa.scalar(None, pa.string()))
    columns = {"id": pc.add(pc.multiply(k, stride), 1), "email": email, "country": country, "age": age,
               "created_at": created, "amount": amount, "note": note}
    nullable = {"age", "note"}
    schema = pa.schema([pa.field(name, col.type, nullable=not required or name in nullable)
                        for name, col in columns.items()])
    return pa.table(columns, schema=schema)


def spark_frame(spark, rows):
    """The rows (stride 1, no bump) as a Spark DataFrame of expressions."""
    from pyspark.sql import functions as F

    k = F.col("id")
    i = k % BATCH
    return spark.range(rows).select(
        (k + 1).alias("id"), F.concat(F.lit("user"), i.cast("string"), F.lit("@example.com")).alias("email"),
        F.element_at(F.array(*[F.lit(c) for c in COUNTRIES]), (i % 8 + 1).cast("int")).alias("country"),
        F.when(i % 5 != 0, (i % 90).cast("int")).alias("age"),
        F.timestamp_micros(k * 1000 + 1700000000000000).alias("created_at"),
        ((k * 37 % 100000) / 100).cast("decimal(18,2)").alias("amount"),
        F.when(i % 2 == 1, F.lit("gift")).alias("note"))
