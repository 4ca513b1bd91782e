# SPDX-License-Identifier: MIT
"""Concurrent writers of one Delta table with no cluster (issue 18): `lakeorm
ingest` processes racing for the same versions through put-if-absent, on a
file:// warehouse and on the suite's MinIO (s3://).

- 4 processes append 3 batches each at once: every row is there exactly once,
  tagged with the ingest id of the process that wrote it; the log's versions
  are 0..N with none missing and N = 12 (version 0 creates); deltalake reads it all.
- 4 processes make their first ingest into a table that does not exist yet:
  one version 0, 4 appends after it.
- 2 processes upserting on merge keys race 2 appending on disjoint keys: the
  final rows are each worker's last round, nothing lost, nothing twice.

Usage: concurrency_appenders.py LAKEORM [S3_ENDPOINT]; the S3 half runs with
the endpoint (http://127.0.0.1:PORT, the MinIO of tests/s3/minio.sh, user
lakeorm). Runs in the project's .venv Python (deltalake).
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import threading

from deltalake import DeltaTable

LAKEORM = sys.argv[1]
ENDPOINT = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("LAKE_TEST_S3_ENDPOINT", "")
S3_ENV = {"AWS_ACCESS_KEY_ID": "lakeorm", "AWS_SECRET_ACCESS_KEY": "lakeorm-secret", "AWS_REGION": "us-east-1"}
S3_OPTIONS = {"AWS_ENDPOINT_URL": ENDPOINT, "AWS_ACCESS_KEY_ID": "lakeorm", "AWS_SECRET_ACCESS_KEY": "lakeorm-secret",
              "AWS_REGION": "us-east-1", "AWS_ALLOW_HTTP": "true"}
ROUNDS, ROWS = 3, 5000

EVENTS = {"version": 1, "table": "events", "fields": [
    {"tag": "id", "type": "int64"},
    {"tag": "writer", "type": "int32"},
    {"tag": "payload", "type": "string"}]}
KEYED = {"version": 1, "table": "accounts", "fields": [
    {"tag": "id,mergeKey", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "amount", "type": "int64"}]}
PLAIN = {**KEYED, "fields": [{"tag": "id", "type": "int64"}] + KEYED["fields"][1:]}

failures = []


class NoRace(Exception):
    """The writers happened not to overlap: the case proved nothing, and runs again."""


class Lake:
    """A warehouse: its URL for lakeorm, and a table's URI and options for deltalake."""

    def __init__(self, kind, folder):
        self.kind, self.folder = kind, folder
        if kind == "file":
            self.url, self.env = "file://" + os.path.join(folder, "lake"), None
        else:
            prefix = f"concurrency-{os.getpid()}-{os.path.basename(folder)}"
            self.url = f"s3://lake/{prefix}?endpoint={ENDPOINT}&region=us-east-1"
            self.prefix, self.env = prefix, {**os.environ, **S3_ENV}

    def uri(self, table):
        if self.kind == "file":
            return os.path.join(self.folder, "lake", table)
        return f"s3://lake/{self.prefix}/{table}"

    def table(self, table):
        return DeltaTable(self.uri(table), storage_options=S3_OPTIONS if self.kind == "s3" else None)

    def ingest(self, schema, rows):
        """One lakeorm ingest process: (exit status, summary or None, stderr)."""
        data = "".join(json.dumps(r) + "\n" for r in rows).encode()
        p = subprocess.run([LAKEORM, "ingest", "--schema", schema, "--dialect", "delta", "--warehouse", self.url,
                            "--json", "-"], input=data, capture_output=True, env=self.env)
        out = p.stdout.decode(errors="replace")
        summary = next((json.loads(line)["summary"] for line in out.splitlines() if line.startswith('{"summary"')), None)
        return p.returncode, summary, p.stderr.decode(errors="replace")

    def migrate(self, schema):
        p = subprocess.run([LAKEORM, "migrate", "create", "--dialect", "delta", "--warehouse", self.url,
                            "--schema", schema], capture_output=True, env=self.env)
        assert p.returncode == 0, ("migrate", p.stderr.decode(errors="replace"))


def write_schema(folder, schema, name):
    path = os.path.join(folder, name + ".schema.json")
    with open(path, "w") as f:
        json.dump(schema, f)
    return path


def at_once(jobs):
    """Runs each job (a function of no arguments) in its own thread, all
    released together; returns their results in order."""
    results, start = [None] * len(jobs), threading.Barrier(len(jobs))

    def go(i):
        start.wait()
        results[i] = jobs[i]()
    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def contiguous_versions(lake, table, commits):
    """The log holds versions 0..commits, none missing, and deltalake's history agrees."""
    t = lake.table(table)
    history = sorted(h["version"] for h in t.history())
    assert history == list(range(commits + 1)), ("history versions", history, commits)
    assert t.version() == commits, (t.version(), commits)
    if lake.kind == "file":
        names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(lake.uri(table), "_delta_log", "*.json")))
        assert names == [f"{v:020d}.json" for v in range(commits + 1)], names
    # The writers did race: some commit landed past the version after the one it read (it lost a
    # put-if-absent, or its snapshot was overtaken). None would mean the test proved nothing.
    raced = [h["version"] for h in t.history() if h["version"] > 0 and h["readVersion"] < h["version"] - 1]
    if not raced:
        raise NoRace([(h["version"], h.get("readVersion")) for h in t.history()])


