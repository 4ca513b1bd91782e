# SPDX-License-Identifier: MIT
"""The CLI's files and signals under a careless operator: outputs that name
inputs, outputs that cannot be written (before and after the commit), rejected
lines that must come back byte for byte, and SIGINT/SIGTERM mid-ingest.

Usage: test_hardening_io.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import base64
import glob
import json
import os
import signal
import subprocess
import time
import uuid

from clitest import LAKEORM, SCHEMA, SAMPLE, case, count, finish, run



def user_line(i, **changes):
    return json.dumps({
        "id": str(uuid.UUID(int=i + 1, version=4)), "email": f"user{i}@example.com", "name": f"User {i}",
        "age": i % 100, "country": "NL", "balance": f"{i}.50", "created_at": "2024-03-05T12:34:56Z",
        "updated_at": None, "address": {"city": "Utrecht", "postcode": None}, **changes})


def copy_sample(d):
    path = os.path.join(d, "in.ndjson")
    with open(SAMPLE, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read())
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- an output that names an input is refused before anything is written (issue 15, item 6)

@case
def ingest_refuses_rejected_file_that_is_the_input(d):
    src = copy_sample(d)
    original = read(src)
    db = os.path.join(d, "lake.duckdb")
    os.link(src, os.path.join(d, "hard.ndjson"))
    os.symlink(src, os.path.join(d, "soft.ndjson"))
    for out in (src, os.path.join(d, "hard.ndjson"), os.path.join(d, "soft.ndjson"), os.path.join(d, ".", "in.ndjson")):
        code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--rejected", out, src)
        assert code == 2 and "refusing to overwrite" in err, (out, code, err)
        assert read(src) == original, out
    with open(src, "rb") as f:  # the input is stdin
        code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--rejected", src, "-", stdin=f)
    assert code == 2 and "(stdin)" in err, (code, err)
    assert read(src) == original
    assert not os.path.exists(db), "refused before the database was opened"


@case
def ingest_refuses_rejected_file_that_is_the_schema_or_database(d):
    schema = os.path.join(d, "users.schema.json")
    with open(schema, "wb") as f:
        f.write(read(SCHEMA))
    db = os.path.join(d, "lake.duckdb")
    code, _, err = run("ingest", "--schema", schema, "--db", db, SAMPLE)
    assert code == 1, err
    size = os.path.getsize(db)
    for out in (schema, db):
        code, _, err = run("ingest", "--schema", schema, "--db", db, "--rejected", out, SAMPLE)
        assert code == 2 and "refusing to overwrite" in err, (out, code, err)
    assert read(schema) == read(SCHEMA) and os.path.getsize(db) == size
    assert count(db) == 3


@case
def validate_refuses_outputs_that_are_the_input(d):
    src = copy_sample(d)
    original = read(src)
    os.symlink(src, os.path.join(d, "soft.ndjson"))
    for flag in ("--good", "--rejected"):
        for out in (src, os.path.join(d, "soft.ndjson")):
            code, _, err = run("validate", "--schema", SCHEMA, flag, out, src)
            assert code == 2 and "refusing to overwrite" in err, (flag, out, code, err)
            assert read(src) == original
        with open(src, "rb") as f:
            code, _, err = run("validate", "--schema", SCHEMA, flag, "/dev/stdin", stdin=f)
        assert code == 2, (flag, code, err)
        assert read(src) == original


@case
def validate_refuses_one_file_for_good_and_rejected(d):
    both = os.path.join(d, "both.ndjson")
    with open(both, "wb") as f:
        f.write(b"kept\n")
    code, _, err = run("validate", "--schema", SCHEMA, "--good", both, "--rejected", both, SAMPLE)
    assert code == 2 and "same file" in err, (code, err)
    assert read(both) == b"kept\n", "an existing output is refused before it is truncated"
    fresh = os.path.join(d, "fresh.ndjson")  # not there yet: the second name reaches the first
    code, _, err = run("validate", "--schema", SCHEMA, "--good", fresh, "--rejected", os.path.join(d, ".", "fresh.ndjson"), SAMPLE)
    assert code == 2 and "same file" in err, (code, err)


@case
def devices_may_be_both_input_and_output(d):
    # A terminal is stdin and an output at once; /dev/null is harmless: character devices are not refused.
    code, _, err = run("validate", "--schema", SCHEMA, "--good", "/dev/null", "--rejected", "/dev/null", SAMPLE)
    assert code == 1, (code, err)
    code, _, err = run("validate", "--schema", SCHEMA, "--good", "/dev/null", "/dev/null")
    assert code == 0, (code, err)


@case
def refusals_escape_what_they_quote(d):
    src = os.path.join(d, "in\x1b[2J.ndjson")
    with open(src, "wb") as f:
        f.write(read(SAMPLE))
    for args in (["ingest", "--schema", SCHEMA, "--db", os.path.join(d, "lake.duckdb"), "--\x1b[31mred"],
                 ["validate", "--schema", SCHEMA, "--\x07"],
                 ["validate", "--schema", SCHEMA, "--good", src, src]):
        code, _, err = run(*args)
        assert code == 2 and "\x1b" not in err and "\x07" not in err and "\\u00" in err, (args, code, err)


# ---- outputs that cannot be written (item 7)

@case
def rejected_file_failure_writes_nothing(d):
    db = os.path.join(d, "lake.duckdb")
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--rejected", "/dev/full", SAMPLE)
    assert code == 3 and "/dev/full" in err and "nothing written" in err, (code, err)
    assert count(db) == 0


@case
def stdout_failure_before_commit_writes_nothing(d):
    db = os.path.join(d, "lake.duckdb")
    with open("/dev/full", "wb") as full:
        code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, SAMPLE, stdout=full)
    assert code == 3 and "stdout" in err and "nothing written" in err, (code, err)
    assert count(db) == 0


@case
def report_failure_after_commit_exits_4(d):
    db = os.path.join(d, "lake.duckdb")
    data = "".join(user_line(i) + "\n" for i in range(20)).encode()
    with open("/dev/full", "wb") as full:
        code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--json", "-", stdin=data, stdout=full)
    assert code == 4 and "written, but the report could not be" in err and "stdout" in err, (code, err)
    assert count(db) == 20
    # Without --json the summary is the line on stderr.
    data = "".join(user_line(i) + "\n" for i in range(20, 30)).encode()
    with open("/dev/full", "wb") as full:
        p = subprocess.run([LAKEORM, "ingest", "--schema", SCHEMA, "--db", db, "-"], input=data,
                           stdout=subprocess.DEVNULL, stderr=full)
    assert p.returncode == 4, p.returncode
    assert count(db) == 30


@case
def validate_output_failures_exit_2_with_a_message(d):
    for flag in ("--good", "--rejected"):
        code, _, err = run("validate", "--schema", SCHEMA, flag, "/dev/full", SAMPLE)
        assert code == 2 and "cannot write /dev/full" in err, (flag, code, err)
    with open("/dev/full", "wb") as full:
        code, _, err = run("validate", "--schema", SCHEMA, SAMPLE, stdout=full)
    assert code == 2 and "cannot write stdout" in err, (code, err)


# ---- rejected lines come back byte for byte (item 8)

MIXED = [
    user_line(1).encode() + b"\n",
    user_line(2, email="not an email").encode() + b"\r\n",        # rejected, CRLF
    user_line(3).encode() + b"\r\n",                              # good, CRLF
    user_line(4, name="x").encode().replace(b'"x"', b'"\xff\xfeA"') + b"\n",  # rejected: not UTF-8
    b"\xc3\x28 {not json at all\x00\x01}\n",                      # rejected: garbage, NUL and all
    user_line(5).encode() + b"\n",
    user_line(6, name="Zoë").encode() + b"\r\n",                  # good, UTF-8
    user_line(7, age=-1).encode(),                                # rejected, the last line, no newline
]


def rebuild(lines_total, good, rejected):
    """The original bytes from validate's --good and --rejected files."""
    records = [json.loads(l) for l in rejected.split(b"\n") if l]
    by_line = {}
    for r in records:
        raw = base64.b64decode(r["input_base64"]) if "input_base64" in r else r["input"].encode()
        by_line[r["line"]] = raw + (b"" if r.get("newline", True) is False else b"\n")
    good_lines = good.split(b"\n")
    good_lines = [l + b"\n" for l in good_lines[:-1]] + ([good_lines[-1]] if good_lines[-1] else [])
    out = []
    for n in range(1, lines_total + 1):
        out.append(by_line[n] if n in by_line else good_lines.pop(0))
    assert not good_lines, good_lines
    return b"".join(out)


