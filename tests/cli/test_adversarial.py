# SPDX-License-Identifier: MIT
"""What an adversarial pass tried and lakeorm withstood, kept that way: hostile
JSON, SQL injection through names and parameters, kill -9 mid-ingest, a full
disk and concurrent writers. Each case ends with the table exactly as the
requests that succeeded left it.

Usage: test_adversarial.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os
import resource
import signal
import subprocess
import time
import uuid

from clitest import LAKEORM, SCHEMA, case, count, finish, rows, run



def user(i):
    return {"id": str(uuid.UUID(int=i + 1, version=4)), "email": f"user{i}@example.com", "name": f"User {i}",
            "age": i % 100, "country": "NL", "balance": f"{i}.50", "created_at": "2024-03-05T12:34:56Z",
            "updated_at": None, "address": {"city": "Utrecht", "postcode": None}}


def lines(first, n):
    return "".join(json.dumps(user(i)) + "\n" for i in range(first, first + n)).encode()


def seed(db, n=3):
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "-", stdin=lines(0, n))
    assert code == 0, (code, err)


@case
def hostile_json_never_stops_the_good_lines(d):
    db = os.path.join(d, "lake.duckdb")
    good = [json.dumps(user(i)).encode() for i in range(4)]
    bad = [
        b'{"id": "truncated',
        json.dumps(user(90)).encode() + b' {"trailing": 1}',
        json.dumps({**user(91), "age": 1e400}).encode(),
        json.dumps({**user(92), "age": 99999999999999999999999}).encode(),
        b"[" * 100000 + b"]" * 100000,
        b'{"name": "\xff\xfe", ' + json.dumps(user(93)).encode()[1:],
        json.dumps({**user(94), "name": "a" * (1 << 20)}).encode(),
        json.dumps({**user(95), "extra": True}).encode(),
        json.dumps(user(96)).encode().replace(b'"User 96"', b'"User \\u0000 96"').replace(b'"NL"', b'"XX"'),
        b'{"id": ' * 50000,
    ]
    data = b"\n".join([good[0], *bad[:5], good[1], *bad[5:], good[2], good[3]]) + b"\n"
    code, out, err = run("ingest", "--schema", SCHEMA, "--db", db, "--json", "-", stdin=data)
    assert code == 1, (code, err)
    reports = [json.loads(l) for l in out.splitlines()]
    assert [r["line"] for r in reports[:-1]] == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12], reports[:-1]
    assert reports[-1]["summary"]["inserted"] == 4, reports[-1]
    assert count(db) == 4


@case
def sql_injection_through_names_and_parameters(d):
    db = os.path.join(d, "lake.duckdb")
    seed(db)
    hostile = 'users"; DROP TABLE users; --'
    with open(SCHEMA) as f:
        schema = json.load(f)
    schema["table"] = hostile
    schema["fields"][2]["tag"] = 'na"me'
    path = os.path.join(d, "hostile.schema.json")
    with open(path, "w") as f:
        json.dump(schema, f)
    one = {**user(7), 'na"me': "x"}
    del one["name"]
    code, _, err = run("ingest", "--schema", path, "--db", db, "-", stdin=json.dumps(one).encode())
    assert code == 0, (code, err)
    assert count(db) == 3 and count(db, hostile) == 1
    got = rows(db, "SELECT count(*) AS n FROM users WHERE name = ?", "x' OR '1'='1")
    assert got == [{"n": 0}], got
    got = rows(db, "SELECT ? AS v", "'); DROP TABLE users; --")
    assert got == [{"v": "'); DROP TABLE users; --"}], got
    assert count(db) == 3


@case
def kill_9_mid_ingest_leaves_the_table_as_it_was(d):
    db = os.path.join(d, "lake.duckdb")
    seed(db)
    staging = os.path.join(d, "stage")
    for path in ("direct", "staged"):
        p = subprocess.Popen([LAKEORM, "ingest", "--schema", SCHEMA, "--db", db, "--path", path,
                              "--staging", "file://" + staging, "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Enough lines for several batches to reach the engine or the parts, then no end of input.
        p.stdin.write(lines(1000, 20000))
        p.stdin.flush()
        time.sleep(1.0)  # only to let work start; the assertions hold whenever the kill lands
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdin.close()
        assert p.returncode == -signal.SIGKILL, p.returncode
        assert count(db) == 3, path
    # The database still takes a request, and the leftovers are lakeorm's to clean.
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "-", stdin=lines(100, 5))
    assert code == 0, (code, err)
    assert count(db) == 8
    code, out, err = run("cleanup-staging", "--staging", "file://" + staging, "--older-than", "0s", "--json")
    assert code == 0, (code, out, err)
    left = [os.path.join(r, f) for r, _, fs in os.walk(staging) for f in fs]
    assert left == [], left


def limit_file_size(limit):
    def apply():
        # A file may not grow past `limit`: writes fail with EFBIG as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@case
def full_disk_fails_the_whole_request(d):
    db = os.path.join(d, "lake.duckdb")
    seed(db)
    staging = os.path.join(d, "stage")
    for path in ("staged", "direct"):
        code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--path", path, "--staging", "file://" + staging,
                           "-", stdin=lines(1000, 30000), preexec=limit_file_size(256 << 10))
        assert code == 3, (path, code, err)
        assert count(db) == 3, path
    left = [os.path.join(r, f) for r, _, fs in os.walk(staging) for f in fs]
    assert left == [], left


@case
def concurrent_writers_each_all_or_nothing(d):
    db = os.path.join(d, "lake.duckdb")
    seed(db)
    procs = [subprocess.Popen([LAKEORM, "ingest", "--schema", SCHEMA, "--db", db, "-"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(4)]
    for k, p in enumerate(procs):
        try:
            p.stdin.write(lines(10000 * (k + 1), 2000))
            p.stdin.close()
        except BrokenPipeError:
            pass  # it failed to open the database before reading: checked below
    codes = [p.wait() for p in procs]
    for p in procs:
        p.stderr.close()
    # DuckDB lets one process hold the file: the others fail whole (exit 3), never in part.
    assert all(c in (0, 3) for c in codes) and 0 in codes, codes
    assert count(db) == 3 + 2000 * codes.count(0), (codes, count(db))


finish()
