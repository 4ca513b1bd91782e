# SPDX-License-Identifier: MIT
"""kill -9 during an ingest into an Iceberg table (issue 19, "Bad input and
faults"), on a file:// warehouse with the embedded SQL catalog
(<warehouse>/catalog.db), at two moments:

- writing: a `lakeorm ingest` of a large NDJSON input (several data files)
  is killed with SIGKILL as soon as any file of it appears under the
  table's data/ folder (the first data file, still being written: the file
  backend's temporary .NAME.tmp-*);
- between: the same, as soon as its first data file is whole (while it
  writes the next, before any manifest);
- committing: the catalog is held locked by this script (a SQLite write
  transaction, BEGIN IMMEDIATE: readers go on, the ingest's compare-and-swap
  UPDATE waits), so the ingest writes its data files, manifest, manifest
  list (snap-*.avro) and next metadata file and then waits on the catalog;
  it is killed once that metadata file is whole. Nothing in lakeorm is
  told: the lock is what any other writer of the catalog could hold.

Each time:
- the catalog names the metadata file of before, and pyiceberg and
  `lakeorm query` read the rows of before, no more;
- `lakeorm vacuum --retain 0s` (a dry run) lists exactly the data files,
  manifests, manifest lists and metadata file (written, never named) the
  killed process left, and deletes nothing;
- `--delete` removes what it listed and nothing else; every snapshot still
  reads in pyiceberg, and the next ingest commits on top of the old
  snapshot.

Usage: crash_kill.py LAKEORM [LINES=1500000]. Runs in the project's .venv
Python (pyiceberg).
"""
import base64
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from pyiceberg.catalog.sql import SqlCatalog

LAKEORM = sys.argv[1]
LINES = int(sys.argv[2]) if len(sys.argv) > 2 else 1_500_000
SCHEMA = {"version": 1, "table": "big", "fields": [
    {"tag": "id", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "payload", "type": "string"},
    {"tag": "score", "type": "float64"}]}
SEED = [{"id": i, "name": f"seed {i}", "payload": "p", "score": i / 2} for i in range(1000)]


def generate(path, lines):
    rng = random.Random(19)
    with open(path, "w") as f:
        for i in range(lines):
            payload = base64.b64encode(rng.randbytes(150)).decode()  # does not compress: ~200 bytes a row
            f.write(json.dumps({"id": 1_000_000 + i, "name": f"row {i}", "payload": payload, "score": i / 8}) + "\n")


class Lake:
    def __init__(self, folder, when):
        self.wh = os.path.join(folder, "wh-" + when)
        os.makedirs(self.wh)
        self.table_dir = os.path.join(self.wh, "default", "big")
        self.db = os.path.join(self.wh, "catalog.db")
        self.flags = ["--dialect", "iceberg", "--warehouse", "file://" + self.wh,
                      "--staging", "file://" + os.path.join(folder, "staging-" + when)]
        self.schema = os.path.join(folder, f"big-{when}.schema.json")
        with open(self.schema, "w") as f:
            json.dump(SCHEMA, f)

    def command(self, *args):
        return [LAKEORM, *args, *self.flags]

    def run(self, *args, stdin=None):
        p = subprocess.run(self.command(*args), input=stdin, capture_output=True)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def ingest(self, rows):
        code, _, err = self.run("ingest", "--schema", self.schema, "-",
                                stdin="".join(json.dumps(r) + "\n" for r in rows).encode())
        assert code == 0, ("ingest", err[-2000:])

    def pointer(self):
        """The metadata file the catalog names, read from the catalog itself."""
        with sqlite3.connect(self.db) as con:
            return con.execute("SELECT metadata_location FROM iceberg_tables WHERE table_name = 'big'").fetchone()[0]

    def files(self):
        """Every file under the table's folder, relative to it."""
        out = set()
        for root, _, names in os.walk(self.table_dir):
            out.update(os.path.relpath(os.path.join(root, n), self.table_dir) for n in names)
        return out

    def table(self):
        return SqlCatalog("lakeorm", uri="sqlite:///" + self.db, warehouse="file://" + self.wh).load_table("default.big")

    def vacuum(self, *flags):
        code, out, err = self.run("vacuum", "--table", "big", "--json", "--retain", "0s", *flags)
        assert code == 0, ("vacuum", code, err[-2000:])
        lines = [json.loads(line) for line in out.splitlines()]
        listed = {os.path.relpath(os.path.join(self.wh, x["file"]), self.table_dir) for x in lines if "file" in x}
        return listed, lines[-1]


