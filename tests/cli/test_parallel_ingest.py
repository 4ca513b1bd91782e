# SPDX-License-Identifier: MIT
"""`lakeorm ingest --threads N` (issue 22): at 2 and 4 threads the same table
contents, report lines, line numbers, --rejected bytes and exit status as at
--threads 1, on good, bad and mixed corpora (NDJSON with blank lines and CRLF,
CSV with malformed records, gzip, several files, Parquet), on both write
paths, under --max-rejected and --all-or-nothing, and on a generated file of
2,000,000 lines with 1 % bad ones; a failure while the threads run writes
nothing and leaves no staged part.

Usage: test_parallel_ingest.py LAKEORM_BINARY.
"""
import json
import os
import re
import subprocess
import time

from clitest import LAKEORM, NO_CONFIG, case, finish, rows, run, write, write_json
from parallel_corpus import SCHEMA, bad_line, corpus, good_line, mixed_parquet, several_files


def normal(out):
    """stdout with the summary's run-specific values (id, seconds) cut out."""
    out = re.sub(r'"ingest_id":"[^"]*"', '"ingest_id":""', out)
    return re.sub(r'"seconds":[0-9.]+', '"seconds":0', out)


def ingest(d, tag, threads, inputs, *extra, table="events"):
    """Runs ingest into a fresh database; (exit, normalised stdout, stderr's first line, --rejected bytes, rows)."""
    db = os.path.join(d, f"{tag}-{threads}.duckdb")
    rejected = os.path.join(d, f"{tag}-{threads}.rejected")
    code, out, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--db", db, "--json", "-q",
                         "--rejected", rejected, "--threads", str(threads), *extra, *inputs)
    with open(rejected, "rb") as f:
        kept = f.read()
    # Every column but _ingest_id, which names each run.
    got = rows(db, f'SELECT id, name, email, amount, tags, seen FROM "{table}" ORDER BY id') if code in (0, 1) else None
    return code, normal(out), err.splitlines()[:1], kept, got


def same_at_every_thread_count(d, tag, inputs, *extra, expect_code=None):
    base = ingest(d, tag, 1, inputs, *extra)
    if expect_code is not None:
        assert base[0] == expect_code, (tag, base[0], base[2])
    for threads in (2, 4):
        got = ingest(d, tag, threads, inputs, *extra)
        for what, a, b in zip(("exit", "stdout", "stderr", "--rejected", "rows"), base, got):
            assert a == b, (tag, threads, what, str(a)[:300], str(b)[:300])
    return base


@case
def good_bad_and_mixed_ndjson_match_one_thread(d):
    write_json(d, "s.json", SCHEMA)
    good = corpus(d, "good.ndjson", 12000)
    bad = write(d, "bad.ndjson", "".join(bad_line(i) + "\n" for i in range(9000)))
    mixed = corpus(d, "mixed.ndjson", 30000, bad_every=37, blank_every=101, crlf=True)
    code, out, _, kept, got = same_at_every_thread_count(d, "good", [good], expect_code=0)
    assert len(got) == 12000 and kept == b"", (len(got), kept[:100])
    code, out, _, kept, got = same_at_every_thread_count(d, "bad", [bad], expect_code=1)
    assert got == [] and out.count('"line":') == 9000, (len(got), out[:200])
    code, out, _, kept, got = same_at_every_thread_count(d, "mixed", [mixed], expect_code=1)
    lines = [json.loads(l)["line"] for l in out.splitlines() if '"line":' in l]
    assert lines == sorted(lines) and len(lines) == 30000 // 37 + 1, (len(lines), lines[:5])
    assert len(got) == 30000 - len(lines), len(got)


@case
def an_input_inside_the_first_batch_takes_the_same_path(d):
    """Up to 4096 good records are one insert, direct under the fast-path size, at any thread count."""
    write_json(d, "s.json", SCHEMA)
    small = corpus(d, "small.ndjson", 4096, bad_every=500)
    exact = corpus(d, "exact.ndjson", 4096)
    for tag, path in (("small", small), ("exact", exact)):
        _, out, _, _, _ = same_at_every_thread_count(d, tag, [path])
        assert '"path":"direct"' in out, out[-300:]


