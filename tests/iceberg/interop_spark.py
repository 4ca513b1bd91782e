# SPDX-License-Identifier: MIT
"""Spark 4 (Iceberg 1.10 runtime) and lakeorm on the same Iceberg tables
(issue 19's Spark proof), through both catalogs lakeorm commits to: the SQL
catalog on SQLite (Spark's JdbcCatalog on the same file) and Iceberg's REST
catalog (the RESTCatalogServer fixture, tests/iceberg/rest_server.sh, which
this script starts and always stops). Spark is PySpark's own Spark Connect
client on the suite's server (tests/spark/server.sh), one session per
catalog kind, the catalog registered in it by tests/iceberg/spark_catalog.py.

For each catalog kind:
1. Every type: lakeorm ingests every_type.py's rows and 300 generated ones;
   Spark reads them value by value through the catalog (timestamptz as
   Spark's timestamp, UUIDs as strings; structs, lists, maps and lists of
   structs included), the ingest id of every row, and a filter on a
   timestamp (pruned by the bounds lakeorm recorded) loses no row.
2. Partition values: two tables lakeorm partitions by every transform
   (bucket on int64, string and uuid; truncate on string, decimal, int32 and
   bytes; year, month, day, hour; identity). Spark appends a twin of every
   row (the same values, another key). For every row, Spark's _partition
   (the partition of the row's file as the manifest lakeorm wrote records
   it) equals Iceberg's own transforms computed by Spark
   (lakeorm.system.bucket, truncate, years, months, days, hours), equals the
   partition pyiceberg reads for that file, and equals its twin's, which
   Spark's writer placed. Then a table Spark creates PARTITIONED BY
   (bucket(16, id)) and one lakeorm creates with bucket[16] on id: ids 0..99
   land in the same buckets.
3. Spark and lakeorm commit to one table in turn, 8 rounds: Spark INSERT,
   lakeorm append, Spark MERGE INTO, lakeorm merge (merge key), Spark
   DELETE, lakeorm merge, Spark UPDATE, lakeorm append, each reading the
   other's commit first. The table is copy-on-write (Spark's ALTER TABLE ..
   SET TBLPROPERTIES, which lakeorm's commits must keep). lakeorm, Spark
   and pyiceberg then read the same rows; the snapshot history shows the
   writers in turn, each snapshot the child of the one before; no delete
   file was written. Last, Spark deletes merge-on-read (a position delete
   file): a blind lakeorm append, which reads nothing, still commits, the
   delete manifest carried over (Spark and pyiceberg read the right rows
   after it); a lakeorm merge and a lakeorm query, which must read, are
   refused with a message naming the delete files, and nothing is committed.
4. lakeorm reads tables Spark created: one of a dozen types Spark inserted
   into, and the bucketed table of 2.

Usage: interop_spark.py LAKEORM SPARK_PORT SPARK_STATE. Exits 77 (skipped)
when the Spark server could not start for want of Java. Runs in the
project's .venv Python (pyspark, pyiceberg).
"""
import base64
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
sys.path.insert(0, os.path.join(HERE, "..", "delta"))
import spark_catalog  # noqa: E402  (sets TZ=UTC: Spark Connect hands timestamps back as naive local times)
from every_type import COLUMNS, EVERY_TYPE, ROWS, generate  # noqa: E402
from interop_values import every_expected, first_mismatch, normalized  # noqa: E402

LAKEORM, PORT, STATE = sys.argv[1:4]
UTC = datetime.timezone.utc


