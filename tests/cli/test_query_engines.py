# SPDX-License-Identifier: MIT
"""Every driver prints the same row the same way: the same 5,003 rows of every
column type (tests/cli/every_type.py: ints of every width at their extremes,
float32 and float64 bit patterns, decimals, bools, unicode, bytes, UUIDs,
KSUIDs, dates and timestamps from year 1 to 9999, structs, NULLs) are ingested
into DuckDB and, through the Spark Connect server of the run
(tests/spark/server.sh), into a Delta and an Iceberg table; `lakeorm query`
must then print byte-identical lines from DuckDB, from Spark (both tables) and
from the Databricks SQL fake (tests/databricks/server.py) reading the Delta one.

Usage: test_query_engines.py LAKEORM SPARK_PORT SPARK_STATE VENV_PYTHON SOURCE_DIR.
Exits 77 (skipped) when the Spark server could not start for want of Java.
Standard library only; the Databricks fake and the cleanup run in VENV_PYTHON.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from every_type import COLUMNS, EVERY_TYPE, EXPECTED, ROWS, generate  # noqa: E402

LAKEORM, PORT, STATE, PYTHON, SOURCE = sys.argv[1:6]
SPARK = f"sc://127.0.0.1:{PORT}"
NAMESPACE = f"lakeorm_query_{os.getpid()}"
ICEBERG = f"lake.{NAMESPACE}"
TOKEN = "dapi-query-test"
QUERY = f"SELECT {COLUMNS} FROM every ORDER BY n"


def run(*args, data=None, env=None):
    p = subprocess.run([LAKEORM, *args], input=data, capture_output=True, env=env)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def lines_of(url, env=None):
    code, out, err = run("query", "--url", url, QUERY, env=env)
    assert code == 0, (url, code, err)
    return out.split(b"\n")


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"line {i + 1}:\n  {x!r}\n  {y!r}"
    return f"{len(a)} lines against {len(b)}"


def start_databricks(folder):
    port_file = os.path.join(folder, "databricks.port")
    server = subprocess.Popen([PYTHON, os.path.join(SOURCE, "tests/databricks/server.py"), "--spark", SPARK,
                               "--port-file", port_file, "--warehouse", "wh-test", "--pat", TOKEN],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # it connects to Spark first; no wall-clock assumption beyond "eventually"
        if os.path.exists(port_file) or server.poll() is not None:
            break
        time.sleep(0.1)
    assert os.path.exists(port_file), "the Databricks fake did not start"
    with open(port_file) as f:
        return server, int(f.read().strip())


def drop_namespaces():
    # Table by table: Iceberg's Hadoop catalog refuses DROP NAMESPACE ... CASCADE.
    script = ("import sys\nfrom pyspark.sql import SparkSession\n"
              "s = SparkSession.builder.remote(sys.argv[1]).getOrCreate()\n"
              "for ns in sys.argv[2:]:\n"
              "    if not s.sql(f'SHOW NAMESPACES IN {ns.rpartition(\".\")[0]}' if '.' in ns else 'SHOW NAMESPACES')"
              ".where(f\"namespace = '{ns.rpartition('.')[2]}'\").count():\n        continue\n"
              "    for t in s.sql(f'SHOW TABLES IN {ns}').collect():\n"
              "        s.sql(f'DROP TABLE {ns}.{t.tableName}' + (' PURGE' if ns.startswith('lake.') else ''))\n"
              "    s.sql(f'DROP NAMESPACE {ns}')\n")
    p = subprocess.run([PYTHON, "-c", script, SPARK, NAMESPACE, ICEBERG], capture_output=True)
    assert p.returncode == 0, ("dropping the test's namespaces", p.stderr.decode(errors="replace")[-2000:])


def main():
    if os.path.exists(os.path.join(STATE, "skipped")):
        print("skipped: the Spark server did not start (no Java)")
        return 77
    rows = ROWS + generate(5000)
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    env = dict(os.environ, DATABRICKS_TOKEN=TOKEN)
    server, status = None, 0
    with tempfile.TemporaryDirectory() as d:
        try:
            schema, db = os.path.join(d, "every.schema.json"), os.path.join(d, "lake.duckdb")
            with open(schema, "w") as f:
                json.dump(EVERY_TYPE, f)
            code, _, err = run("ingest", "--schema", schema, "--db", db, "-", data=data)
            assert code == 0, ("duckdb ingest", code, err)
            delta = f"{SPARK}?dialect=delta&schema={NAMESPACE}"
            iceberg = f"{SPARK}?dialect=iceberg&schema={ICEBERG}"
            for url in (delta, iceberg):
                code, _, err = run("ingest", "--schema", schema, "--url", url, "-", data=data)
                assert code == 0, (url, code, err)
            expected = lines_of("duckdb://" + db)
            assert len(expected) == len(rows) + 1 and expected[-1] == b"", len(expected)
            assert expected[:len(ROWS)] == [line.encode() for line in EXPECTED], first_difference(
                [line.encode() for line in EXPECTED], expected[:len(ROWS)])
            server, port = start_databricks(d)
            warehouse = f"http://127.0.0.1:{port}/sql/1.0/warehouses/wh-test?schema={NAMESPACE}"
            failures = []
            for name, url in (("spark delta", delta), ("spark iceberg", iceberg), ("databricks", warehouse)):
                got = lines_of(url, env)
                if got != expected:
                    differ = sum(x != y for x, y in zip(got, expected)) + abs(len(got) - len(expected))
                    failures.append(f"{name}: {differ} lines differ from DuckDB's; first at "
                                    f"{first_difference(expected, got)}")
                else:
                    print("ok  ", name, len(rows), "rows byte-identical to DuckDB's")
            assert not failures, "\n".join(failures)
        except AssertionError as e:
            print("FAIL", e)
            status = 1
        finally:
            if server:
                server.terminate()
                server.wait()
    try:
        drop_namespaces()
    except AssertionError as e:
        print("FAIL", e)
        status = 1
    return status


sys.exit(main())