def appenders(lake, folder):
    schema = write_schema(folder, EVENTS, "events")
    lake.migrate(schema)

    def worker(w):
        def run():
            out = []
            for r in range(ROUNDS):
                rows = [{"id": (w * ROUNDS + r) * ROWS + k, "writer": w, "payload": f"w{w}r{r}k{k}"}
                        for k in range(ROWS)]
                out.append((rows, lake.ingest(schema, rows)))
            return out
        return run
    results = at_once([worker(w) for w in range(4)])
    owner = {}
    for batches in results:
        for rows, (code, summary, err) in batches:
            assert code == 0 and summary, ("an appender failed", code, err)
            assert summary["inserted"] == ROWS, summary
            for r in rows:
                owner[r["id"]] = summary["ingest_id"]
    contiguous_versions(lake, "events", 4 * ROUNDS)
    got = lake.table("events").to_pyarrow_table(columns=["id", "writer", "payload", "_ingest_id"]).to_pylist()
    assert len(got) == 4 * ROUNDS * ROWS, ("rows", len(got))
    assert sorted(r["id"] for r in got) == sorted(owner), "rows missing or written twice"
    for r in got:
        assert r["_ingest_id"] == owner[r["id"]], ("a row carries another request's ingest id", r)
        assert r["payload"].startswith(f"w{r['writer']}r"), r


def first_ingests_create_once(lake, folder):
    schema = write_schema(folder, EVENTS, "events")
    rows = [[{"id": w * 100 + k, "writer": w, "payload": "first"} for k in range(100)] for w in range(4)]
    results = at_once([lambda w=w: lake.ingest(schema, rows[w]) for w in range(4)])
    for code, summary, err in results:
        assert code == 0 and summary and summary["inserted"] == 100, ("a first ingest failed", code, err)
    contiguous_versions(lake, "events", 4)
    t = lake.table("events")
    assert [h["operation"] for h in sorted(t.history(), key=lambda h: h["version"])] == \
        ["CREATE TABLE"] + ["WRITE"] * 4, t.history()
    assert sorted(t.to_pyarrow_table(columns=["id"]).column("id").to_pylist()) == list(range(400))


def merges_race_appends(lake, folder):
    keyed, plain = write_schema(folder, KEYED, "keyed"), write_schema(folder, PLAIN, "plain")
    expected = {}
    # Two seed batches, each its own file, so the two upserters read different files.
    for base in (0, 5000):
        seed = [{"id": base + k, "name": "seed", "amount": 0} for k in range(500)]
        code, summary, err = lake.ingest(plain, seed)
        assert code == 0, ("seed", err)
        expected.update({r["id"]: r for r in seed})

    def upserter(base):
        def run():
            out = []
            for r in range(1, ROUNDS + 1):
                rows = [{"id": base + k, "name": f"u{base}r{r}", "amount": r * 1000 + k} for k in range(0, 500, 2)]
                rows += [{"id": base + 1000 + r * 10 + k, "name": f"new{r}", "amount": -k} for k in range(10)]
                out.append((rows, lake.ingest(keyed, rows)))
            return out
        return run

    def appender(w):
        def run():
            out = []
            for r in range(ROUNDS):
                rows = [{"id": 100000 + w * 10000 + r * 1000 + k, "name": f"a{w}", "amount": k} for k in range(500)]
                out.append((rows, lake.ingest(plain, rows)))
            return out
        return run
    results = at_once([upserter(0), upserter(5000), appender(0), appender(1)])
    for batches in results:  # each worker's rounds ran in order: its last write of a key wins
        for rows, (code, summary, err) in batches:
            assert code == 0 and summary, ("a writer failed", code, err)
            expected.update({r["id"]: r for r in rows})
    contiguous_versions(lake, "accounts", 2 + 4 * ROUNDS)
    got = sorted(lake.table("accounts").to_pyarrow_table(columns=["id", "name", "amount"]).to_pylist(),
                 key=lambda r: r["id"])
    want = [expected[k] for k in sorted(expected)]
    assert len(got) == len(want), ("rows", len(got), len(want))
    bad = [(g, w) for g, w in zip(got, want) if g != w]
    assert not bad, ("rows differ", len(bad), bad[:3])
    ops = [h["operation"] for h in lake.table("accounts").history()]
    assert ops.count("MERGE") == 2 * ROUNDS and ops.count("WRITE") == 2 + 2 * ROUNDS, ops


def case(kind, fn, tries=5):
    with tempfile.TemporaryDirectory() as folder:
        try:
            fn(Lake(kind, folder), folder)
            print("ok  ", kind, fn.__name__)
        except NoRace as e:
            # Every check but the race held; on a loaded machine the processes can run one after another.
            if tries > 1:
                print("note", kind, fn.__name__, "ran without a race, again:", e)
                sys.stdout.flush()
                return case(kind, fn, tries - 1)
            failures.append(fn.__name__)
            print("FAIL", kind, fn.__name__, "no commit raced another in 5 runs", e)
        except AssertionError as e:
            failures.append(fn.__name__)
            print("FAIL", kind, fn.__name__, e)
        except Exception as e:  # deltalake could not read the table: a failure too
            failures.append(fn.__name__)
            print("FAIL", kind, fn.__name__, type(e).__name__, e)
        sys.stdout.flush()


kinds = ["file"] + (["s3"] if ENDPOINT else [])
if not ENDPOINT:
    print("note: no S3 endpoint given, the MinIO half is not run")
for kind in kinds:
    for fn in (appenders, first_ingests_create_once, merges_race_appends):
        case(kind, fn)
print(f"{len(kinds) * 3 - len(failures)} passed, {len(failures)} failed")
sys.stdout.flush()
os._exit(1 if failures else 0)  # deltalake's runtime threads can abort an ordinary exit
