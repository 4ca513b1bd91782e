# SPDX-License-Identifier: MIT
"""kill -9 between data files and commit (issue 18, "Bad input and faults"):
a `lakeorm ingest` of a large NDJSON input into a Delta table on a file://
warehouse is killed with SIGKILL as soon as its first data file appears in the
table's folder. Then:

- the log is as it was (same commit files, same version) and deltalake and
  `lakeorm query` read the rows of before, no more;
- `lakeorm vacuum --retain 0s` (a dry run) lists exactly the files the killed
  process left, and deletes nothing;
- `--delete` removes them and nothing else; the table reads in deltalake, and
  the next ingest commits the next version.

Usage: crash_kill.py LAKEORM [LINES=2000000]. Runs in the project's .venv
Python (deltalake).
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from deltalake import DeltaTable

LAKEORM = sys.argv[1]
LINES = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000

SCHEMA = {"version": 1, "table": "big", "fields": [
    {"tag": "id", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "payload", "type": "string"},
    {"tag": "score", "type": "float64"}]}


def lake_run(*args, stdin=None):
    p = subprocess.run([LAKEORM, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def data_files(table):
    """Every file under the table's folder outside _delta_log, relative to it."""
    out = set()
    for root, dirs, files in os.walk(table):
        if os.path.relpath(root, table).split(os.sep)[0] == "_delta_log":
            continue
        out.update(os.path.relpath(os.path.join(root, f), table) for f in files)
    return out


def log_files(table):
    return sorted(os.listdir(os.path.join(table, "_delta_log")))


def generate(path, lines):
    rng = random.Random(18)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 "
    with open(path, "w") as f:
        for i in range(lines):
            payload = "".join(rng.choice(alphabet) for _ in range(24)) * 3  # compresses, but not to nothing
            f.write(json.dumps({"id": 1_000_000 + i, "name": f"row {i}", "payload": payload, "score": i / 8}) + "\n")


def main(folder):
    lake = os.path.join(folder, "lake")
    table = os.path.join(lake, "big")
    engine = ["--dialect", "delta", "--warehouse", "file://" + lake]
    schema = os.path.join(folder, "big.schema.json")
    with open(schema, "w") as f:
        json.dump(SCHEMA, f)
    seed = [{"id": i, "name": f"seed {i}", "payload": "p", "score": i / 2} for i in range(1000)]
    code, _, err = lake_run("ingest", "--schema", schema, *engine, "-",
                            stdin="".join(json.dumps(r) + "\n" for r in seed).encode())
    assert code == 0, ("seed ingest", err)
    version, logs, before = DeltaTable(table).version(), log_files(table), data_files(table)
    assert version == 1, version

    big = os.path.join(folder, "big.ndjson")
    generate(big, LINES)
    with open(big, "rb") as f:
        p = subprocess.Popen([LAKEORM, "ingest", "--schema", schema, *engine, "-"], stdin=f,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    orphans = set()
    while p.poll() is None:
        orphans = data_files(table) - before
        if orphans:
            os.kill(p.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    p.wait()
    assert p.returncode == -signal.SIGKILL, ("the ingest ended before a data file appeared: use more lines",
                                            p.returncode, p.stderr.read().decode(errors="replace")[-1000:])
    orphans = data_files(table) - before  # what it had begun when killed
    assert orphans, "no file left behind"
    print(f"killed with {len(orphans)} file(s) written and not committed")

    assert log_files(table) == logs, ("the log changed", log_files(table), logs)
    t = DeltaTable(table)
    assert t.version() == version, t.version()
    rows = sorted(t.to_pyarrow_table(columns=["id", "name", "payload", "score"]).to_pylist(), key=lambda r: r["id"])
    assert rows == seed, "the table's rows changed"
    code, out, err = lake_run("query", *engine, "SELECT count(*) AS n, max(id) AS m FROM big")
    assert code == 0 and json.loads(out) == {"n": 1000, "m": 999}, (code, out, err)

    def vacuum(*flags):
        code, out, err = lake_run("vacuum", "--table", "big", *engine, "--json", "--retain", "0s", *flags)
        assert code == 0, ("vacuum", code, err)
        lines = [json.loads(line) for line in out.splitlines()]
        return {os.path.relpath(os.path.join(lake, x["file"]), table) for x in lines if "file" in x}, lines[-1]
    listed, total = vacuum()
    assert listed == orphans, ("the dry run's list", sorted(listed), sorted(orphans))
    assert total["dry_run"] is True and total["files"] == len(orphans), total
    assert data_files(table) == before | orphans, "the dry run deleted files"
    deleted, total = vacuum("--delete")
    assert deleted == orphans and total["dry_run"] is False, (sorted(deleted), total)
    assert data_files(table) == before, ("left after --delete", sorted(data_files(table) - before),
                                         "lost", sorted(before - data_files(table)))
    assert vacuum()[0] == set(), "vacuum still lists files"
    t = DeltaTable(table)
    assert t.version() == version and t.count() == 1000, (t.version(), t.count())

    code, _, err = lake_run("ingest", "--schema", schema, *engine, "-",
                            stdin=b'{"id": 5000, "name": "after", "payload": "", "score": 0}\n')
    assert code == 0, ("ingest after the crash", err)
    t = DeltaTable(table)
    assert t.version() == version + 1 and t.count() == 1001, (t.version(), t.count())


status = 0
with tempfile.TemporaryDirectory() as d:
    try:
        main(d)
        print("ok   kill -9 during an ingest leaves the table unchanged; vacuum removes the orphans")
    except AssertionError as e:
        print("FAIL", e)
        status = 1
sys.stdout.flush()
os._exit(status)  # deltalake's runtime threads can abort an ordinary exit
