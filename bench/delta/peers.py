# SPDX-License-Identifier: MIT
"""The peers of bench/delta/run: the same rows as bench_delta.c written to a
Delta table by delta-rs (deltalake.write_deltalake from a pyarrow table built
in memory first; DeltaTable.merge) and by PySpark (a local Spark 4 session
with Delta 4.0, default threads: local[*]). One operation per run, timed
around the write alone; prints one line like bench_delta:
name=... rows=... seconds=... peak_rss_kb=... [jvm_peak_rss_kb=...]

Usage: peers.py deltalake-append ROWS URI
       peers.py deltalake-merge ROWS CHANGED URI
       peers.py spark-append ROWS URI
URI: a local path or s3://bucket/prefix/table; for s3:// the endpoint comes
from BENCH_S3_ENDPOINT and the credentials from AWS_ACCESS_KEY_ID/SECRET.
"""
import glob
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from event import arrow_table as rows_table, spark_frame  # noqa: E402  (bench/event.py)


def s3_options():
    return {"AWS_ENDPOINT_URL": os.environ["BENCH_S3_ENDPOINT"], "AWS_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"],
            "AWS_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"], "AWS_REGION": "us-east-1",
            "AWS_ALLOW_HTTP": "true", "AWS_S3_ALLOW_UNSAFE_RENAME": "true", "conditional_put": "etag"}


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def deltalake_append(rows, uri):
    from deltalake import write_deltalake
    table = rows_table(rows)
    before = peak_kb()
    t = time.monotonic()
    write_deltalake(uri, table, mode="append", storage_options=s3_options() if uri.startswith("s3://") else None)
    return time.monotonic() - t, {"rss_before_write_kb": before}


def deltalake_merge(rows, changed, uri):
    from deltalake import DeltaTable
    source = rows_table(changed, rows // changed, 7)
    before = peak_kb()
    t = time.monotonic()
    dt = DeltaTable(uri, storage_options=s3_options() if uri.startswith("s3://") else None)
    metrics = (dt.merge(source, predicate="t.id = s.id", source_alias="s", target_alias="t")
               .when_matched_update_all().when_not_matched_insert_all().execute())
    seconds = time.monotonic() - t
    assert metrics["num_target_rows_updated"] == changed, metrics
    return seconds, {"rss_before_write_kb": before}


def spark_append(rows, uri):
    from pyspark.sql import SparkSession
    root = os.path.dirname(os.path.abspath(__file__)) + "/../.."
    jars = sorted(glob.glob(root + "/.cache/spark/jars/delta-*.jar"))
    b = (SparkSession.builder.master("local[*]").config("spark.jars", ",".join(jars))
         .config("spark.driver.memory", "4g").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
         .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"))
    if uri.startswith("s3://"):
        jars += sorted(glob.glob(root + "/.cache/spark/s3a/*.jar"))
        b = (b.config("spark.jars", ",".join(jars))
             .config("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem")
             .config("spark.hadoop.fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem")
             .config("spark.hadoop.fs.s3a.endpoint", os.environ["BENCH_S3_ENDPOINT"])
             .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
             .config("spark.hadoop.fs.s3a.path.style.access", "true")
             .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
             .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                     "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
             .config("spark.hadoop.fs.s3a.access.key", os.environ["AWS_ACCESS_KEY_ID"])
             .config("spark.hadoop.fs.s3a.secret.key", os.environ["AWS_SECRET_ACCESS_KEY"]))
        uri = "s3a://" + uri[len("s3://"):]
    spark = b.getOrCreate()
    df = spark_frame(spark, rows)
    t = time.monotonic()
    df.write.format("delta").mode("append").save(uri)
    seconds = time.monotonic() - t
    extra = {}
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    if proc is not None:  # the JVM's own peak, which the Python process's rusage does not include
        with open(f"/proc/{proc.pid}/status") as f:
            extra["jvm_peak_rss_kb"] = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    spark.stop()
    return seconds, extra


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "deltalake-append":
        rows, changed, (seconds, extra) = int(args[0]), 0, deltalake_append(int(args[0]), args[1])
    elif mode == "deltalake-merge":
        rows, changed = int(args[0]), int(args[1])
        seconds, extra = deltalake_merge(rows, changed, args[2])
    elif mode == "spark-append":
        rows, changed, (seconds, extra) = int(args[0]), 0, spark_append(int(args[0]), args[1])
    else:
        sys.exit("usage: peers.py deltalake-append|deltalake-merge|spark-append ...")
    fields = " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"name={mode} rows={rows} changed={changed} seconds={seconds:.3f} peak_rss_kb={peak_kb()} {fields}".strip())
    sys.stdout.flush()
    os._exit(0)  # deltalake's runtime threads can abort an ordinary exit


main()
