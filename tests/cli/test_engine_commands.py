# SPDX-License-Identifier: MIT
"""The engine commands end to end: ingest, query, migrate, cleanup-staging,
and the manual pages. Each case works in a fresh folder with a real DuckDB
database file; the table is read back with `lakeorm query` and, independently,
with the duckdb Python package when it is installed.

Usage: test_engine_commands.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os
import subprocess
import uuid

from clitest import LAKEORM, SCHEMA, SAMPLE, case, count, finish, rows, run



def user_line(i):
    return json.dumps({
        "id": str(uuid.UUID(int=i + 1, version=4)), "email": f"user{i}@example.com", "name": f"User {i}",
        "age": i % 100, "country": "NL", "balance": f"{i}.50", "created_at": "2024-03-05T12:34:56Z",
        "updated_at": None, "address": {"city": "Utrecht", "postcode": None}})


@case
def ingest_inserts_good_lines_and_reports_bad_ones(d):
    db = os.path.join(d, "lake.duckdb")
    code, out, err = run("ingest", "--schema", SCHEMA, "--db", db, SAMPLE)
    assert code == 1, (code, err)
    assert [l.split(":")[0] for l in out.splitlines()] == ["line 2", "line 4", "line 6"], out
    assert "6 records, 3 inserted into users, 3 rejected" in err, err
    assert count(db) == 3
    got = rows(db, "SELECT name, age, balance, address FROM users ORDER BY name")
    assert got[1] == {"name": "Chloé", "age": None, "balance": 0.0, "address": {"city": "Paris", "postcode": None}}, got
    ids = rows(db, "SELECT count(DISTINCT _ingest_id) AS n, min(_ingest_id) AS id FROM users")[0]
    assert ids["n"] == 1 and uuid.UUID(ids["id"]).version == 7, ids


@case
def all_or_nothing_refuses_the_batch(d):
    db = os.path.join(d, "lake.duckdb")
    code, out, err = run("ingest", "--schema", SCHEMA, "--db", db, "--json", "--all-or-nothing", SAMPLE)
    assert code == 1, (code, err)
    lines = [json.loads(l) for l in out.splitlines()]
    assert [l["line"] for l in lines[:-1]] == [2, 4, 6]
    assert lines[-1]["summary"]["outcome"] == "refused" and lines[-1]["summary"]["inserted"] == 0, lines[-1]
    assert count(db) == 0


@case
def stdin_json_summary_and_both_paths(d):
    db = os.path.join(d, "lake.duckdb")
    data = "".join(user_line(i) + "\n" for i in range(3000)).encode()
    for path, first in (("direct", 0), ("staged", 3000)):
        data = "".join(user_line(i) + "\n" for i in range(first, first + 3000)).encode()
        code, out, err = run("ingest", "--schema", SCHEMA, "--db", db, "--json", "--path", path, "-", stdin=data)
        assert code == 0, (code, err)
        summary = json.loads(out.splitlines()[-1])["summary"]
        assert summary["inserted"] == 3000 and summary["path"] == path, summary
    assert count(db) == 6000
    assert rows(db, "SELECT sum(age) AS s FROM users")[0]["s"] == sum(i % 100 for i in range(6000))


@case
def small_ingests_go_direct_large_ones_stage(d):
    # An input that ends within the first batch is one insert whose size is known: direct below the client's
    # fast_path_bytes (default 128 MiB), staged above. A longer one streams, and a streaming request stages
    # (its size is unknown) when the staging is a local folder, as --db's default is.
    def ingest(db_args, first, n):
        data = "".join(user_line(i) + "\n" for i in range(first, first + n)).encode()
        code, out, err = run("ingest", "--schema", SCHEMA, *db_args, "--json", "-", stdin=data)
        assert code == 0, (code, err)
        summary = json.loads(out.splitlines()[-1])["summary"]
        assert summary["inserted"] == n, summary
        return summary["path"]

    db = os.path.join(d, "lake.duckdb")
    assert ingest(["--db", db], 0, 2) == "direct"
    assert ingest(["--db", db], 2, 4096) == "direct"  # exactly one batch: still one insert
    small_fast_path = ["--url", "duckdb://" + db + "?fast_path_bytes=1000"]
    assert ingest(small_fast_path, 5000, 2) == "direct"  # 2 records are under 1000 bytes
    assert ingest(small_fast_path, 6000, 100) == "staged"
    assert ingest(small_fast_path, 7000, 5000) == "staged"  # past the first batch: streamed
    assert count(db) == 2 + 4096 + 2 + 100 + 5000
    # Every path wrote every record.
    assert rows(db, "SELECT sum(age) AS s FROM users")[0]["s"] == sum(
        i % 100 for r in ((0, 2), (2, 4096), (5000, 2), (6000, 100), (7000, 5000)) for i in range(r[0], r[0] + r[1]))


@case
def upserts_on_the_merge_key_and_retries_by_key(d):
    db = os.path.join(d, "lake.duckdb")
    lines = [user_line(i) for i in range(10)]
    run("ingest", "--schema", SCHEMA, "--db", db, "-", stdin="\n".join(lines).encode())
    changed = json.loads(lines[3])
    changed["name"] = "Renamed"
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "-", stdin=json.dumps(changed).encode())
    assert code == 0, err
    assert count(db) == 10
    assert rows(db, "SELECT name FROM users WHERE email = ?", "user3@example.com") == [{"name": "Renamed"}]
    extra = user_line(50).encode()
    for attempt in range(2):
        code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--idempotency-key", "batch-7", "-", stdin=extra)
        assert code == 0, err
    assert "a retry: already written" in err, err
    assert count(db) == 11


@case
def engine_failures_write_nothing_and_exit_3(d):
    db = os.path.join(d, "lake.duckdb")
    other = json.dumps({**json.loads(user_line(1)), "email": "someone.else@example.com"})
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "-", stdin=(user_line(1) + "\n").encode())
    assert code == 0, err
    # The same primary key under another merge key: the engine refuses, the request writes nothing.
    data = (user_line(2) + "\n" + other + "\n").encode()
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "-", stdin=data)
    assert code == 3 and "nothing written" in err, (code, err)
    assert count(db) == 1


@case
def usage_errors_exit_2(d):
    db = os.path.join(d, "lake.duckdb")
    for args in (["ingest", "--db", db, SAMPLE],
                 ["ingest", "--schema", SCHEMA, SAMPLE],
                 ["ingest", "--schema", SCHEMA, "--db", db, "--path", "sideways", SAMPLE],
                 ["ingest", "--schema", os.path.join(d, "missing.json"), "--db", db, SAMPLE],
                 ["ingest", "--schema", SCHEMA, "--url", "duckdb://" + db + "?colour=red", SAMPLE],
                 ["query", "--db", db, "SELECT * FROM nowhere"],
                 ["query", "--db", db, "SELECT CAST(? AS INT) AS x"],
                 ["cleanup-staging", "--staging", "file://" + d, "--older-than", "soon"]):
        code, _, err = run(*args)
        assert code == 2, (args, code, err)


@case
def migrate_and_query_parameters(d):
    db = os.path.join(d, "lake.duckdb")
    code, out, err = run("migrate", "create", "--db", db, "--schema", SCHEMA)
    assert code == 0 and out == "users: ready\n", (code, out, err)
    code, out, _ = run("migrate", "create", "--db", db, "--schema", SCHEMA)
    assert code == 0
    assert count(db) == 0
    run("ingest", "--schema", SCHEMA, "--db", db, SAMPLE)
    got = rows(db, "SELECT name FROM users WHERE age > CAST(? AS INT) AND country = ? ORDER BY name", "20", "UK")
    assert got == [{"name": "Ann"}], got
    hostile = rows(db, "SELECT count(*) AS n FROM users WHERE name = ?", "x'; DROP TABLE users; --")
    assert hostile == [{"n": 0}] and count(db) == 3


@case
def migrations_from_drift(d):
    db, mig = os.path.join(d, "lake.duckdb"), os.path.join(d, "migrations")
    v1 = json.load(open(SCHEMA))
    v2 = json.loads(json.dumps(v1))
    v2["fields"] = [f for f in v2["fields"] if not f["tag"].startswith("updated_at")]
    v2["fields"].append({"tag": "tier,nullable", "type": "int32"})
    for f in v2["fields"]:
        if f["tag"] == "name":
            f["tag"] = "full_name"
    p1, p2 = os.path.join(d, "v1.json"), os.path.join(d, "v2.json")
    json.dump(v1, open(p1, "w"))
    json.dump(v2, open(p2, "w"))
    code, out, err = run("migrate", "generate", "--dir", mig, "--schema", p1)
    assert code == 0 and out.startswith("1 migration file written"), (code, out, err)
    code, out, err = run("migrate", "generate", "--dir", mig, "--schema", p2, "--rename", "users.name=full_name")
    assert code == 0 and out.startswith("1 migration file"), (code, out, err)
    code, out, _ = run("migrate", "generate", "--dir", mig, "--schema", p2)
    assert code == 0 and out.startswith("no drift"), out
    files = sorted(f for f in os.listdir(mig) if f.endswith(".sql"))
    second = open(os.path.join(mig, files[1])).read()
    assert 'RENAME COLUMN "name" TO "full_name"' in second and "-- DESTRUCTIVE: data loss" in second, second
    code, out, _ = run("migrate", "verify", "--dir", mig)
    assert code == 0, out
    # Apply the files the way a runner would: Up sections in order, through lakeorm's engine.
    code, _, err = run("migrate", "create", "--db", db, "--schema", p1)
    assert code == 0, err
    code, out, _ = run("migrate", "assert", "--db", db, "--schema", p2, "--json")
    assert code == 1 and {i["rule"] for i in json.loads(out)} >= {"missing_column", "extra_column"}, out
    # (tests/unit/migrate applies the files to DuckDB; here: a table made from v2 matches v2)
    db2 = os.path.join(d, "v2.duckdb")
    code, _, err = run("migrate", "create", "--db", db2, "--schema", p2)
    assert code == 0, err
    code, out, _ = run("migrate", "assert", "--db", db2, "--schema", p2)
    assert code == 0 and "matches" in out, out
    with open(os.path.join(mig, files[1]), "a") as f:
        f.write("-- edited\n")
    code, out, _ = run("migrate", "verify", "--dir", mig)
    assert code == 1 and files[1] in out and "[edited]" in out, out
    code, _, _ = run("migrate", "verify", "--dir", os.path.join(d, "nowhere"))
    assert code == 2


@case
def migrate_create_renames_columns_natively(d):
    db = os.path.join(d, "lake.duckdb")
    v1 = json.load(open(SCHEMA))
    v2 = json.loads(json.dumps(v1))
    for f in v2["fields"]:  # a plain column and the primary key
        f["tag"] = {"name": "full_name", "id,pk": "user_id,pk"}.get(f["tag"], f["tag"])
    p2 = os.path.join(d, "v2.json")
    json.dump(v2, open(p2, "w"))
    renames = ["--rename", "users.name=full_name", "--rename", "users.id=user_id"]
    assert run("migrate", "create", "--db", db, "--schema", SCHEMA)[0] == 0
    run("ingest", "--schema", SCHEMA, "--db", db, SAMPLE)  # the sample's good lines
    before = rows(db, "SELECT id, name FROM users ORDER BY id")
    assert len(before) == 3, before
    code, out, err = run("migrate", "create", "--db", db, "--schema", p2, *renames)
    assert code == 0 and out == "users: ready\n", (code, out, err)
    got = rows(db, "SELECT user_id, full_name FROM users ORDER BY user_id")
    assert got == [{"user_id": r["id"], "full_name": r["name"]} for r in before], (got, before)
    code, out, _ = run("migrate", "assert", "--db", db, "--schema", p2)
    assert code == 0 and "matches" in out, out
    # The renamed model writes, and the key still holds under its new name.
    line = json.loads(user_line(7))
    line["user_id"], line["full_name"] = line.pop("id"), line.pop("name")
    code, _, err = run("ingest", "--schema", p2, "--db", db, "-", stdin=(json.dumps(line) + "\n").encode())
    assert code == 0 and count(db) == len(before) + 1, err
    dup = {**line, "email": "other@example.com"}
    code, _, _ = run("ingest", "--schema", p2, "--db", db, "-", stdin=(json.dumps(dup) + "\n").encode())
    assert code != 0 and count(db) == len(before) + 1, "a duplicate of the renamed key was written"
    # Again: nothing to do. A new database: the table takes the model's names.
    code, out, err = run("migrate", "create", "--db", db, "--schema", p2, *renames)
    assert code == 0 and count(db) == len(before) + 1, (code, out, err)
    fresh = os.path.join(d, "fresh.duckdb")
    assert run("migrate", "create", "--db", fresh, "--schema", p2, *renames)[0] == 0
    assert run("migrate", "assert", "--db", fresh, "--schema", p2)[0] == 0
    # Renames that cannot apply change nothing.
    v3 = {**v2, "fields": v2["fields"] + [{"tag": "extra,nullable", "type": "string"}]}
    p3 = os.path.join(d, "v3.json")
    json.dump(v3, open(p3, "w"))
    for args, message in ((["users.ghost=extra"], "table users has neither column ghost nor extra"),
                          (["users.ghost=phantom"], "the model has no column phantom"),
                          (["users.full_name=_ingest_id"], "_ingest_id is lakeorm's system column"),
                          (["users.age=full_name"], "already has a column full_name")):
        v = v3 if "extra" in args[0] else {**v2, "fields": [f for f in v2["fields"] if not f["tag"].startswith("age")]}
        path = os.path.join(d, "bad.json")
        json.dump(v, open(path, "w"))
        code, out, err = run("migrate", "create", "--db", db, "--schema", path, "--rename", args[0])
        assert code == 2 and message in err, (args, code, out, err)
    code, out, _ = run("migrate", "assert", "--db", db, "--schema", p2)
    assert code == 0, out


@case
def cleanup_staging_removes_old_prefixes(d):
    staging = os.path.join(d, "staging")
    old = uuid.UUID(bytes=bytes.fromhex("017f22e279b0") + os.urandom(10))  # 2022: long ago
    old = uuid.UUID(int=(old.int & ~(0xF << 76) & ~(0x3 << 62)) | (7 << 76) | (2 << 62))
    new = uuid.UUID(int=(uuid.uuid4().int & ~(0xFFFFFFFFFFFF << 80)) | (int(__import__("time").time() * 1000) << 80))
    new = uuid.UUID(int=(new.int & ~(0xF << 76) & ~(0x3 << 62)) | (7 << 76) | (2 << 62))
    for name in (str(old), str(new)):
        os.makedirs(os.path.join(staging, "_staging", name))
        open(os.path.join(staging, "_staging", name, "part-00001.parquet"), "wb").write(b"PAR1")
    code, out, err = run("cleanup-staging", "--staging", "file://" + staging, "--older-than", "1h", "--json")
    assert code == 0, (code, err)
    assert json.loads(out) == {"scanned": 2, "deleted": 1, "failed": 0, "objects": 1}, out
    assert os.listdir(os.path.join(staging, "_staging")) == [str(new)]


@case
def manual_pages(d):
    code, out, _ = run("help")
    assert code == 0 and "EXIT STATUS" in out and "cleanup-staging" in out
    for cmd in ("ingest", "validate", "query", "migrate", "cleanup-staging"):
        code, out, _ = run(cmd, "--help")
        assert code == 0 and out.startswith("NAME\n    lakeorm " + cmd) and "SYNOPSIS" in out, (cmd, out)
    code, _, _ = run("help", "frobnicate")
    assert code == 2


@case
def structured_logs_on_request(d):
    db = os.path.join(d, "lake.duckdb")
    p = subprocess.run([LAKEORM, "ingest", "--schema", SCHEMA, "--db", db, SAMPLE], capture_output=True,
                       env={**os.environ, "LAKEORM_LOG": "info"})
    events = [json.loads(l) for l in p.stderr.decode().splitlines() if l.startswith("{")]
    done = [e for e in events if e["event"] == "insert.done"]
    assert len(done) == 1 and done[0]["table"] == "users" and done[0]["rows"] == 3, events


def peak_rss_kb(args, data_path):
    with open(data_path, "rb") as f:
        p = subprocess.Popen([LAKEORM, *args], stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss


def ingest_memory_stays_flat(d):
    small, large = os.path.join(d, "small"), os.path.join(d, "large")
    with open(small, "w") as f:
        f.writelines(user_line(i) + "\n" for i in range(100000))
    with open(large, "w") as f:
        f.writelines(user_line(i) + "\n" for i in range(500000))
    a = peak_rss_kb(["ingest", "--schema", SCHEMA, "--db", os.path.join(d, "a.duckdb"), "-"], small)
    b = peak_rss_kb(["ingest", "--schema", SCHEMA, "--db", os.path.join(d, "b.duckdb"), "-"], large)
    assert count(os.path.join(d, "b.duckdb")) == 500000
    # 5x the input; past the staged row group (32 MiB) nothing grows with it
    assert b < a + 40 * 1024, (a, b)


# Sanitizers keep freed memory in quarantine: peak RSS says nothing there.
if not os.environ.get("LAKE_SANITIZED"):
    case(ingest_memory_stays_flat)

finish()
