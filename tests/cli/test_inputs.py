# SPDX-License-Identifier: MIT
"""`lakeorm ingest` and `validate` over CSV, Parquet (by name or its PAR1
magic, from a file or stdin), gzip and zstd input,
several files and globs in one request, and --max-rejected (issue 21).

Usage: test_inputs.py LAKEORM_BINARY. Parquet files are written by pyarrow
(run it with the project's .venv python); without pyarrow those cases are
skipped and say so.
"""
import gzip
import json
import os
import shutil
import subprocess

from clitest import case, finish, rows, run, write, write_json

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # the system python: the Parquet cases say they were skipped
    pa = None

SCHEMA = {"version": 1, "table": "t", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "name", "type": "string", "rules": "required"},
    {"tag": "score,nullable", "type": "int8"},
    {"tag": "ok,nullable", "type": "bool"},
    {"tag": "addr,nullable", "type": "struct", "fields": [{"tag": "city", "type": "string"}]},
    {"tag": "kind,nullable,json=type", "type": "string"},
]}


def schema(d):
    return write_json(d, "s.json", SCHEMA)


def issues(out):
    """{line: [(path, rule), ...]} of --json reports (file-less)."""
    got = {}
    for l in out.splitlines():
        o = json.loads(l)
        if "errors" in o:
            got[(o.get("file"), o["line"])] = [(e["path"], e["rule"]) for e in o["errors"]]
    return got


# A CSV with a BOM, CRLF, a quoted newline, "" escapes, NULLs, a nested cell and every kind of bad record.
MIXED = ('\ufeffid,name,score,ok,addr,type\r\n'
         '1,"Ann ""A""\r\nline two",5,true,"{""city"":""X""}",a\r\n'  # lines 2-3: good
         '2,Bob,300,yes,,\r\n'                                          # line 4: range + type
         '3,Cy,1,false,"{}, ""id"": 9",\r\n'                            # line 5: a nested cell that is not one value
         '4,"x"y,1,,,\n'                                                # line 6: text after a closing quote
         '\n'                                                           # line 7: blank, skipped
         '5,Eve,,,,\n'                                                  # line 8: good, NULLs
         '6,Fay,1\n'                                                    # line 9: too few fields
         '7,,1,,,\n'                                                    # line 10: name NULL (not nullable)
         '8,"",1,,,\n')                                                 # line 11: empty string: the rule says required


@case
def csv_reports_exact_issues_at_physical_lines(d):
    code, out, err = run("validate", "--schema", schema(d), "--json", "--good", os.path.join(d, "g"),
                         write(d, "a.csv", MIXED))
    assert code == 1, (code, err)
    assert issues(out) == {
        (None, 4): [("/score", "range"), ("/ok", "type")],
        (None, 5): [("/addr", "syntax")],
        (None, 6): [("", "syntax")],
        (None, 9): [("", "syntax")],
        (None, 10): [("/name", "null")],
        (None, 11): [("/name", "required")],
    }, out
    assert "8 records, 2 good, 6 rejected" in err, err  # the blank line is no record
    good = [json.loads(l) for l in open(os.path.join(d, "g"))]
    assert good == [{"id": 1, "name": 'Ann "A"\r\nline two', "score": 5, "ok": True, "addr": {"city": "X"}, "type": "a"},
                    {"id": 5, "name": "Eve", "score": None, "ok": None, "addr": None, "type": None}], good


@case
def csv_rejected_file_keeps_the_record_as_read(d):
    rej = os.path.join(d, "r")
    run("validate", "--schema", schema(d), "--rejected", rej, write(d, "a.csv", MIXED))
    first = json.loads(open(rej).readline())
    assert first["line"] == 4 and first["input"] == "2,Bob,300,yes,,\r", first


@case
def csv_header_problems_are_schema_errors_before_any_row(d):
    s = schema(d)
    for header, says in [("id,name,nope", 'header name "nope" names no column'),
                         ("id,name,name", 'header names "name" twice'),
                         ("id,score", 'column "name" is not nullable'),
                         ("id,name,kind", 'header name "kind" names no column')]:  # the alias is the key
        code, out, err = run("validate", "--schema", s, write(d, "h.csv", header + "\n1,a,1\n"))
        assert code == 2 and says in err and out == "", (header, code, out, err)
    code, _, err = run("validate", "--schema", s, write(d, "e.csv", ""))
    assert code == 2 and "no header line" in err, err


NDJSON_SAME = [
    '{"id":1,"name":"a","score":5}', '{"id":2,"name":"b","score":300}', '{"id":3,"name":"c","score":1.5}',
    '{"id":4,"name":"","score":null}', '{"id":5,"name":"e","ok":"yes"}', '{"id":6,"name":"f","ok":false}',
    '{"id":-0,"name":"g","addr":{"city":"Z","zip":1}}', '{"id":99999999999999999999,"name":"h"}',
    '{"id":8,"name":"i","score":-129,"type":"x"}', '{"id":9,"name":"j","addr":{}}',
]
CSV_SAME = ('id,name,score,ok,addr,type\n1,a,5,,,\n2,b,300,,,\n3,c,1.5,,,\n4,"",,,,\n5,e,,yes,,\n6,f,,false,,\n'
            '-0,g,,,"{""city"":""Z"",""zip"":1}",\n99999999999999999999,h,,,,\n8,i,-129,,,x\n9,j,,,{},\n')


