# SPDX-License-Identifier: MIT
"""The peers of bench/iceberg/run: the rows of bench_iceberg.c
(bench/event.py) appended to a new Iceberg table (default.events) by
pyiceberg (a SqlCatalog on SQLite; table.append of a pyarrow table built in
memory before the clock starts) and by PySpark (a local Spark 4 session,
local[*], with the Iceberg 1.10 runtime; a JDBC catalog on SQLite;
DataFrame.writeTo(...).append()). The table is created untimed; the clock
runs around the append alone. Prints one line like bench_iceberg:
name=... rows=... seconds=... cpu_seconds=... peak_rss_kb=... [rss_before_write_kb=...] [jvm_peak_rss_kb=...]
(cpu_seconds: user + system time over the append, of the Python process or,
for Spark, of its JVM, where the work happens.)

Usage: peers.py pyiceberg-append|spark-append ROWS WAREHOUSE CATALOG_DB
WAREHOUSE: file:///abs/folder or s3://bucket/prefix; for s3:// the endpoint
comes from BENCH_S3_ENDPOINT and the credentials from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY. CATALOG_DB: the SQLite file of the catalog, on local
disk in both cases.
"""
import glob
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from event import arrow_table, spark_frame  # noqa: E402  (bench/event.py)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds(pid=None):
    if pid is None:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def pyiceberg_append(rows, warehouse, db):
    from pyiceberg.catalog.sql import SqlCatalog

    props = {"uri": f"sqlite:///{db}", "warehouse": warehouse}
    if warehouse.startswith("s3://"):
        props.update({"py-io-impl": "pyiceberg.io.pyarrow.PyArrowFileIO", "s3.endpoint": os.environ["BENCH_S3_ENDPOINT"],
                      "s3.access-key-id": os.environ["AWS_ACCESS_KEY_ID"],
                      "s3.secret-access-key": os.environ["AWS_SECRET_ACCESS_KEY"], "s3.region": "us-east-1"})
    catalog = SqlCatalog("bench", **props)
    catalog.create_namespace("default")
    table = arrow_table(rows, required=True)
    events = catalog.create_table("default.events", schema=table.schema)
    before = peak_kb()
    t, cpu = time.monotonic(), cpu_seconds()
    events.append(table)
    seconds, cpu = time.monotonic() - t, cpu_seconds() - cpu
    assert events.current_snapshot().summary["added-records"] == str(rows)
    return seconds, cpu, {"rss_before_write_kb": before}


def spark_append(rows, warehouse, db):
    from pyspark.sql import SparkSession

    jars = sorted(glob.glob(ROOT + "/.cache/spark/jars/iceberg-spark-runtime-*.jar") +
                  glob.glob(ROOT + "/.cache/spark/jars/sqlite-jdbc-*.jar"))
    c = "spark.sql.catalog.bench"
    b = (SparkSession.builder.master("local[*]").config("spark.driver.memory", "4g")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
         .config(c, "org.apache.iceberg.spark.SparkCatalog").config(c + ".type", "jdbc")
         .config(c + ".uri", "jdbc:sqlite:" + db).config(c + ".jdbc.schema-version", "V1"))
    if warehouse.startswith("s3://"):
        jars += sorted(glob.glob(ROOT + "/.cache/spark/s3a/*.jar"))
        b = (b.config("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem")
             .config("spark.hadoop.fs.s3a.endpoint", os.environ["BENCH_S3_ENDPOINT"])
             .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
             .config("spark.hadoop.fs.s3a.path.style.access", "true")
             .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
             .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                     "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
             .config("spark.hadoop.fs.s3a.access.key", os.environ["AWS_ACCESS_KEY_ID"])
             .config("spark.hadoop.fs.s3a.secret.key", os.environ["AWS_SECRET_ACCESS_KEY"]))
        warehouse = "s3a://" + warehouse[len("s3://"):]
    spark = b.config("spark.jars", ",".join(jars)).config(c + ".warehouse", warehouse).getOrCreate()
    spark.sql("CREATE NAMESPACE IF NOT EXISTS bench.default")
    df = spark_frame(spark, rows)
    df.limit(0).writeTo("bench.default.events").create()
    jvm = spark.sparkContext._gateway.proc.pid
    t, cpu = time.monotonic(), cpu_seconds(jvm)
    df.writeTo("bench.default.events").append()
    seconds, cpu = time.monotonic() - t, cpu_seconds(jvm) - cpu
    added = spark.sql("SELECT summary['added-records'] AS n FROM bench.default.events.snapshots "
                      "ORDER BY committed_at DESC LIMIT 1").collect()[0]["n"]
    assert added == str(rows), added
    with open(f"/proc/{jvm}/status") as f:  # the JVM's own peak, which the Python process's rusage leaves out
        extra = {"jvm_peak_rss_kb": next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))}
    spark.stop()
    return seconds, cpu, extra


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("pyiceberg-append", "spark-append"):
        sys.exit("usage: peers.py pyiceberg-append|spark-append ROWS WAREHOUSE CATALOG_DB")
    mode, rows, warehouse, db = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    seconds, cpu, extra = (pyiceberg_append if mode == "pyiceberg-append" else spark_append)(rows, warehouse, db)
    fields = " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"name={mode} rows={rows} seconds={seconds:.3f} cpu_seconds={cpu:.3f} peak_rss_kb={peak_kb()} {fields}".strip())
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
