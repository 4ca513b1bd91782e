# SPDX-License-Identifier: MIT
"""What the CLI tells a person and a log pipeline (docs/cli.md, "Rejected
lines" and "Logging"): a rejected line in text quotes, after each issue, the
value its path names, as written, escaped and cut to 80 bytes, whatever the
input format; LAKEORM_LOG lines carry an RFC 3339 UTC timestamp to the
millisecond, and counts as JSON numbers while text that looks like a number
stays a string.

Usage: test_reports.py LAKEORM_BINARY. Parquet files are written by pyarrow
(the project's .venv python); without it that case says it was skipped.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import case, finish, run, write, write_json  # noqa: E402

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:
    pa = None

SCHEMA = {"version": 1, "table": "t", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "name", "type": "string", "rules": "required,max=5"},
    {"tag": "tags,nullable", "type": "list<int8>"},
]}


def schema(d):
    return write_json(d, "s.json", SCHEMA)


@case
def ndjson_rejections_quote_the_value(d):
    lines = [
        '{"id": "seven", "name": "a"}',
        '{"id": 2, "name": "abcdefgh"}',
        '{"id": 3, "name": "a", "tags": [1, 300]}',
        '{"id": 4, "name": "a", "extra": {"k": [1, 2]}}',
        json.dumps({"id": "y" * 200, "name": "a"}),
        '{"id": 6, "name": "a\\u001b[31m", "tags": [1, "\\n"]}',
        '{"id": 7,',
    ]
    code, out, _ = run("validate", "-qs", schema(d), write(d, "in.ndjson", "\n".join(lines) + "\n"))
    assert code == 1, (code, out)
    got = out.splitlines()
    assert got[0].endswith('/id [type] expected an integer, got a string (value: "seven")'), got[0]
    assert got[1].endswith('(value: "abcdefgh")') and "[max=5]" in got[1], got[1]
    assert got[2].startswith("line 3: /tags/1 [range]") and got[2].endswith("(value: 300)"), got[2]
    assert got[3].endswith('(value: {"k": [1, 2]})'), got[3]
    # Cut to 80 bytes with an ellipsis: the quote and 76 y's, then "...".
    assert got[4].endswith('(value: "' + "y" * 76 + '...)'), got[4]
    # Escaped for the terminal: the JSON escapes stay as written, a raw ESC could not.
    assert got[5].endswith('(value: "\\n")') and "\x1b" not in out, got[5]
    assert "(value" not in got[6], got[6]  # a syntax error names no value


@case
def csv_and_parquet_rejections_quote_the_value(d):
    code, out, _ = run("validate", "-qs", schema(d), write(d, "in.csv", "id,name\nx,a\n2,toolong\n3,\n"))
    got = out.splitlines()
    assert code == 1 and len(got) == 3, (code, out)
    assert got[0] == 'line 2: /id [type] expected an integer, got a string (value: "x")', got
    assert got[1].startswith("line 3: /name [max=5]") and got[1].endswith('(value: "toolong")'), got
    assert got[2].startswith("line 4: /name [null]") and got[2].endswith("(value: null)"), got
    if pa is None:
        print("     (pyarrow missing: Parquet skipped)")
        return
    path = os.path.join(d, "in.parquet")
    pq.write_table(pa.table({"id": [1, 2], "name": ["a", "toolong"], "tags": [[1], [2, 999]]}), path)
    code, out, _ = run("validate", "-qs", schema(d), path)
    assert code == 1 and out.splitlines()[0].startswith("line 2: /name [max=5]"), out
    assert '(value: "toolong")' in out and "(value: 999)" in out, out


@case
def log_lines_have_a_timestamp_and_numbers(d):
    db = os.path.join(d, "0123")  # a database named like a number: its field stays a string
    data = write(d, "in.ndjson", '{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n')
    code, _, err = run("ingest", "-qs", schema(d), "-d", db, data, env={"LAKEORM_LOG": "info"}, cwd=d)
    assert code == 0, err
    events = [json.loads(line) for line in err.splitlines()]
    for e in events:
        assert list(e)[:3] == ["ts", "level", "event"], e
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["ts"]), e["ts"]
    done = next(e for e in events if e["event"] == "insert.done")
    assert done["rows"] == 2 and isinstance(done["rows"], int), done
    assert isinstance(done["ingest_id"], str) and done["table"] == "t", done
    opened = next(e for e in events if e["event"] == "client.open")
    assert opened["database"].endswith("0123") and isinstance(opened["database"], str), opened
    code, _, err = run("cleanup-staging", "-d", db, "--staging", os.path.join(d, "stage"), env={"LAKEORM_LOG": "info"})
    assert code == 0, err
    cleanup = next(json.loads(line) for line in err.splitlines() if '"staging.cleanup"' in line)
    assert cleanup["scanned"] == 0 and cleanup["deleted"] == 0 and cleanup["failed"] == 0, cleanup


finish()