def lake(args, stdin=None):
    p = subprocess.run([LAKEORM, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def local(location):
    """file:/x, file:///x and /x are one file (Spark's HadoopFileIO writes
    file:/x, lakeorm and pyiceberg file:///x)."""
    for prefix in ("file://", "file:"):
        if location.startswith(prefix):
            return location[len(prefix):]
    return location


class Lake:
    """One catalog kind: lakeorm's flags, Spark's registration and pyiceberg's catalog for it."""

    def __init__(self, kind, folder, rest_url=None, rest_warehouse=None):
        self.kind, self.folder = kind, folder
        os.makedirs(folder, exist_ok=True)
        if kind == "jdbc":
            self.warehouse = os.path.join(folder, "wh")
            self.db = os.path.join(self.warehouse, "catalog.db")
            self.flags = ["--dialect", "iceberg", "--warehouse", "file://" + self.warehouse]
        else:
            self.warehouse, self.url = rest_warehouse, rest_url
            self.flags = ["--dialect", "iceberg", "--warehouse", "file://" + self.warehouse,
                          "--catalog", "rest+" + rest_url]
        os.makedirs(self.warehouse, exist_ok=True)
        self.spark = None

    def connect(self):
        """A Spark Connect session of its own (so its catalog "lakeorm" is
        this kind's), registered after lakeorm made the catalog's tables: a
        JdbcCatalog that creates them keeps SQLite locked (spark_catalog.py)."""
        from pyspark.sql import SparkSession

        self.spark = SparkSession.builder.remote(f"sc://127.0.0.1:{PORT}").create()
        if self.kind == "jdbc":
            assert spark_catalog._has_catalog_tables(self.db), "lakeorm made no catalog tables"
            spark_catalog.register(self.spark, "jdbc", self.db, "file://" + self.warehouse)
        else:
            spark_catalog.register(self.spark, "rest", self.url)
        return self.spark

    def pyiceberg(self):
        if self.kind == "jdbc":
            from pyiceberg.catalog.sql import SqlCatalog
            return SqlCatalog("lakeorm", uri="sqlite:///" + self.db, warehouse="file://" + self.warehouse)
        from pyiceberg.catalog.rest import RestCatalog
        return RestCatalog("lakeorm", uri=self.url)

    def schema(self, schema, name=None):
        path = os.path.join(self.folder, (name or schema["table"]) + ".schema.json")
        with open(path, "w") as f:
            json.dump(schema, f)
        return path

    def migrate(self, schema):
        code, _, err = lake(["migrate", "create", *self.flags, "--schema", schema])
        assert code == 0, ("lakeorm migrate create", code, err)

    def ingest(self, schema, rows, *flags, expect=0):
        data = "".join(json.dumps(r) + "\n" for r in rows).encode()
        code, out, err = lake(["ingest", "--schema", schema, *self.flags, "--json", *flags, "-"], data)
        assert code == expect, ("lakeorm ingest", code, expect, err, out[-2000:])
        summaries = [json.loads(line)["summary"] for line in out.splitlines() if line.startswith('{"summary"')]
        return summaries[-1] if summaries else {"stderr": err}

    def query(self, sql):
        code, out, err = lake(["query", *self.flags, sql])
        assert code == 0, ("lakeorm query", sql, code, err)
        return [json.loads(line) for line in out.splitlines()]

    def sql(self, statement):
        return self.spark.sql(statement).collect()


def table(name):
    return "lakeorm.default." + name


def check(what, got, want):
    assert got == want, f"{what}:\n  got  {got}\n  want {want}"


# ---- 1. every type

def every_type_read_by_spark(lk):
    rows = ROWS + generate(300)
    schema = lk.schema(EVERY_TYPE)
    first = lk.ingest(schema, rows[:150])
    second = lk.ingest(schema, rows[150:])
    cols = [c.strip() for c in COLUMNS.split(",")]
    want = [every_expected(r) for r in rows]
    df = lk.spark.sql(f"SELECT {COLUMNS} FROM {table('every')} ORDER BY n")
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    check("Spark's types of lakeorm's columns", types, {
        "n": "bigint", "i8": "int", "i16": "int", "i32": "int", "i64": "bigint", "f32": "float", "f64": "double",
        "dec": "decimal(38,10)", "money": "decimal(9,2)", "flag": "boolean", "s": "string", "b": "binary",
        "u": "string", "k": "string", "d": "date", "ts": "timestamp", "st": "struct<x:int,y:string>",
        "tags": "array<string>", "attrs": "map<string,bigint>", "ship": "struct<city:string>",
        "items": "array<struct<sku:string,qty:int>>"})
    got = [normalized(r) for r in df.collect()]
    assert got == want, "Spark's read of every type: " + first_mismatch(got, want)
    check("columns", cols, list(types))
    ids = lk.sql(f"SELECT _ingest_id, count(*) AS c FROM {table('every')} GROUP BY _ingest_id")
    check("ingest ids", {(r["_ingest_id"], r["c"]) for r in ids},
          {(first["ingest_id"], 150), (second["ingest_id"], len(rows) - 150)})
    # Spark filters on values too (pruning by the bounds lakeorm recorded must not lose rows).
    n = lk.sql(f"SELECT count(*) AS c FROM {table('every')} WHERE ts < TIMESTAMP '1970-01-01 00:00:00 UTC'")[0]["c"]
    check("rows before the epoch", n, sum(1 for r in want if r["ts"] is not None and r["ts"].year < 1970))
    return f"{len(rows)} rows of {len(cols)} columns"


# ---- 2. partition values

EVENTS = {"version": 1, "table": "events", "fields": [
    {"tag": "id,pk,partition=bucket[16]", "type": "int64"},
    {"tag": "name,partition=truncate[3]", "type": "string"},
    {"tag": "day,partition=month", "type": "date"},
    {"tag": "at,nullable,partition=hour", "type": "timestamp"},
    {"tag": "amount,nullable,partition=truncate[10]", "type": "decimal(9,2)"},
    {"tag": "n", "type": "int32"}]}
# Iceberg's transforms as Spark computes them, per partition field lakeorm names.
EVENTS_FUNCTIONS = {"id_bucket": "lakeorm.system.bucket(16, id)", "name_trunc": "lakeorm.system.truncate(3, name)",
                    "day_month": "lakeorm.system.months(day)", "at_hour": "lakeorm.system.hours(at)",
                    "amount_trunc": "lakeorm.system.truncate(10, amount)"}

MOMENTS = {"version": 1, "table": "moments", "fields": [
    {"tag": "n,pk", "type": "int64"},
    {"tag": "at,partition=day", "type": "timestamp"},
    {"tag": "d,nullable,partition=year", "type": "date"},
    {"tag": "code,partition=bucket[8]", "type": "string"},
    {"tag": "u,nullable,partition=bucket[4]", "type": "uuid"},
    {"tag": "q,partition=truncate[5]", "type": "int32"},
    {"tag": "flag,partition", "type": "bool"},
    {"tag": "b,nullable,partition=truncate[2]", "type": "bytes"}]}
# Spark has no uuid type (Iceberg's uuid reads as a string), so
# system.bucket(4, u) would hash the text: u's bucket is proven by the twins.
MOMENTS_FUNCTIONS = {"at_day": "lakeorm.system.days(at)", "d_year": "lakeorm.system.years(d)",
                     "code_bucket": "lakeorm.system.bucket(8, code)", "q_trunc": "lakeorm.system.truncate(5, q)",
                     "flag": "flag", "b_trunc": "lakeorm.system.truncate(2, b)"}

TWIN = 100000  # a twin's key is its original's plus this


def events(count):
    """Either side of the epoch, of midnight and of zero; multi-byte names shorter and longer than the width."""
    names = ["alpha", "be", "\u00e9t\u00e9s", "", "\U0001F600\U0001F600\U0001F600\U0001F600", "zz", "\u65e5\u672c\u8a9e\u306e"]
    out = []
    for i in range(count):
        at = datetime.datetime(1970, 1, 1, tzinfo=UTC) + datetime.timedelta(minutes=(i - count // 2) * 997,
                                                                            microseconds=-i)
        out.append({"id": i * 7919 - 400000 + (2 ** 40 if i % 9 == 0 else 0), "name": names[i % len(names)],
                    "day": (datetime.date(1970, 1, 1) + datetime.timedelta(days=(i - count // 2) * 41)).isoformat(),
                    "at": None if i % 13 == 0 else at.isoformat().replace("+00:00", "Z"),
                    "amount": None if i % 11 == 0 else f"{(i * 37) % 1000 - 500}.{(i * 7) % 100:02d}", "n": i})
    return out


def moments(count):
    out = []
    for i in range(count):
        at = datetime.datetime(1969, 12, 30, 22, tzinfo=UTC) + datetime.timedelta(hours=i * 7, microseconds=i - 50)
        out.append({"n": i, "at": at.isoformat().replace("+00:00", "Z"),
                    "d": None if i % 17 == 0 else (datetime.date(1969, 12, 31) + datetime.timedelta(days=(i - count // 2) * 200)).isoformat(),
                    "code": ["", "a", "lakeorm", "\u00fc\u00f1\u00ee", "\U0001F600", f"code-{i}"][i % 6] + ("" if i % 6 else str(i)),
                    "u": None if i % 19 == 0 else str(uuid.UUID(int=(i * 0x9E3779B97F4A7C15F39CC0605CEDC834) % 2 ** 128)),
                    "q": (i - count // 2) * 3, "flag": i % 3 == 0,
                    "b": None if i % 23 == 0 else base64.b64encode(bytes((i * k) % 256 for k in range(i % 4))).decode()})
    return out


def twin_for_spark(row, key, schema):
    """The row Spark appends: the same values under another key, spelt as spark_catalog.append wants."""
    out = dict(row)
    out[key] = row[key] + TWIN
    if "id" in out and key != "id":
        out["id"] = row["id"] + TWIN
    for f in schema["fields"]:
        name = f["tag"].split(",")[0]
        if f["type"] == "bytes" and out.get(name) is not None:
            out[name] = base64.b64decode(out[name]).hex()
    return out


def plain(v):
    if hasattr(v, "asDict"):
        return {k: plain(x) for k, x in v.asDict().items()}
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    return v


def manifest_partitions(lk, name):
    """The partition pyiceberg reads for every data file of the current snapshot, by local path."""
    t = lk.pyiceberg().load_table("default." + name)
    names = [f.name for f in t.spec().fields]
    out = {}
    for task in t.scan().plan_files():
        p = task.file.partition
        out[local(task.file.file_path)] = {n: p[k] for k, n in enumerate(names)}
    return out


def spark_value_for_pyiceberg(v):
    """A value of Spark's _partition in pyiceberg's terms (days and hours since the epoch stay ints, dates become days)."""
    if isinstance(v, datetime.date):
        return (v - datetime.date(1970, 1, 1)).days
    return v


def partitions_agree(lk, schema, rows, functions, key):
    name = schema["table"]
    s = lk.ingest(lk.schema(schema), rows)
    assert s["inserted"] == len(rows), s
    lake_files = manifest_partitions(lk, name)
    twins = [twin_for_spark(r, key, schema) for r in rows]
    spark_catalog.append(lk.spark, "default." + name, twins)
    fields = [f.name for f in lk.spark.table(table(name)).select("_partition").schema["_partition"].dataType.fields]
    spec = lk.pyiceberg().load_table("default." + name).spec()
    check(f"{name}: partition fields", fields, [f.name for f in spec.fields])
    exprs = ", ".join(f"{fn} AS `fn_{f}`" for f, fn in functions.items())
    got = lk.sql(f"SELECT `{key}` AS key, _partition AS p, _file AS file, {exprs} FROM {table(name)}")
    check(f"{name}: rows Spark reads", sorted(r["key"] for r in got),
          sorted([r[key] for r in rows] + [r[key] + TWIN for r in rows]))
    by_key, compared = {}, 0
    for r in got:
        part = plain(r["p"])
        by_key[r["key"]] = part
        for f, fn in functions.items():
            assert part[f] == plain(r["fn_" + f]), (f"{name}: {key}={r['key']}: the partition of its file has "
                                                    f"{f}={part[f]!r}, Iceberg's transform ({fn}) gives {r['fn_' + f]!r}")
            compared += 1
        if r["key"] < TWIN:  # a file lakeorm wrote: pyiceberg reads the same partition from lakeorm's manifest
            recorded = lake_files.get(local(r["file"]))
            assert recorded is not None, (f"{name}: {key}={r['key']} is in {r['file']}, not one of lakeorm's files",
                                          sorted(lake_files)[:3])
            check(f"{name}: {key}={r['key']}: Spark's _partition vs pyiceberg's read of lakeorm's manifest",
                  {k: spark_value_for_pyiceberg(v) for k, v in part.items()}, recorded)
            compared += len(recorded)
    for r in rows:
        check(f"{name}: {key}={r[key]}: lakeorm's partition vs Spark's of the same values",
              {k: v for k, v in by_key[r[key]].items() if k != "id_bucket"},
              {k: v for k, v in by_key[r[key] + TWIN].items() if k != "id_bucket"})
        compared += len(by_key[r[key]]) - ("id_bucket" in by_key[r[key]])
    # lakeorm reads Spark's twins back as its own rows.
    cols = [f["tag"].split(",")[0] for f in schema["fields"]]
    quoted = ", ".join(f'"{c}"' for c in cols)  # day is a keyword in DuckDB's SQL
    got = lk.query(f"SELECT {quoted} FROM {name} ORDER BY {key}")
    originals = {r[key]: r for r in got if r[key] < TWIN}
    for r in got:
        if r[key] >= TWIN:
            want = dict(originals[r[key] - TWIN], **{key: r[key]})
            if "id" in want and key != "id":
                want["id"] += TWIN
            check(f"{name}: lakeorm's read of Spark's twin {r[key]}", r, want)
    check(f"{name}: rows lakeorm reads", len(got), 2 * len(rows))
    return f"{name}: {len(rows)} rows in {len(lake_files)} files, {compared} partition values compared"


def partition_values_agree_with_spark(lk):
    events_note = partitions_agree(lk, EVENTS, events(160), EVENTS_FUNCTIONS, "n")
    moments_note = partitions_agree(lk, MOMENTS, moments(100), MOMENTS_FUNCTIONS, "n")

    # Spark's bucket(16, id) table against lakeorm's bucket[16] one, ids 0..99.
    spark_buckets = spark_catalog.create_bucketed(lk.spark, "default.spark_buckets")
    bucketed = {"version": 1, "table": "lake_buckets", "fields": [
        {"tag": "id,pk,partition=bucket[16]", "type": "int64"}, {"tag": "name", "type": "string"}]}
    lk.ingest(lk.schema(bucketed), [{"id": i, "name": f"n{i}"} for i in range(100)])
    lake_buckets = [{"id": p["id"], "bucket": p["partition"]["id_bucket"]}
                    for p in spark_catalog.partitions(lk.spark, "default.lake_buckets")]
    check("bucket(16, id) of ids 0..99: lakeorm's vs Spark's", lake_buckets, spark_buckets)
    check("the buckets used", len({b["bucket"] for b in spark_buckets}), 16)
    return f"{events_note}; {moments_note}; ids 0..99 in Spark's buckets"


# ---- 3. Spark and lakeorm in turn

LEDGER_KEYED = {"version": 1, "table": "ledger", "fields": [
    {"tag": "id,mergeKey", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "amount", "type": "int64"}]}
LEDGER_PLAIN = {**LEDGER_KEYED, "fields": [{"tag": "id", "type": "int64"}] + LEDGER_KEYED["fields"][1:]}
COPY_ON_WRITE = {"write.delete.mode": "copy-on-write", "write.update.mode": "copy-on-write",
                 "write.merge.mode": "copy-on-write"}


def values(rows):
    return ", ".join(f"({r['id']}, '{r['name']}', {r['amount']}, NULL)" for r in rows)


def writer(summary):
    if "lakeorm.ingest-id" in summary:
        return "lakeorm"
    return summary.get("engine-name", "?")


def alternate_writers(lk):
    keyed, plain_schema = lk.schema(LEDGER_KEYED, "keyed"), lk.schema(LEDGER_PLAIN, "plain")
    lk.migrate(keyed)
    t = table("ledger")
    props = ", ".join(f"'{k}' = '{v}'" for k, v in COPY_ON_WRITE.items())
    lk.sql(f"ALTER TABLE {t} SET TBLPROPERTIES ({props})")
    expected = {}
    rounds = []

    def spark_reads(what):
        want = [expected[k] for k in sorted(expected)]
        got = [r.asDict() for r in lk.spark.sql(f"SELECT id, name, amount FROM {t} ORDER BY id").collect()]
        assert got == want, f"Spark reading lakeorm's {what}: " + first_mismatch(got, want, "id")

    def lake_reads(what):
        want = [expected[k] for k in sorted(expected)]
        got = lk.query("SELECT id, name, amount FROM ledger ORDER BY id")
        assert got == want, f"lakeorm reading Spark's {what}: " + first_mismatch(got, want, "id")

    # 1 Spark INSERT
    rows = [{"id": k, "name": "spark-insert", "amount": k} for k in range(40)]
    lk.sql(f"INSERT INTO {t} (id, name, amount, _ingest_id) VALUES {values(rows)}")
    expected.update({r["id"]: r for r in rows})
    rounds.append(("spark", "append"))
    lake_reads("INSERT")
    # 2 lakeorm append
    rows = [{"id": 100 + k, "name": "lake-append", "amount": k * 3} for k in range(30)]
    lk.ingest(plain_schema, rows)
    expected.update({r["id"]: r for r in rows})
    rounds.append(("lakeorm", "append"))
    spark_reads("append")
    # 3 Spark MERGE over rows both wrote
    rows = [{"id": i, "name": "spark-merge", "amount": -i} for i in sorted(expected)[::4]]
    rows += [{"id": 200 + k, "name": "spark-merge-new", "amount": k} for k in range(5)]
    lk.sql(f"MERGE INTO {t} t USING (SELECT * FROM VALUES {values(rows)} AS s(id, name, amount, i)) s ON t.id = s.id "
           "WHEN MATCHED THEN UPDATE SET t.name = s.name, t.amount = s.amount "
           "WHEN NOT MATCHED THEN INSERT (id, name, amount, _ingest_id) VALUES (s.id, s.name, s.amount, NULL)")
    expected.update({r["id"]: r for r in rows})
    rounds.append(("spark", "overwrite"))
    lake_reads("MERGE INTO")
    # 4 lakeorm merge over rows both wrote
    rows = [{"id": i, "name": "lake-merge", "amount": i * 2} for i in sorted(expected)[1::5]]
    rows += [{"id": 300 + k, "name": "lake-merge-new", "amount": k} for k in range(4)]
    s = lk.ingest(keyed, rows)
    check("lakeorm's merge", (s["inserted"], s["updated"]), (4, len(rows) - 4))
    expected.update({r["id"]: r for r in rows})
    rounds.append(("lakeorm", "overwrite"))
    spark_reads("merge")
    # 5 Spark DELETE (copy-on-write: the files holding deleted rows are rewritten)
    lk.sql(f"DELETE FROM {t} WHERE id % 3 = 1")
    for k in [k for k in expected if k % 3 == 1]:
        del expected[k]
    rounds.append(("spark", None))  # delete or overwrite, by how the files fall
    lake_reads("DELETE")
    # 6 lakeorm merge again, over rows Spark's DELETE rewrote
    rows = [{"id": i, "name": "lake-merge-2", "amount": i * 5} for i in sorted(expected)[::3]]
    rows += [{"id": 400 + k, "name": "lake-merge-new-2", "amount": k} for k in range(2)]
    s = lk.ingest(keyed, rows)
    check("lakeorm's second merge", (s["inserted"], s["updated"]), (2, len(rows) - 2))
    expected.update({r["id"]: r for r in rows})
    rounds.append(("lakeorm", "overwrite"))
    spark_reads("second merge")
    # 7 Spark UPDATE
    lk.sql(f"UPDATE {t} SET name = 'spark-update', amount = amount + 1000 WHERE id % 4 = 0")
    for k in expected:
        if k % 4 == 0:
            expected[k] = {"id": k, "name": "spark-update", "amount": expected[k]["amount"] + 1000}
    rounds.append(("spark", "overwrite"))
    lake_reads("UPDATE")
    # 8 lakeorm append
    rows = [{"id": 500 + k, "name": "lake-append-2", "amount": k} for k in range(10)]
    lk.ingest(plain_schema, rows)
    expected.update({r["id"]: r for r in rows})
    rounds.append(("lakeorm", "append"))

    # Everyone reads the same rows.
    want = [expected[k] for k in sorted(expected)]
    spark_rows = [r.asDict() for r in lk.spark.sql(f"SELECT id, name, amount FROM {t} ORDER BY id").collect()]
    lake_rows = lk.query("SELECT id, name, amount FROM ledger ORDER BY id")
    py = lk.pyiceberg().load_table("default.ledger")
    py_rows = sorted(py.scan(selected_fields=("id", "name", "amount")).to_arrow().to_pylist(), key=lambda r: r["id"])
    for who, got in (("Spark", spark_rows), ("lakeorm", lake_rows), ("pyiceberg", py_rows)):
        assert got == want, f"final read by {who}: " + first_mismatch(got, want, "id")

    # The history: the writers in turn, each snapshot the child of the one before.
    history = spark_catalog.history(lk.spark, "default.ledger")
    check("the writers of the snapshots, in order", [writer(h["summary"]) for h in history], [w for w, _ in rounds])
    for h, (_, op) in zip(history, rounds):
        if op:
            check(f"operation of {h['snapshot_id']}", h["operation"], op)
        else:
            assert h["operation"] in ("delete", "overwrite"), h
    check("parents", [h["parent_id"] for h in history], [None] + [h["snapshot_id"] for h in history[:-1]])
    check("pyiceberg's current snapshot", py.current_snapshot().snapshot_id, history[-1]["snapshot_id"])
    agreed = len(want)
    got = {k: py.properties.get(k) for k in COPY_ON_WRITE}
    check("Spark's table properties after lakeorm's commits", got, COPY_ON_WRITE)
    deletes = lk.sql(f"SELECT count(*) AS c FROM {t}.delete_files")[0]["c"]
    check("delete files written under copy-on-write", deletes, 0)

    # Merge-on-read: Spark's DELETE writes a position delete file.
    lk.sql(f"ALTER TABLE {t} SET TBLPROPERTIES ('write.delete.mode' = 'merge-on-read')")
    gone = sorted(expected)[1]
    lk.sql(f"DELETE FROM {t} WHERE id = {gone}")
    del expected[gone]
    deletes = lk.sql(f"SELECT count(*) AS c FROM {t}.delete_files")[0]["c"]
    assert deletes >= 1, "Spark's merge-on-read DELETE wrote no delete file"
    # A blind append reads nothing of the table, so lakeorm makes it: a
    # position delete names the files it applies to, never the new one, and
    # the delete manifest is carried into the new snapshot as it was.
    lk.ingest(plain_schema, [{"id": 900, "name": "after-deletes", "amount": 0}])
    expected[900] = {"id": 900, "name": "after-deletes", "amount": 0}
    want = [expected[k] for k in sorted(expected)]
    spark_rows = [r.asDict() for r in lk.spark.sql(f"SELECT id, name, amount FROM {t} ORDER BY id").collect()]
    assert spark_rows == want, "Spark after lakeorm's append over a delete file: " + first_mismatch(spark_rows, want, "id")
    py = lk.pyiceberg().load_table("default.ledger")
    py_rows = sorted(py.scan(selected_fields=("id", "name", "amount")).to_arrow().to_pylist(), key=lambda r: r["id"])
    assert py_rows == want, "pyiceberg after lakeorm's append over a delete file: " + first_mismatch(py_rows, want, "id")
    kept = [m.content.name for m in py.current_snapshot().manifests(py.io)].count("DELETES")
    check("delete manifests in lakeorm's snapshot", kept, 1)
    # A merge must read the table, and so must a query: lakeorm refuses
    # both, naming the delete files, and commits nothing.
    before = py.current_snapshot().snapshot_id
    s = lk.ingest(keyed, [{"id": 3, "name": "refused", "amount": 0}], expect=3)
    assert "delete files" in s["stderr"], ("lakeorm's refusal does not name delete files", s["stderr"])
    check("snapshot after lakeorm's refusal", lk.pyiceberg().load_table("default.ledger").current_snapshot().snapshot_id,
          before)
    code, out, err = lake(["query", *lk.flags, "SELECT count(*) AS n FROM ledger"])
    assert code == 3 and "delete files" in err, ("lakeorm's read of a table with delete files", code, out, err)
    turns = ", ".join(w + ":" + h["operation"] for (w, _), h in zip(rounds, history))
    return (f"{len(history)} snapshots ({turns}), {agreed} rows agree; after a merge-on-read DELETE "
            "lakeorm appends and refuses to merge or query")


# ---- 4. lakeorm reads Spark's tables

def lakeorm_reads_spark_tables(lk):
    t = table("made_by_spark")
    lk.sql(f"CREATE TABLE {t} (id BIGINT, label STRING, small INT, ratio DOUBLE, price DECIMAL(10, 2), "
           "born DATE, seen TIMESTAMP, ok BOOLEAN, raw BINARY, tags ARRAY<STRING>, props MAP<STRING, INT>, "
           "pos STRUCT<x: DOUBLE, y: DOUBLE>) USING iceberg")
    lk.sql(f"INSERT INTO {t} VALUES "
           "(1, 'one', -5, 0.25, 12.50, DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.123456 UTC', true, "
           "X'00FF', array('a', NULL), map('k', 1), named_struct('x', 1.5, 'y', -2.0)), "
           "(2, '\u00e9t\u00e9 \U0001F600', 2147483647, -1.0E300, -99999999.99, DATE '1969-12-31', "
           "TIMESTAMP '1969-12-31 23:59:59.999999 UTC', false, X'', array(), map(), named_struct('x', 0.0, 'y', NULL)), "
           "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")
    got = lk.query("SELECT id, label, small, ratio, price, born, seen, ok, raw, tags, props, pos FROM made_by_spark ORDER BY id")
    want = [
        {"id": 1, "label": "one", "small": -5, "ratio": 0.25, "price": 12.5, "born": "2024-02-29",
         "seen": "2024-02-29T23:59:59.123456Z", "ok": True, "raw": "AP8=", "tags": ["a", None], "props": {"k": 1},
         "pos": {"x": 1.5, "y": -2.0}},
        {"id": 2, "label": "\u00e9t\u00e9 \U0001F600", "small": 2147483647, "ratio": -1e300, "price": -99999999.99,
         "born": "1969-12-31", "seen": "1969-12-31T23:59:59.999999Z", "ok": False, "raw": "", "tags": [], "props": {},
         "pos": {"x": 0.0, "y": None}},
        {"id": 3, **{k: None for k in ("label", "small", "ratio", "price", "born", "seen", "ok", "raw", "tags", "props",
                                        "pos")}},
    ]
    check("lakeorm's read of Spark's table", got, want)
    # The bucketed table Spark made in case 2 (or makes now).
    names = {r["tableName"] for r in lk.sql("SHOW TABLES IN lakeorm.default")}
    if "spark_buckets" not in names:
        spark_catalog.create_bucketed(lk.spark, "default.spark_buckets")
    got = lk.query("SELECT id, name FROM spark_buckets ORDER BY id")
    check("lakeorm's read of Spark's bucketed table", got, [{"id": i, "name": f"n{i}"} for i in range(100)])
    got = lk.query("SELECT count(*) AS c FROM spark_buckets WHERE id = 42")
    check("lakeorm's filtered read of Spark's bucketed table", got, [{"c": 1}])
    return "12 types Spark inserted, and Spark's bucketed table"


CASES = (every_type_read_by_spark, partition_values_agree_with_spark, alternate_writers, lakeorm_reads_spark_tables)


def run_kind(lk, first_schema):
    """Runs every case for one catalog kind: (passed, failed)."""
    passed = failed = 0
    lk.migrate(first_schema)  # the catalog's tables exist before Spark opens it
    lk.connect()
    try:
        for fn in CASES:
            started = time.monotonic()
            try:
                note = fn(lk)
                passed += 1
                print(f"ok   {lk.kind}: {fn.__name__} ({time.monotonic() - started:.1f} s): {note}")
            except AssertionError as e:
                failed += 1
                print(f"FAIL {lk.kind}: {fn.__name__}: {e}")
            except Exception as e:  # Spark refused to read or write: a failure, with its message
                failed += 1
                message = re.sub(r"\s+", " ", str(e).split("JVM stacktrace")[0])[:3000]
                print(f"FAIL {lk.kind}: {fn.__name__}: {type(e).__name__} {message}")
                traceback.print_exc(limit=3)
            sys.stdout.flush()
    finally:
        lk.spark.stop()
    return passed, failed


def main():
    if os.path.exists(os.path.join(STATE, "skipped")):
        print("skipped: the Spark server did not start (no Java)")
        return 77
    started = time.monotonic()
    folder = tempfile.mkdtemp(prefix="iceberg-interop-")
    rest_state = os.path.join(folder, "rest")
    script = os.path.join(HERE, "rest_server.sh")
    passed = failed = 0
    try:
        # The REST server starts while the SQLite half runs.
        rest = subprocess.Popen([script, "start", rest_state], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        every = None
        jdbc = Lake("jdbc", os.path.join(folder, "jdbc"))
        every = jdbc.schema(EVERY_TYPE)
        p, f = run_kind(jdbc, every)
        passed, failed = passed + p, failed + f
        out, err = rest.communicate(timeout=120)
        if rest.returncode != 0:
            print("FAIL rest: rest_server.sh start:", out, err)
            failed += 1
        else:
            url = "http://127.0.0.1:" + out.strip().splitlines()[-1]
            restk = Lake("rest", os.path.join(folder, "restcase"), url, os.path.join(rest_state, "warehouse"))
            p, f = run_kind(restk, restk.schema(EVERY_TYPE))
            passed, failed = passed + p, failed + f
    finally:
        subprocess.run([script, "stop", rest_state])
        if failed:
            print("tables and logs kept in", folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{passed} passed, {failed} failed ({time.monotonic() - started:.0f} s)")
    return 1 if failed else 0


status = main()
sys.stdout.flush()
os._exit(status)  # gRPC's threads can abort an ordinary exit