@case
def rejected_lines_are_recoverable_byte_for_byte(d):
    src, good, rej = (os.path.join(d, n) for n in ("in.ndjson", "good.ndjson", "rejected.ndjson"))
    original = b"".join(MIXED)
    with open(src, "wb") as f:
        f.write(original)
    code, _, err = run("validate", "--schema", SCHEMA, "--good", good, "--rejected", rej, src)
    assert code == 1, (code, err)
    records = [json.loads(l) for l in read(rej).splitlines()]
    assert [r["line"] for r in records] == [2, 4, 5, 8], records
    assert ["input_base64" in r for r in records] == [False, True, True, False], records
    assert records[0]["input"].endswith("\r"), "a CRLF line keeps its CR"
    assert records[3].get("newline") is False and "newline" not in records[0], records
    assert rebuild(len(MIXED), read(good), read(rej)) == original


@case
def ingest_rejected_file_is_lossless_too(d):
    db, rej = os.path.join(d, "lake.duckdb"), os.path.join(d, "rejected.ndjson")
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, "--rejected", rej, "-", stdin=b"".join(MIXED))
    assert code == 1, (code, err)
    records = [json.loads(l) for l in read(rej).splitlines()]
    for r in records:
        raw = base64.b64decode(r["input_base64"]) if "input_base64" in r else r["input"].encode()
        assert raw + (b"" if r.get("newline") is False else b"\n") == MIXED[r["line"] - 1], r
    assert count(db) == 4


