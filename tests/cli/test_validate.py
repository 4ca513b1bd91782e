# SPDX-License-Identifier: MIT
"""`lakeorm validate` end to end: exit codes, outputs, and that no line is lost.

Usage: test_validate.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os
import subprocess
import tempfile

from clitest import LAKEORM, SCHEMA, SAMPLE, case, finish, run



@case
def reports_each_rejected_line_and_exits_1(d):
    code, out, err = run("validate", "--schema", SCHEMA, SAMPLE)
    assert code == 1, (code, err)
    lines = out.splitlines()
    assert [l.split(":")[0] for l in lines] == ["line 2", "line 4", "line 6"], lines
    assert "/email [email] must be a valid email address" in lines[0], lines[0]
    assert "/age [lte=150] must be at most 150" in lines[0], lines[0]
    assert "/address/zip [unknown_key]" in lines[1], lines[1]
    assert "/nickname [unknown_key]" in lines[1], lines[1]
    assert "[syntax]" in lines[2], lines[2]
    assert "6 records, 3 good, 3 rejected" in err, err


@case
def json_mode_prints_one_object_per_rejection(d):
    code, out, _ = run("validate", "--schema", SCHEMA, "--json", SAMPLE)
    assert code == 1
    objs = [json.loads(l) for l in out.splitlines()]
    assert [o["line"] for o in objs] == [2, 4, 6]
    rules = {(e["path"], e["rule"]) for e in objs[1]["errors"]}
    for want in [("/id", "format"), ("/name", "required"), ("/country", "oneof"), ("/balance", "range"),
                 ("/created_at", "format"), ("/address/zip", "unknown_key"), ("/nickname", "unknown_key")]:
        assert want in rules, (want, rules)
    assert all(e["record"] == 4 for e in objs[1]["errors"])


@case
def splits_input_into_good_and_rejected_losing_nothing(d):
    with tempfile.TemporaryDirectory() as d:
        good, bad = os.path.join(d, "good"), os.path.join(d, "bad")
        code, _, _ = run("validate", "--schema", SCHEMA, "--good", good, "--rejected", bad, SAMPLE)
        assert code == 1
        src = open(SAMPLE, "rb").read().splitlines(keepends=True)
        good_lines = open(good, "rb").read().splitlines(keepends=True)
        assert good_lines == [src[0], src[2], src[4]], good_lines
        rejected = [json.loads(l) for l in open(bad, encoding="utf-8")]
        assert [r["line"] for r in rejected] == [2, 4, 6]
        assert [r["input"].encode() + b"\n" for r in rejected] == [src[1], src[3], src[5]]
        assert all(r["errors"] for r in rejected)


@case
def reads_stdin_and_exits_0_when_all_good(d):
    good = open(SAMPLE, "rb").read().splitlines(keepends=True)[0]
    code, out, err = run("validate", "--schema", SCHEMA, stdin=good * 3 + b"\n")
    assert code == 0, err
    assert out == ""
    assert "3 records, 3 good, 0 rejected" in err


@case
def keeps_line_numbers_across_blank_lines_and_crlf(d):
    src = open(SAMPLE, "rb").read().splitlines()
    data = b"\r\n".join([src[0], b"", src[1], b"   ", src[2]]) + b"\r\n"
    code, out, _ = run("validate", "--schema", SCHEMA, "-", stdin=data)
    assert code == 1
    assert out.startswith("line 3:"), out


@case
def invalid_utf8_and_nul_bytes_are_rejected_not_fatal(d):
    src = open(SAMPLE, "rb").read().splitlines()
    data = src[0].replace(b"Ann", b"A\xffn") + b"\n" + b"{\x00}\n" + src[0] + b"\n"
    code, out, err = run("validate", "--schema", SCHEMA, "--json", stdin=data)
    assert code == 1
    objs = [json.loads(l) for l in out.splitlines()]
    assert [o["line"] for o in objs] == [1, 2], objs
    assert "3 records, 1 good, 2 rejected" in err


@case
def usage_and_schema_errors_exit_2(d):
    code, _, err = run("validate", SAMPLE)
    assert code == 2 and "usage" in err
    code, _, err = run("validate", "--schema", "/nonexistent.json", SAMPLE)
    assert code == 2 and "/nonexistent.json" in err
    code, _, err = run("validate", "--schema", SCHEMA, "--bogus", SAMPLE)
    assert code == 2 and "unknown option" in err
    code, _, err = run("validate", "--schema", SCHEMA, "/nonexistent.ndjson")
    assert code == 2 and "cannot read" in err
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        f.write('{"table":"t","fields":[{"tag":"a","type":"int32","rules":"emial"}]}')
        f.flush()
        code, _, err = run("validate", "--schema", f.name, SAMPLE)
        assert code == 2 and 'unknown validation rule "emial"' in err, err
    code, _, _ = run("frobnicate")
    assert code == 2
    code, out, _ = run("version")
    assert code == 0 and out.startswith("lakeorm ")


NESTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "nested")
DECODE_RULES = {"syntax", "type", "null", "missing", "unknown_key", "duplicate_key", "range", "format", "trailing"}


@case
def reports_nested_rejections_with_exact_paths(d):
    schema, feed = os.path.join(NESTED, "events.schema.json"), os.path.join(NESTED, "events.ndjson")
    code, out, err = run("validate", "--schema", schema, "--json", feed)
    assert code == 1, (code, err)
    assert "7 records" in err, err
    by_line = {o["line"]: o["errors"] for o in map(json.loads, out.splitlines())}
    assert {5, 6, 7} <= set(by_line), by_line
    for line in (1, 2, 3, 4):  # valid data: whatever the rules say, the decoder has nothing against it
        assert not [e for e in by_line.get(line, []) if e["rule"] in DECODE_RULES], by_line[line]
    got = {n: {(e["path"], e["rule"], e["column"]) for e in by_line[n]} for n in (5, 6, 7)}
    assert ("/items", "min", "items") in got[5], got[5]
    assert {("/scores/0/0", "type", "scores"), ("/labels/a/0", "null", "labels"),
            ("/items/0/sku", "required", "items"), ("/items/0/qty", "gte", "items")} <= got[6], got[6]
    assert {e for e in got[7] if e[1] in DECODE_RULES} == {
        ("/items", "type", "items"), ("/shipping/city", "missing", "shipping"), ("/attrs/a", "duplicate_key", "attrs")}, got[7]
    assert all(e["record"] == n for n in (5, 6, 7) for e in by_line[n])

    code, out, _ = run("validate", "--schema", schema, feed)
    assert code == 1
    text = {l.split(":")[0]: l for l in out.splitlines()}
    assert "/items [type] expected an array, got an object" in text["line 7"], text
    assert "/shipping/city [missing]" in text["line 7"] and "/attrs/a [duplicate_key]" in text["line 7"], text
    assert "/scores/0/0 [type] expected an integer, got a string" in text["line 6"], text
    assert "/labels/a/0 [null] null is not allowed" in text["line 6"], text


def peak_rss_kb(path):
    p = subprocess.Popen([LAKEORM, "validate", "--schema", SCHEMA, path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss


@case
def memory_stays_flat_as_input_grows(d):
    """Both inputs fill the window of chunks in flight (2N+2 of about 1 MiB,
    N = 4 at most by default); past it, 10x the input adds under 4 MiB. The
    files are written a block at a time: a child's peak RSS counts its
    parent's, which one bytes object of the whole input would inflate."""
    line = open(SAMPLE, "rb").read().splitlines()[0] + b"\n"
    with tempfile.TemporaryDirectory() as d:
        small, large = os.path.join(d, "small"), os.path.join(d, "large")
        for path, lines in ((small, 60000), (large, 600000)):
            with open(path, "wb") as f:
                for _ in range(lines // 1000):
                    f.write(line * 1000)
        a, b = peak_rss_kb(small), peak_rss_kb(large)
        assert b < a + 4096, (a, b)


finish()
