# SPDX-License-Identifier: MIT
"""kill -9 during an ingest (issue 18, "Bad input and faults"): a `lakeorm
ingest` of a large NDJSON input (about 300 MB of Parquet, so several data
files of 128 MiB) into a Delta table on a file:// warehouse is killed with
SIGKILL, twice, in two tables:

- writing: as soon as any file of it appears in the table's folder (the
  first data file, still being written: the file backend's temporary
  .part-*.tmp-*);
- between: as soon as its first data file is complete (while it writes the
  next, before any commit).

Each time:
- the log is as it was (same commit files, same version) and deltalake and
  `lakeorm query` read the rows of before, no more;
- `lakeorm vacuum --retain 0s` (a dry run) lists exactly the files the killed
  process left, and deletes nothing;
- `--delete` removes them and nothing else; the table reads in deltalake, and
  the next ingest commits the next version.

Usage: crash_kill.py LAKEORM [LINES=2000000]. Runs in the project's .venv
Python (deltalake).
"""
import base64
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
    with open(path, "w") as f:
        for i in range(lines):
            payload = base64.b64encode(rng.randbytes(150)).decode()  # does not compress: ~150 bytes a row
            f.write(json.dumps({"id": 1_000_000 + i, "name": f"row {i}", "payload": payload, "score": i / 8}) + "\n")


def hidden(rel):
    return os.path.basename(rel).startswith((".", "_"))


def crash(folder, big, when):
    lake = os.path.join(folder, "lake-" + when)
    table = os.path.join(lake, "big")
    engine = ["--dialect", "delta", "--warehouse", "file://" + lake]
    schema = os.path.join(folder, f"big-{when}.schema.json")
    with open(schema, "w") as f:
        json.dump(SCHEMA, f)
    seed = [{"id": i, "name": f"seed {i}", "payload": "p", "score": i / 2} for i in range(1000)]
    code, _, err = lake_run("ingest", "--schema", schema, *engine, "-",
                            stdin="".join(json.dumps(r) + "\n" for r in seed).encode())
    assert code == 0, ("seed ingest", err)
    version, logs, before = DeltaTable(table).version(), log_files(table), data_files(table)
    assert version == 1, version

    with open(big, "rb") as f:
        p = subprocess.Popen([LAKEORM, "ingest", "--schema", schema, *engine, "-"], stdin=f,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while p.poll() is None:
        new = data_files(table) - before
        if new and (when == "writing" or any(not hidden(f) for f in new)):
            os.kill(p.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    p.wait()
    assert p.returncode == -signal.SIGKILL, ("the ingest ended before it could be killed: use more lines",
                                            p.returncode, p.stderr.read().decode(errors="replace")[-1000:])
    left = data_files(table) - before  # what it had written, or begun, when killed
    complete = {f for f in left if not hidden(f)}
    assert left and (when == "writing" or complete), ("nothing left behind", sorted(left))
    print(f"     {when}: killed with {len(complete)} data file(s) complete and not committed, "
          f"{len(left - complete)} being written")

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
    assert listed == left, ("the dry run does not list what the killed ingest left", "listed", sorted(listed),
                            "left", sorted(left))
    assert total["dry_run"] is True and total["files"] == len(listed), total
    assert data_files(table) == before | left, "the dry run deleted files"
    deleted, total = vacuum("--delete")
    assert deleted == left and total["dry_run"] is False, (sorted(deleted), total)
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
    big = os.path.join(d, "big.ndjson")
    generate(big, LINES)
    for when in ("writing", "between"):
        try:
            crash(d, big, when)
            print(f"ok   killed {when} data files: the table is unchanged; vacuum removes what was left")
        except AssertionError as e:
            print(f"FAIL killed {when} data files:", e)
            status = 1
        sys.stdout.flush()
sys.stdout.flush()
os._exit(status)  # deltalake's runtime threads can abort an ordinary exit