# ---- signals abort the request and leave nothing behind (item 9)

def interrupted_ingest(d, sig, extra, staged_under):
    """Feeds rows slowly through a pipe, signals once parts were staged, and
    returns the exit status and stderr."""
    tmp = os.path.join(d, "tmp")
    os.makedirs(tmp)
    env = {**os.environ, "TMPDIR": tmp}
    db = os.path.join(d, "lake.duckdb")
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", db, SAMPLE, env=env)
    assert code == 1 and count(db) == 3 and os.listdir(tmp) == [], (code, err, os.listdir(tmp))
    p = subprocess.Popen([LAKEORM, "ingest", "--schema", SCHEMA, "--db", db, "--path", "staged", *extra, "-"],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        # More than one batch (4096 records), so the first is staged while stdin stays open.
        p.stdin.write("".join(user_line(i) + "\n" for i in range(100, 5100)).encode())
        p.stdin.flush()
        deadline = time.monotonic() + 120  # a bound for a stuck run, not a speed assumption
        parts = os.path.join(staged_under(tmp), "_staging", "*")
        while not glob.glob(os.path.join(parts, "*")) + glob.glob(os.path.join(parts, ".*")):
            assert p.poll() is None, p.stderr.read()
            assert time.monotonic() < deadline, "no part was staged"
            time.sleep(0.05)
        p.send_signal(sig)
        _, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdin.close()
        p.stderr.close()
    assert count(db) == 3, "the interrupted request wrote nothing"
    assert os.listdir(tmp) == [], os.listdir(tmp)
    return p.returncode, err.decode()


@case
def sigint_removes_the_default_staging_folder(d):
    code, err = interrupted_ingest(d, signal.SIGINT, [], lambda tmp: os.path.join(tmp, "lakeorm-staging-*"))
    assert code == 128 + signal.SIGINT and "interrupted by SIGINT: nothing written" in err, (code, err)


@case
def sigterm_removes_staged_parts(d):
    staging = os.path.join(d, "staging")
    os.makedirs(staging)
    code, err = interrupted_ingest(d, signal.SIGTERM, ["--staging", "file://" + staging], lambda tmp: staging)
    assert code == 128 + signal.SIGTERM and "interrupted by SIGTERM" in err, (code, err)
    left = [os.path.join(r, f) for r, _, fs in os.walk(staging) for f in fs]
    assert left == [] and glob.glob(os.path.join(staging, "_staging", "*")) == [], left


def blocked_writing_a_pipe(pid):
    with open(f"/proc/{pid}/wchan") as f:
        return "pipe_write" in f.read()


def wait_for(what, deadline):
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@case
def a_second_signal_exits_at_once(d):
    # stdout is a pipe nobody reads: the reports of rejected lines fill it and
    # the command blocks writing, once before the first signal and again,
    # flushing, after it; only the second signal can end it then.
    db, src, errors = os.path.join(d, "lake.duckdb"), os.path.join(d, "in.ndjson"), os.path.join(d, "stderr")
    with open(src, "w") as f:
        f.writelines(user_line(i, age=-1) + "\n" for i in range(5000))
    r, w = os.pipe()
    with open(src, "rb") as inp, open(errors, "wb") as err:
        p = subprocess.Popen([LAKEORM, "ingest", "--schema", SCHEMA, "--db", db, "-"], stdin=inp, stdout=w, stderr=err)
    os.close(w)
    try:
        deadline = time.monotonic() + 120  # a bound for a stuck run, not a speed assumption
        wait_for(lambda: blocked_writing_a_pipe(p.pid), deadline)
        p.send_signal(signal.SIGINT)
        wait_for(lambda: b"cannot write stdout" in read(errors), deadline)
        wait_for(lambda: blocked_writing_a_pipe(p.pid), deadline)
        p.send_signal(signal.SIGTERM)
        try:
            code = p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            code = "still running"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        os.close(r)
    # At once: not through the orderly abort, which would say so.
    assert code == 128 + signal.SIGTERM and b"interrupted by" not in read(errors), (code, read(errors))
    assert count(db) == 0


finish()
