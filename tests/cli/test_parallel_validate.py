# SPDX-License-Identifier: MIT
"""`lakeorm validate --threads N` (issue 22): at 2 and 4 threads the same stdout
(reports in --json and text), stderr, --good and --rejected bytes and exit
status as at --threads 1, on good, bad and mixed corpora (NDJSON with blank
lines, CRLF and a last line without its line end; CSV with malformed records;
gzip; several files; Parquet; stdin), under --max-rejected; --threads is
checked as ingest checks it, and a profile's threads is the default.

Usage: test_parallel_validate.py LAKEORM_BINARY.
"""
import json
import os
import re

from clitest import case, finish, run, write, write_json
from parallel_corpus import SCHEMA, bad_line, corpus, mixed_parquet, several_files


def normal(text):
    """A summary's seconds cut out."""
    return re.sub(r"\([0-9.]+ s\)", "(0 s)", text)


def validate(d, tag, threads, inputs, *extra, stdin=None):
    """(exit, stdout, stderr, --good bytes, --rejected bytes) of one run."""
    good = os.path.join(d, f"{tag}-{threads}.good")
    rejected = os.path.join(d, f"{tag}-{threads}.rejected")
    code, out, err = run("validate", "--schema", os.path.join(d, "s.json"), "--good", good, "--rejected", rejected,
                         "--threads", str(threads), *extra, *inputs, stdin=stdin)
    with open(good, "rb") as f, open(rejected, "rb") as g:
        return code, out, normal(err), f.read(), g.read()


def same_at_every_thread_count(d, tag, inputs, *extra, expect_code=None, stdin=None):
    base = validate(d, tag, 1, inputs, *extra, stdin=stdin)
    if expect_code is not None:
        assert base[0] == expect_code, (tag, base[0], base[2])
    for threads in (2, 4):
        got = validate(d, tag, threads, inputs, *extra, stdin=stdin)
        for what, a, b in zip(("exit", "stdout", "stderr", "--good", "--rejected"), base, got):
            assert a == b, (tag, threads, what, str(a)[:300], str(b)[:300])
    return base


@case
def good_bad_and_mixed_ndjson_match_one_thread(d):
    write_json(d, "s.json", SCHEMA)
    good = corpus(d, "good.ndjson", 12000, last_end=False)
    bad = write(d, "bad.ndjson", "".join(bad_line(i) + "\n" for i in range(9000)))
    mixed = corpus(d, "mixed.ndjson", 40000, bad_every=37, blank_every=101, crlf=True, blank="  \t")
    code, out, err, kept, rejected = same_at_every_thread_count(d, "good", [good], "-q", expect_code=0)
    assert kept == open(good, "rb").read() and rejected == b"", (len(kept), rejected[:100])
    code, out, err, kept, rejected = same_at_every_thread_count(d, "bad", [bad], "--json", "-q", expect_code=1)
    assert kept == b"" and out.count('"line":') == 9000, out[:200]
    for flags in (["--json", "-q"], []):
        code, out, err, kept, rejected = same_at_every_thread_count(d, "mixed", [mixed], *flags, expect_code=1)
        if flags:
            lines = [json.loads(l)["line"] for l in out.splitlines()]
            assert lines == sorted(lines) and len(lines) == sum(i % 37 == 7 for i in range(40000)), (len(lines), lines[:5])
        else:
            assert "40000 records" in err, err[-300:]


@case
def csv_gzip_parquet_and_several_files_match_one_thread(d):
    write_json(d, "s.json", SCHEMA)
    pq = mixed_parquet(d, os.path.join(d, "s.json"))
    code, out, err, kept, rejected = same_at_every_thread_count(d, "files", several_files(d) + [pq], "--json", "-q")
    assert code == 1 and '"file":' in out and len(kept.splitlines()) > 30000, (code, out[:300], len(kept))
    assert out.count(pq) == 10000 // 97 + 1, out.count(pq)


@case
def stdin_and_limits_match_one_thread(d):
    write_json(d, "s.json", SCHEMA)
    mixed = corpus(d, "mixed.ndjson", 20000, bad_every=50)  # 400 bad: 2 %
    with open(mixed, "rb") as f:
        data = f.read()
    same_at_every_thread_count(d, "stdin", [], "--json", "-q", expect_code=1, stdin=data)
    same_at_every_thread_count(d, "count", [mixed], "--max-rejected", "10", expect_code=1)
    same_at_every_thread_count(d, "share", [mixed], "--max-rejected", "5%", expect_code=0)


@case
def threads_are_checked(d):
    write_json(d, "s.json", SCHEMA)
    for bad in ("0", "-1", "x", "2x", "1025", ""):
        code, _, err = run("validate", "--schema", os.path.join(d, "s.json"), "--threads", bad, stdin=b"")
        assert code == 2 and "--threads" in err and "1 to 1024" in err, (bad, code, err)
    conf = write(d, "bad.toml", '[profiles.p]\nurl = "duckdb://:memory:"\nthreads = 0\n')
    code, _, err = run("validate", "--schema", os.path.join(d, "s.json"), "--config", conf, "--profile", "p",
                       stdin=b"")
    assert code == 2 and "threads" in err, (code, err)
    conf = write(d, "good.toml", '[profiles.p]\nurl = "duckdb://:memory:"\nthreads = 3\n')
    code, _, err = run("validate", "--schema", os.path.join(d, "s.json"), "--config", conf, "--profile", "p", "-q",
                       corpus(d, "p.ndjson", 9000, bad_every=97))
    assert code == 1, (code, err)


finish()