@case
def csv_gzip_and_several_files_match_one_thread(d):
    write_json(d, "s.json", SCHEMA)
    code, out, _, _, got = same_at_every_thread_count(d, "files", several_files(d))
    assert code == 1 and '"file":' in out and len(got) > 20000, (code, out[:300], len(got))


@case
def parquet_input_matches_one_thread(d):
    write_json(d, "s.json", SCHEMA)
    pq = mixed_parquet(d, os.path.join(d, "s.json"))
    code, out, _, _, got = same_at_every_thread_count(d, "parquet", [pq])
    assert code == 1 and out.count('"line":') == 10000 // 97 + 1, (code, out[:300])


@case
def the_staged_path_writes_the_same_rows(d):
    write_json(d, "s.json", SCHEMA)
    mixed = corpus(d, "mixed.ndjson", 20000, bad_every=31)
    os.mkdir(os.path.join(d, "stage"))
    code, out, _, _, got = same_at_every_thread_count(d, "staged", [mixed], "--path", "staged",
                                                       "--staging", os.path.join(d, "stage"))
    assert code == 1 and '"path":"staged"' in out and len(got) > 19000, (code, out[-300:])
    assert os.listdir(os.path.join(d, "stage")) in ([], ["_staging"]), os.listdir(os.path.join(d, "stage"))


@case
def limits_decide_alike(d):
    write_json(d, "s.json", SCHEMA)
    mixed = corpus(d, "mixed.ndjson", 20000, bad_every=50)  # 400 bad: 2 %
    code, out, err, _, got = same_at_every_thread_count(d, "count", [mixed], "--max-rejected", "10", expect_code=1)
    assert got == [] and '"outcome":"refused"' in out, (out[-300:], err)
    code, out, err, _, got = same_at_every_thread_count(d, "share", [mixed], "--max-rejected", "5%", expect_code=0)
    assert len(got) == 19600, len(got)
    code, out, err, _, got = same_at_every_thread_count(d, "all", [mixed], "--all-or-nothing", expect_code=1)
    assert got == [], len(got)


@case
def two_million_lines_with_one_percent_bad(d):
    write_json(d, "s.json", SCHEMA)
    path = os.path.join(d, "big.ndjson")
    with open(path, "w") as f:
        for i in range(2000000):
            f.write((bad_line(i) if i % 100 == 7 else good_line(i)) + "\n")
    checks = []
    for threads in (1, 4):
        db = os.path.join(d, f"big-{threads}.duckdb")
        code, out, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--db", db, "--json", "-q",
                             "--threads", str(threads), path)
        # The table's contents as one fingerprint: row count and an order-free hash of every value.
        table = rows(db, "SELECT count(*) AS n, sum(hash(id, name, email, amount, tags, seen)) AS h FROM events")
        checks.append((code, normal(out), table))
    assert checks[0] == checks[1], [(c[0], c[1][-200:], c[2]) for c in checks]
    assert checks[0][0] == 1 and checks[0][2][0]["n"] == 1980000, (checks[0][0], checks[0][2])
    assert checks[0][1].count('"line":') == 20000


@case
def a_failure_under_threads_writes_nothing(d):
    """--rejected on a full device fails once the stream is under way (the first bad line comes after
    the first batch, so the threads decode it): exit 3, no rows, no staged part."""
    write_json(d, "s.json", SCHEMA)
    mixed = write(d, "mixed.ndjson", "".join((bad_line(i) if i > 6000 and i % 10 == 7 else good_line(i)) + "\n"
                                              for i in range(20000)))
    stage = os.path.join(d, "stage")
    os.mkdir(stage)
    results = []
    for threads in (1, 4):
        db = os.path.join(d, f"full-{threads}.duckdb")
        code, out, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--db", db, "--path", "staged",
                             "--staging", stage, "--rejected", "/dev/full", "--threads", str(threads), mixed)
        assert code == 3 and "nothing written" in err, (threads, code, err)
        assert rows(db, "SELECT count(*) AS n FROM events") == [{"n": 0}]
        left = [f for _, _, files in os.walk(stage) for f in files]
        assert left == [], left
        results.append(err)
    assert results[0] == results[1], results