@case
def csv_and_ndjson_get_the_same_verdicts(d):
    s = schema(d)
    _, nd, _ = run("validate", "--schema", s, "--json", write(d, "a.ndjson", "\n".join(NDJSON_SAME) + "\n"))
    _, cs, _ = run("validate", "--schema", s, "--json", write(d, "a.csv", CSV_SAME))
    nd_issues = sorted(v for v in issues(nd).values())
    cs_issues = sorted(v for v in issues(cs).values())
    assert nd_issues == cs_issues and len(nd_issues) == 8, (nd_issues, cs_issues)


@case
def compressed_input_by_name_and_by_magic(d):
    s = schema(d)
    text = b'{"id":1,"name":"a"}\n{"id":2}\n'
    csv = b"id,name\n1,a\n2,\n"
    inputs = [write(d, "a.ndjson.gz", gzip.compress(text)),
              write(d, "b.csv.gz", gzip.compress(csv)),
              write(d, "misleading.ndjson", gzip.compress(text))]  # gzip inside, by magic
    if shutil.which("zstd"):
        z = subprocess.run(["zstd", "-q", "-c"], input=text, stdout=subprocess.PIPE, check=True).stdout
        zc = subprocess.run(["zstd", "-q", "-c"], input=csv, stdout=subprocess.PIPE, check=True).stdout
        inputs += [write(d, "c.jsonl.zst", z), write(d, "d.csv.zstd", zc), write(d, "e.ndjson", z)]
    else:
        print("     (zstd not installed: zstd cases skipped)")
    for path in inputs:
        code, out, err = run("validate", "--schema", s, path)
        at = "line 3:" if ".csv" in path else "line 2:"  # the header is line 1
        assert code == 1 and out.startswith(at) and "1 good, 1 rejected" in err, (path, code, out, err)
    code, _, err = run("validate", "--schema", s, write(d, "cut.ndjson.gz", gzip.compress(text * 100)[:-30]))
    assert code == 2 and "truncated" in err, (code, err)
    code, out, err = run("validate", "--schema", s, stdin=gzip.compress(text))  # stdin too, by magic
    assert code == 1 and "1 good, 1 rejected" in err, (code, err)


@case
def several_files_and_globs_make_one_request(d):
    s, db = schema(d), os.path.join(d, "x.db")
    os.mkdir(os.path.join(d, "in"))
    write(d, "in/1.ndjson", '{"id":1,"name":"a"}\n{"id":2}\n')
    write(d, "in/2.csv", "id,name\n3,c\n4,\n")
    write(d, "in/3.ndjson.gz", gzip.compress(b'{"id":5,"name":"e"}\n'))
    code, out, err = run("ingest", "--schema", s, "--db", db, "--json", os.path.join(d, "in/*"))
    assert code == 1, (code, err)
    lines = [json.loads(l) for l in out.splitlines()]
    assert [(o.get("file"), o.get("line")) for o in lines[:2]] == [
        (os.path.join(d, "in/1.ndjson"), 2), (os.path.join(d, "in/2.csv"), 3)], lines
    summary = lines[-1]["summary"]
    assert summary["records"] == 5 and summary["inserted"] == 3 and summary["rejected"] == 2, summary
    got = rows(db, "SELECT id, CAST(_ingest_id AS VARCHAR) AS i FROM t ORDER BY id")
    assert [r["id"] for r in got] == [1, 3, 5] and len({r["i"] for r in got}) == 1, got
    assert got[0]["i"] == summary["ingest_id"], (got, summary)
    code, out, err = run("validate", "--schema", s, os.path.join(d, "in/1.ndjson"), os.path.join(d, "in/2.csv"))
    assert out.splitlines()[0].endswith("1.ndjson: line 2: /name [missing] missing: the column is not nullable"), out
    code, _, err = run("validate", "--schema", s, os.path.join(d, "nothing*.csv"))
    assert code == 2 and "no file matches" in err, err


@case
def one_bad_file_writes_nothing(d):
    s, db = schema(d), os.path.join(d, "x.db")
    good = write(d, "a.ndjson", '{"id":1,"name":"a"}\n')
    bad = write(d, "b.csv", "id,nope\n1,2\n")
    code, _, err = run("ingest", "--schema", s, "--db", db, good, bad)
    assert code == 2 and 'names no column' in err, (code, err)
    assert rows(db, "SELECT count(*) AS n FROM t")[0]["n"] == 0


