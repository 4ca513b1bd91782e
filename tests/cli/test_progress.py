# SPDX-License-Identifier: MIT
"""The progress line of ingest and validate (docs/cli.md, "Progress"), on a
real pseudo-terminal: the share of the input read with a rate and the time
left, only rows and a rate for a pipe, erased before every report line and
at the end, and nothing at all when stderr is not a terminal, with --quiet
or with LAKEORM_LOG set.

The line is drawn at the end of each input whatever the clock, so two
inputs show it at a known point (the first one's share of the bytes)
without depending on speed.

Usage: test_progress.py LAKEORM_BINARY. Parquet files are written by pyarrow
(the project's .venv python); without it that case says it was skipped.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import LAKEORM, case, finish, run, write_json  # noqa: E402

SCHEMA = {"version": 1, "table": "t", "fields": [
    {"tag": "id,pk", "type": "int64"}, {"tag": "name", "type": "string", "rules": "required"}]}
CLEAR = "\r\x1b[K"
LINE = re.compile(r"\r\x1b\[K *(\d+)%  (\d+) records  \d+/s  ETA \d+:\d\d(?:  (\d+) rejected)?")


def inputs(d):
    """The schema and two equal inputs, each ending with a rejected line."""
    schema = write_json(d, "s.json", SCHEMA)
    names = []
    for k, n in enumerate(("a.ndjson", "b.ndjson")):
        names.append(os.path.join(d, n))
        with open(names[-1], "w") as f:
            f.writelines(json.dumps({"id": i, "name": f"n{i}"}) + "\n" for i in range(2000 * k, 2000 * (k + 1)))
            f.write('{"id":"x","name":"bad"}\n')
    return schema, names


def half(files):
    """The share the line shows once the first of two inputs is read."""
    a, b = (os.path.getsize(f) for f in files)
    return f"{round(100 * a / (a + b))}"


def on_a_terminal(*args, stdin=subprocess.DEVNULL, env=None):
    """Runs lakeorm with stderr on a pseudo-terminal and stdout on the same
    one (as in a shell): (status, everything the terminal received)."""
    main, sub = os.openpty()
    p = subprocess.Popen([LAKEORM, *args], stdin=stdin, stdout=sub, stderr=sub,
                         env={**os.environ, **(env or {})})
    os.close(sub)
    got = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        got += chunk
    os.close(main)
    return p.wait(), got.decode(errors="replace")


@case
def a_terminal_shows_share_rate_and_eta(d):
    schema, files = inputs(d)
    code, text = on_a_terminal("validate", "--schema", schema, *files, env={"LAKEORM_LOG": ""})
    assert code == 1, (code, text)
    lines = LINE.findall(text)
    assert (half(files), "2001", "1") in lines and ("100", "4002", "2") in lines, text
    # A report line never lands inside the progress line: what the terminal shows of its line, after
    # the last carriage return and erase, is the report alone.
    reports = [line for line in text.split("\r\n") if "line 2001: /id [type]" in line]
    assert len(reports) == 2, repr(text)
    for line in reports:
        shown = line.rsplit(CLEAR, 1)[-1]
        assert shown.startswith(d) and "\r" not in shown, repr(line)
    # Erased before the summary: the terminal's last line is the summary alone.
    assert re.search(re.escape(CLEAR) + r"lakeorm validate: 4002 records, 4000 good, 2 rejected", text), repr(text)


@case
def ingest_shows_it_too(d):
    schema, files = inputs(d)
    code, text = on_a_terminal("ingest", "-s", schema, "-d", os.path.join(d, "x.db"), *files)
    assert code == 1, (code, text)
    assert (half(files), "2001", "1") in LINE.findall(text), repr(text)
    assert re.search(re.escape(CLEAR) + r"lakeorm ingest: 4002 records, 4000 inserted", text), repr(text)


@case
def compressed_input_counts_compressed_bytes(d):
    import gzip
    schema, files = inputs(d)
    with open(files[0], "rb") as f, gzip.open(files[0] + ".gz", "wb") as g:
        g.write(f.read())
    gz, plain = os.path.getsize(files[0] + ".gz"), os.path.getsize(files[1])
    code, text = on_a_terminal("validate", "-s", schema, files[0] + ".gz", files[1])
    share = round(100 * gz / (gz + plain))
    assert code == 1 and (f"{share}", "2001", "1") in LINE.findall(text), (share, repr(text))


@case
def parquet_counts_rows(d):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # the system python
        print("     (pyarrow missing: skipped)")
        return
    schema, _ = inputs(d)
    files = [os.path.join(d, n) for n in ("a.parquet", "b.parquet")]
    for k, path in enumerate(files):
        pq.write_table(pa.table({"id": list(range(1000 * k, 1000 * (k + 1))), "name": ["n"] * 1000}), path,
                       row_group_size=100)
    code, text = on_a_terminal("validate", "-s", schema, *files)
    lines = LINE.findall(text)  # no rejected count: its group is ""
    assert code == 0 and (half(files), "1000", "") in lines and ("100", "2000", "") in lines, repr(text)


@case
def a_pipe_shows_rows_and_rate_only(d):
    schema, files = inputs(d)
    cat = subprocess.Popen(["cat", *files], stdout=subprocess.PIPE)
    code, text = on_a_terminal("validate", "--schema", schema, stdin=cat.stdout)
    cat.wait()
    assert code == 1, (code, text)
    assert re.search(r"\r\x1b\[K4002 records  \d+/s  2 rejected", text), repr(text)
    assert "%" not in text and "ETA" not in text, repr(text)


@case
def nothing_when_not_a_terminal_quiet_or_logging(d):
    schema, files = inputs(d)
    code, out, err = run("validate", "--schema", schema, *files)
    assert code == 1 and "\x1b" not in err and "%" not in err and "\r" not in err, repr(err)
    code, text = on_a_terminal("validate", "--quiet", "--schema", schema, *files)
    assert code == 1 and "\x1b" not in text and "lakeorm validate:" not in text, repr(text)
    code, text = on_a_terminal("validate", "--schema", schema, *files, env={"LAKEORM_LOG": "info"})
    assert code == 1 and not LINE.search(text), repr(text)


finish()