@case
def a_pausing_pipe_does_not_hold_records_back(d):
    """Lines written to stdin reach the engine while the writer pauses: past the first batch a staged
    part appears before stdin is closed, at 4 threads as at 1."""
    write_json(d, "s.json", SCHEMA)
    for threads in (1, 4):
        stage = os.path.join(d, f"stage-{threads}")
        os.mkdir(stage)
        db = os.path.join(d, f"pipe-{threads}.duckdb")
        p = subprocess.Popen([LAKEORM, "ingest", "--schema", os.path.join(d, "s.json"), "--db", db, "--path", "staged",
                              "--staging", stage, "--threads", str(threads), "-q", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **NO_CONFIG})
        try:
            p.stdin.write("".join(good_line(i) + "\n" for i in range(6000)).encode())
            p.stdin.flush()
            deadline = time.monotonic() + 120  # a bound for a stuck run, not a speed assumption
            while not [f for _, _, files in os.walk(stage) for f in files]:
                assert p.poll() is None, p.stderr.read()
                assert time.monotonic() < deadline, (threads, "no part was staged while stdin stayed open")
                time.sleep(0.05)
            p.stdin.close()
            assert p.wait(timeout=120) == 0, p.stderr.read()
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stderr.close()
        assert rows(db, "SELECT count(*) AS n FROM events") == [{"n": 6000}]


@case
def a_retry_at_another_thread_count_is_a_replay(d):
    """The idempotency fingerprint covers the records, not how they were batched."""
    write_json(d, "s.json", SCHEMA)
    mixed = corpus(d, "mixed.ndjson", 15000, bad_every=41)
    db = os.path.join(d, "key.duckdb")
    outcomes = []
    for threads in (4, 1, 2):
        code, out, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--db", db, "--json", "-q",
                             "--idempotency-key", "batch-7", "--threads", str(threads), mixed)
        outcomes.append((code, json.loads(out.splitlines()[-1])["summary"]["outcome"]))
    assert outcomes == [(1, "inserted"), (1, "replayed"), (1, "replayed")], outcomes
    assert rows(db, "SELECT count(*) AS n FROM events") == [{"n": 15000 - 366}]


@case
def threads_are_checked(d):
    write_json(d, "s.json", SCHEMA)
    db = os.path.join(d, "t.duckdb")
    for bad in ("0", "-1", "x", "2x", "1025", ""):
        code, _, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--db", db, "--threads", bad, "-")
        assert code == 2 and "--threads" in err and "1 to 1024" in err, (bad, code, err)
    # The client's key: in a URL (and so in a profile).
    code, _, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--url", f"duckdb://{db}?threads=2", "-q",
                       stdin=(good_line(1) + "\n").encode())
    assert code == 0, err
    code, _, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--url", f"duckdb://{db}?threads=0", "-q",
                       stdin=b"")
    assert code == 2 and "threads=0" in err, (code, err)
    # A profile's threads: the pipeline's and the client's, as --threads would be; a bad one is a usage error.
    profiled = os.path.join(d, "profiled.duckdb")
    conf = write(d, "lake.toml", f'[profiles.p]\nurl = "duckdb://{profiled}"\nthreads = 3\n')
    code, _, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--config", conf, "--profile", "p", "-q",
                       corpus(d, "p.ndjson", 9000, bad_every=97))
    assert code == 1 and rows(profiled, "SELECT count(*) AS n FROM events") == [{"n": 9000 - 93}], (code, err)
    conf = write(d, "bad.toml", f'[profiles.p]\nurl = "duckdb://{db}"\nthreads = 0\n')
    code, _, err = run("ingest", "--schema", os.path.join(d, "s.json"), "--config", conf, "--profile", "p", "-")
    assert code == 2 and "threads" in err, (code, err)


finish()
