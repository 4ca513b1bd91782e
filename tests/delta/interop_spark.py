# SPDX-License-Identifier: MIT
"""Spark 4 with Delta 4.0 and lakeorm on the same Delta tables (issue 18's
proof), through PySpark's own Spark Connect client and the suite's server
(tests/spark/server.sh), tables on a file:// warehouse both can reach.

1. A table of every type lakeorm wrote is read by Spark value by value, by
   path (spark.read.format("delta").load) and through SQL on delta.`path`;
   DESCRIBE HISTORY lists lakeorm's commits; the txn action lakeorm recorded
   for an idempotency key is honoured by Spark's own idempotent writes
   (txnAppId/txnVersion: Spark skips a write at a version the table already
   holds for that application, and writes for another).
2. Spark and lakeorm take turns on one table, 8 rounds of Spark INSERT INTO,
   Spark MERGE INTO, lakeorm append, lakeorm merge (33 versions): each reads
   the other's commits before writing. Spark checkpoints at 10 and 30 (in
   parts: delta.checkpoint.partSize is set small), lakeorm at 20; after each
   checkpoint the commits before it are moved out of the log, so the other
   side must start from that checkpoint. Spark, lakeorm and deltalake then
   read the same rows, row by row.

Usage: interop_spark.py LAKEORM SPARK_PORT SPARK_STATE. Exits 77 (skipped)
when the Spark server could not start for want of Java. Runs in the
project's .venv Python (pyspark, deltalake).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
from every_type import COLUMNS, EVERY_TYPE, ROWS, generate  # noqa: E402
from interop_values import every_expected, first_mismatch, normalized  # noqa: E402

LAKEORM, PORT, STATE = sys.argv[1:4]
os.environ["TZ"] = "UTC"  # Spark Connect hands timestamps back as naive local times
time.tzset()

LEDGER_KEYED = {"version": 1, "table": "ledger", "fields": [
    {"tag": "id,mergeKey", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "amount", "type": "int64"}]}
LEDGER_PLAIN = {**LEDGER_KEYED, "fields": [{"tag": "id", "type": "int64"}] + LEDGER_KEYED["fields"][1:]}


def lake(args, stdin=None):
    p = subprocess.run([LAKEORM, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


class Warehouse:
    def __init__(self, folder):
        self.root = os.path.join(folder, "lake")
        self.flags = ["--dialect", "delta", "--warehouse", "file://" + self.root]
        self.folder = folder

    def path(self, table):
        return os.path.join(self.root, table)

    def schema(self, schema, name):
        path = os.path.join(self.folder, name + ".schema.json")
        with open(path, "w") as f:
            json.dump(schema, f)
        return path

    def ingest(self, schema, rows, *flags):
        data = "".join(json.dumps(r) + "\n" for r in rows).encode()
        code, out, err = lake(["ingest", "--schema", schema, *self.flags, "--json", *flags, "-"], data)
        assert code == 0, ("lakeorm ingest", code, err)
        return next(json.loads(line)["summary"] for line in out.splitlines() if line.startswith('{"summary"'))

    def query(self, sql):
        code, out, err = lake(["query", *self.flags, sql])
        assert code == 0, ("lakeorm query", sql, code, err)
        return [json.loads(line) for line in out.splitlines()]


def log_version(path):
    return max(int(os.path.basename(p)[:20]) for p in glob.glob(os.path.join(path, "_delta_log", "*.json")))


def every_type_read_by_spark(spark, wh):
    rows = ROWS + generate(300)
    schema = wh.schema(EVERY_TYPE, "every")
    first = wh.ingest(schema, rows[:150])
    second = wh.ingest(schema, rows[150:], "--idempotency-key", "spark-visible")
    path = wh.path("every")
    cols = [c.strip() for c in COLUMNS.split(",")]
    want = [every_expected(r) for r in rows]
    by_path = spark.read.format("delta").load(path).select(*cols).orderBy("n").collect()
    got = [normalized(r) for r in by_path]
    assert got == want, "spark.read.format('delta'): " + first_mismatch(got, want)
    got = [normalized(r) for r in spark.sql(f"SELECT {COLUMNS} FROM delta.`{path}` ORDER BY n").collect()]
    assert got == want, "SQL on delta.`path`: " + first_mismatch(got, want)
    ids = spark.sql(f"SELECT _ingest_id, count(*) AS c FROM delta.`{path}` GROUP BY _ingest_id").collect()
    assert {(r["_ingest_id"], r["c"]) for r in ids} == {(first["ingest_id"], 150), (second["ingest_id"], len(rows) - 150)}, ids

    history = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").orderBy("version").collect()
    assert [(h["version"], h["operation"]) for h in history] == [(0, "CREATE TABLE"), (1, "WRITE"), (2, "WRITE")], \
        [(h["version"], h["operation"]) for h in history]
    assert all((h["engineInfo"] or "").startswith("lakeorm/") for h in history), [h["engineInfo"] for h in history]

    # Spark's idempotent writes read the txn lakeorm recorded: appId "spark-visible" is at version 2.
    extra = spark.sql(f"SELECT * FROM delta.`{path}` WHERE n = 1")
    extra.write.format("delta").mode("append").option("txnAppId", "spark-visible").option("txnVersion", 2).save(path)
    assert log_version(path) == 2, "Spark wrote a batch lakeorm's txn says is already in the table"
    extra.write.format("delta").mode("append").option("txnAppId", "spark-other").option("txnVersion", 2).save(path)
    assert log_version(path) == 3, "Spark's write for another application did not land"
    assert spark.read.format("delta").load(path).count() == len(rows) + 1
    assert wh.query("SELECT count(*) AS c FROM every WHERE n = 1") == [{"c": 2}]


def values(rows):
    return ", ".join(f"({r['id']}, '{r['name']}', {r['amount']})" for r in rows)


def move_commits_before(path, version, into):
    """Moves the commit files older than `version` out of the log, as a log
    cleanup would: a reader must start from the checkpoint at `version`."""
    os.makedirs(into, exist_ok=True)
    for p in glob.glob(os.path.join(path, "_delta_log", "*.json")):
        if int(os.path.basename(p)[:20]) < version:
            shutil.move(p, into)


def checkpoint_files(path, version):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(path, "_delta_log", f"{version:020d}.checkpoint*.parquet")))


def alternate_writers(spark, wh):
    keyed, plain = wh.schema(LEDGER_KEYED, "keyed"), wh.schema(LEDGER_PLAIN, "plain")
    code, _, err = lake(["migrate", "create", *wh.flags, "--schema", keyed])
    assert code == 0, ("migrate", err)
    path = wh.path("ledger")
    expected = {}
    spark.conf.set("spark.databricks.delta.checkpoint.partSize", "3")
    moved = os.path.join(wh.folder, "moved-log")
    for r in range(8):
        base = r * 100
        # Spark appends, then merges over rows both sides wrote.
        rows = [{"id": base + k, "name": f"spark-insert-{r}", "amount": k} for k in range(10)]
        spark.sql(f"INSERT INTO delta.`{path}` (id, name, amount) VALUES {values(rows)}")
        expected.update({x["id"]: x for x in rows})
        rows = [{"id": i, "name": f"spark-merge-{r}", "amount": -i} for i in sorted(expected)[::7]]
        rows += [{"id": base + 50 + k, "name": f"spark-merge-new-{r}", "amount": k} for k in range(3)]
        spark.sql(f"MERGE INTO delta.`{path}` t USING (SELECT * FROM VALUES {values(rows)} AS s(id, name, amount)) s "
                  "ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.name = s.name, t.amount = s.amount "
                  "WHEN NOT MATCHED THEN INSERT (id, name, amount) VALUES (s.id, s.name, s.amount)")
        expected.update({x["id"]: x for x in rows})
        want = [expected[k] for k in sorted(expected)]
        got = wh.query("SELECT id, name, amount FROM ledger ORDER BY id")
        assert got == want, f"round {r}: lakeorm reading Spark's commits: " + first_mismatch(got, want, "id")
        if r == 2:  # Spark's checkpoint at 10; lakeorm must start from it
            parts = checkpoint_files(path, 10)
            assert len(parts) > 1, ("Spark's checkpoint at 10 is not in parts", parts)
            move_commits_before(path, 10, moved)
            got = wh.query("SELECT id, name, amount FROM ledger ORDER BY id")
            assert got == want, "lakeorm from Spark's multi-part checkpoint: " + first_mismatch(got, want, "id")
        # lakeorm appends, then merges over rows both sides wrote.
        rows = [{"id": base + 20 + k, "name": f"lake-append-{r}", "amount": k * 3} for k in range(10)]
        wh.ingest(plain, rows)
        expected.update({x["id"]: x for x in rows})
        rows = [{"id": i, "name": f"lake-merge-{r}", "amount": i * 2} for i in sorted(expected)[1::5]]
        rows += [{"id": base + 60 + k, "name": f"lake-merge-new-{r}", "amount": k} for k in range(3)]
        s = wh.ingest(keyed, rows)
        assert s["inserted"] == 3 and s["updated"] == len(rows) - 3, s
        expected.update({x["id"]: x for x in rows})
        want = [expected[k] for k in sorted(expected)]
        got = [r.asDict() for r in spark.read.format("delta").load(path).select("id", "name", "amount").orderBy("id").collect()]
        assert got == want, f"round {r}: Spark reading lakeorm's commits: " + first_mismatch(got, want, "id")
        if r == 4:  # lakeorm's checkpoint at 20; Spark must start from it
            assert checkpoint_files(path, 20) == [f"{20:020d}.checkpoint.parquet"], checkpoint_files(path, 20)
            with open(os.path.join(path, "_delta_log", "_last_checkpoint")) as f:
                assert json.load(f)["version"] == 20
            move_commits_before(path, 20, moved)
            got = [r.asDict() for r in spark.read.format("delta").load(path).select("id", "name", "amount")
                   .orderBy("id").collect()]
            assert got == want, "Spark from lakeorm's checkpoint: " + first_mismatch(got, want, "id")
    assert log_version(path) == 32, log_version(path)
    assert checkpoint_files(path, 30), "no checkpoint at 30"
    history = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").orderBy("version").collect()
    ops = [(h["version"], h["operation"], (h["engineInfo"] or "").split("/")[0]) for h in history]
    assert ops[-4:] == [(29, "WRITE", ops[-4][2]), (30, "MERGE", ops[-3][2]), (31, "WRITE", "lakeorm"),
                        (32, "MERGE", "lakeorm")], ops[-4:]

    want = [expected[k] for k in sorted(expected)]
    spark_rows = [r.asDict() for r in spark.sql(f"SELECT id, name, amount FROM delta.`{path}` ORDER BY id").collect()]
    lake_rows = wh.query("SELECT id, name, amount FROM ledger ORDER BY id")
    from deltalake import DeltaTable
    delta_rows = sorted(DeltaTable(path).to_pyarrow_table(columns=["id", "name", "amount"]).to_pylist(),
                        key=lambda x: x["id"])
    for name, got in (("spark", spark_rows), ("lakeorm", lake_rows), ("deltalake", delta_rows)):
        assert got == want, f"final {name}: " + first_mismatch(got, want, "id")
    assert len(want) == len({r["id"] for r in spark_rows}), "duplicate keys"
    print(f"     {len(want)} rows, 33 versions, checkpoints {checkpoint_files(path, 10)[:1]}..., "
          f"{checkpoint_files(path, 20)}, {checkpoint_files(path, 30)[:1]}...")


def main():
    if os.path.exists(os.path.join(STATE, "skipped")):
        print("skipped: the Spark server did not start (no Java)")
        return 77
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{PORT}").getOrCreate()
    failed = 0
    for fn in (every_type_read_by_spark, alternate_writers):
        folder = tempfile.mkdtemp(prefix="delta-interop-")
        try:
            fn(spark, Warehouse(folder))
            print("ok  ", fn.__name__)
        except AssertionError as e:
            failed += 1
            print("FAIL", fn.__name__, e)
        except Exception as e:  # Spark refused to read or write: a failure, with its message
            failed += 1
            print("FAIL", fn.__name__, type(e).__name__, re.sub(r"\s+", " ", str(e))[:3000])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        sys.stdout.flush()
    print(f"{2 - failed} passed, {failed} failed")
    return 1 if failed else 0


status = main()
sys.stdout.flush()
os._exit(status)  # deltalake's and gRPC's threads can abort an ordinary exit