def kill_when(p, ready, timeout=120):
    """SIGKILLs p as soon as ready() holds; asserts it was still running."""
    deadline = time.monotonic() + timeout
    while p.poll() is None and time.monotonic() < deadline:
        if ready():
            os.kill(p.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    else:
        if p.poll() is None:
            p.kill()
    p.wait()
    err = p.stderr.read().decode(errors="replace")[-1500:] if p.stderr else ""
    assert p.returncode == -signal.SIGKILL, ("the ingest ended before it could be killed", p.returncode, err)


def crash(folder, inputs, when):
    lake = Lake(folder, when)
    lake.ingest(SEED)
    pointer, before = lake.pointer(), lake.files()
    old = lake.table().current_snapshot().snapshot_id

    lock = None
    if when == "committing":  # a write transaction on the catalog: the ingest's swap waits on it
        lock = sqlite3.connect(lake.db, isolation_level=None, timeout=30)
        lock.execute("BEGIN IMMEDIATE")
    try:
        with open(inputs[when], "rb") as f:
            p = subprocess.Popen(lake.command("ingest", "--schema", lake.schema, "-"), stdin=f,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if when == "writing":
            kill_when(p, lambda: any(n.startswith("data" + os.sep) for n in lake.files() - before))
        elif when == "between":  # a data file whole (its upload's temporary name gone), the next begun
            kill_when(p, lambda: any(n.startswith("data" + os.sep) and ".tmp-" not in n for n in lake.files() - before))
        else:
            # its next metadata file is written (after the list): it waits on the catalog, nothing in flight
            def waiting():
                new = lake.files() - before
                return any(n.endswith(".metadata.json") for n in new) and not any(".tmp-" in n for n in new)
            kill_when(p, waiting)
    finally:
        if lock:
            lock.execute("ROLLBACK")
            lock.close()

    left = lake.files() - before  # what the killed process had written, or begun
    metadata = {n for n in left if n.endswith(".metadata.json")}
    data = {n for n in left if n.startswith("data" + os.sep)}
    assert data, ("no data file left behind", sorted(left))
    if when == "between":
        assert any(".tmp-" not in n for n in data), ("no whole data file left", sorted(left))
    if when == "committing":
        lists = {n for n in left if os.path.basename(n).startswith("snap-")}
        manifests = {n for n in left if n.endswith("-m0.avro")}
        assert len(lists) == 1 and len(manifests) == 1, ("one manifest and one list", sorted(left))
        assert not any(".tmp-" in n for n in left), ("an unfinished upload while committing", sorted(left))
    print(f"     {when}: killed with {len(data)} data file(s) left ({sum('.tmp-' in n for n in data)} unfinished), "
          f"{len(left) - len(data) - len(metadata)} manifest(s) and list(s), {len(metadata)} metadata file(s)")

    # The table is as it was.
    assert lake.pointer() == pointer, ("the catalog moved", lake.pointer(), pointer)
    t = lake.table()
    assert t.current_snapshot().snapshot_id == old and len(t.snapshots()) == 1, t.snapshots()
    rows = sorted(t.scan().to_arrow().select(["id", "name", "payload", "score"]).to_pylist(), key=lambda r: r["id"])
    assert rows == SEED, "pyiceberg reads other rows"
    code, out, err = lake.run("query", "SELECT count(*) AS n, max(id) AS m FROM big")
    assert code == 0 and json.loads(out) == {"n": 1000, "m": 999}, (code, out, err)

    # vacuum lists exactly what was left, then deletes it.
    listed, total = lake.vacuum()
    assert listed == left, ("the dry run does not list what the killed ingest left", "listed", sorted(listed),
                            "left", sorted(left))
    assert total["dry_run"] is True and total["files"] == len(listed), total
    assert lake.files() == before | left, "the dry run deleted files"
    deleted, total = lake.vacuum("--delete")
    assert deleted == listed and total["dry_run"] is False, (sorted(deleted), total)
    assert lake.files() == before, ("after --delete", sorted(lake.files() - before), "lost",
                                    sorted(before - lake.files()))
    assert lake.vacuum()[0] == set(), "vacuum still lists files"
    t = lake.table()
    assert t.scan().to_arrow().num_rows == 1000

    # The next ingest commits over the old snapshot.
    lake.ingest([{"id": 5000, "name": "after", "payload": "", "score": 0.0}])
    t = lake.table()
    snap = t.current_snapshot()
    assert snap.parent_snapshot_id == old and snap.sequence_number == 2, (snap.parent_snapshot_id, old, snap)
    assert t.scan().to_arrow().num_rows == 1001
    code, out, err = lake.run("query", "SELECT count(*) AS n FROM big")
    assert code == 0 and json.loads(out) == {"n": 1001}, (code, out, err)


def main():
    status = 0
    with tempfile.TemporaryDirectory() as d:
        big = os.path.join(d, "big.ndjson")
        began = time.monotonic()
        generate(big, LINES)
        small = os.path.join(d, "small.ndjson")  # the committing case waits on the catalog, not on the input
        with open(big) as f, open(small, "w") as g:
            g.writelines(line for _, line in zip(range(20000), f))
        inputs = {"writing": big, "between": big, "committing": small}
        print(f"     input: {LINES} lines, {os.path.getsize(big) >> 20} MiB ({time.monotonic() - began:.1f} s)")
        for when in ("writing", "between", "committing"):
            began = time.monotonic()
            try:
                crash(d, inputs, when)
                print(f"ok   killed while {when}: the table is unchanged; vacuum removes what was left "
                      f"({time.monotonic() - began:.1f} s)")
            except AssertionError as e:
                print(f"FAIL killed while {when}:", str(e)[:3000])
                status = 1
            sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