@case
def max_rejected_both_sides_of_the_limit(d):
    s = schema(d)
    data = write(d, "a.ndjson", "".join('{"id":%d,"name":"n"}\n' % i for i in range(8)) + '{"id":8}\n{"id":9}\n')
    for limit, code_want, written in [("2", 0, 8), ("1", 1, 0), ("20%", 0, 8), ("19.9%", 1, 0), ("0", 1, 0)]:
        db = os.path.join(d, "m%s.db" % limit.replace("%", "p"))
        code, out, err = run("ingest", "--schema", s, "--db", db, "--max-rejected", limit, data)
        assert code == code_want, (limit, code, err)
        assert out.count("line ") == 2, out  # the report either way
        n = rows(db, "SELECT count(*) AS n FROM t")[0]["n"]
        assert n == written, (limit, n)
        if written == 0:
            assert "over --max-rejected" in err and "nothing written" in err, err
        code, _, _ = run("validate", "--schema", s, "--max-rejected", limit, data)
        assert code == code_want, ("validate", limit, code)
    code, _, _ = run("ingest", "--schema", s, "--db", os.path.join(d, "z.db"), data)
    assert code == 1  # without it: the good ones written, exit 1, as before
    for bad in ["-1", "x", "1.5", "101%", "%", " 1", "inf%", "0x10%"]:
        code, _, err = run("validate", "--schema", s, "--max-rejected", bad, data)
        assert code == 2 and "--max-rejected" in err, (bad, code, err)


@case
def parquet_rows_meet_the_same_decoder(d):
    if pa is None:
        print("     (pyarrow missing: skipped)")
        return
    s, db = schema(d), os.path.join(d, "x.db")
    path = os.path.join(d, "p.parquet")
    t = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": ["a", "b", None],
                  "score": pa.array([5, 300, None], pa.int32()),
                  "addr": pa.array([{"city": "X"}, None, {"city": "Y"}], pa.struct([("city", pa.string())]))})
    pq.write_table(t, path)
    code, out, err = run("ingest", "--schema", s, "--db", db, "--json", path)
    assert code == 1, (code, err)
    assert issues(out) == {(None, 2): [("/score", "range")], (None, 3): [("/name", "null")]}, out
    assert rows(db, "SELECT id, addr FROM t") == [{"id": 1, "addr": {"city": "X"}}]
    lists = dict(SCHEMA, table="tl", fields=SCHEMA["fields"][:2] + [{"tag": "tags", "type": "list<int8>"}])
    write(d, "l.json", json.dumps(lists))
    pq.write_table(pa.table({"id": [1, 2], "name": ["a", "b"], "tags": [[1, 2], [3, 999]]}), path)
    code, out, err = run("validate", "--schema", os.path.join(d, "l.json"), "--json", path)
    assert code == 1 and issues(out) == {(None, 2): [("/tags/1", "range")]}, (code, out, err)
    pq.write_table(pa.table({"id": [1], "name": ["a"], "extra": [1]}), path)
    code, out, err = run("validate", "--schema", s, path)
    assert code == 1 and "/extra [unknown_key]" in out, (code, out, err)
    code, _, err = run("validate", "--schema", s, write(d, "not.parquet", "PAR1 no"))
    assert code == 2 and "cannot read it as Parquet" in err, (code, err)
    code, _, err = run("validate", "--schema", s, "--format", "parquet", stdin=b"x")
    assert code == 2 and "cannot read it as Parquet" in err, (code, err)


@case
def parquet_is_known_by_its_magic(d):
    if pa is None:
        print("     (pyarrow missing: skipped)")
        return
    s = schema(d)
    path = os.path.join(d, "export.dat")  # a name that says nothing, or the wrong thing
    pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64()), "name": ["a", None]}), path)
    want = (1, '{"line":2,"errors":[{"record":2,"path":"/name","column":"name","rule":"null","param":"",'
               '"message":"null is not allowed: the column is not nullable"}]}\n')
    assert run("validate", "--schema", s, "--json", path)[:2] == want
    shutil.copy(path, os.path.join(d, "export.ndjson"))
    assert run("validate", "--schema", s, "--json", os.path.join(d, "export.ndjson"))[:2] == want
    with open(path, "rb") as f:
        data = f.read()
    # Stdin: copied to a temporary file (the footer comes first for a reader), reported as "-".
    assert run("validate", "--schema", s, "--json", stdin=data)[:2] == want
    assert run("validate", "--schema", s, "--json", "-", path, stdin=data)[1].count('"file":"-"') == 1
    tmp = os.path.join(d, "tmp")
    os.mkdir(tmp)
    code, out, err = run("ingest", "--schema", s, "--db", os.path.join(d, "x.db"), "-", stdin=data, env={"TMPDIR": tmp})
    assert code == 1 and rows(os.path.join(d, "x.db"), "SELECT id, name FROM t") == [{"id": 1, "name": "a"}], err
    assert not [n for n in os.listdir(tmp) if n.startswith("lakeorm-stdin-")], os.listdir(tmp)  # the copy is gone
    # --format says otherwise: it is read as it says.
    code, _, err = run("validate", "--schema", s, "--format", "ndjson", path)
    assert code == 1, (code, err)


finish()
