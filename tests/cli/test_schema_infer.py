# SPDX-License-Identifier: MIT
"""`lakeorm schema infer`: the exact schema inferred from NDJSON, CSV and
Parquet samples, and the round trip (the inferred schema validates the
sample, compressed too), --table and name sanitising, errors (issue 21).

Usage: test_schema_infer.py LAKEORM_BINARY. The Parquet case needs pyarrow
(the project's .venv python); without it that case says it was skipped.
"""
import datetime
import gzip
import json
import os

from clitest import case, finish, run

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:
    pa = None

NDJSON = [
    {"id": "7d444840-9dc0-11d1-b245-5ffdce74fad2", "n": 1, "f": 1.5, "ok": True, "at": "2024-03-05T12:00:00Z",
     "day": "2024-03-05", "name": "a", "addr": {"city": "x", "zip": None}, "tags": ["a"], "mix": 1,
     "nums": [1, None], "gone": None, "w": 1, "objs": [{"a": 1}], "any": {"a": 1}},
    {"id": "7D444840-9DC0-11D1-B245-5FFDCE74FAD3", "n": -2, "f": 2, "ok": False, "at": "2024-03-05T12:00:00+01:00",
     "day": "2024-03-06", "name": "2024-03-06", "addr": {"city": "y", "zip": "1"}, "tags": [], "mix": "s",
     "nums": [], "gone": None, "w": 2.5e3, "extra": {"k": [1]}, "objs": [{"a": 2, "b": "x"}], "any": [1]},
]

WANT = [
    {"tag": "id", "type": "uuid"},
    {"tag": "n", "type": "int64"},
    {"tag": "f", "type": "float64"},
    {"tag": "ok", "type": "bool"},
    {"tag": "at", "type": "timestamp"},
    {"tag": "day", "type": "date"},
    {"tag": "name", "type": "string"},
    {"tag": "addr", "type": "struct", "fields": [
        {"tag": "city", "type": "string"}, {"tag": "zip,nullable", "type": "string"}]},
    {"tag": "tags", "type": "list<string>"},
    {"tag": "mix", "type": "json"},
    {"tag": "nums", "type": "list<int64?>"},
    {"tag": "gone,nullable", "type": "json"},
    {"tag": "w", "type": "float64"},
    {"tag": "objs", "type": "list<struct>", "fields": [
        {"tag": "a", "type": "int64"}, {"tag": "b,nullable", "type": "string"}]},
    {"tag": "any", "type": "json"},
    {"tag": "extra,nullable", "type": "struct", "fields": [{"tag": "k", "type": "list<int64>"}]},
]


def write(d, name, text):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def infer(*args):
    code, out, err = run("schema", "infer", *args)
    assert code == 0, (code, err)
    return json.loads(out), out


def round_trip(d, schema_text, *inputs):
    path = write(d, "inferred.schema.json", schema_text)
    code, out, err = run("validate", "--schema", path, *inputs)
    assert code == 0 and out == "", (code, out, err)
    return err


@case
def ndjson_every_type_nesting_nulls_widening(d):
    sample = write(d, "events.ndjson", "".join(json.dumps(r) + "\n" for r in NDJSON))
    schema, text = infer(sample)
    assert schema == {"version": 1, "table": "events", "fields": WANT}, schema
    assert '\n    {"tag": "n", "type": "int64"},\n' in text, text  # one field per line
    assert "2 records, 2 good, 0 rejected" in round_trip(d, text, sample)


@case
def round_trip_after_gzip_and_several_files(d):
    first = os.path.join(d, "a.ndjson.gz")
    with gzip.open(first, "wt") as f:
        f.write(json.dumps(NDJSON[0]) + "\n")
    second = write(d, "b.ndjson", json.dumps(NDJSON[1]) + "\n")
    schema, text = infer(first, os.path.join(d, "*.ndjson"))
    assert schema["table"] == "a" and schema["fields"] == WANT, schema
    round_trip(d, text, first, second)


@case
def csv_cells_are_text(d):
    sample = write(d, "people.csv", "n,f,name,day,ok,at,mixed\n"
                   "1,1,x,2024-01-01,true,2024-01-01T00:00:00Z,1\n"
                   "2,2.5,,2024-01-02,,2024-01-01T00:00:00Z,abc\n"
                   ',,"",2024-01-03,false,2024-01-02T00:00:00Z,true\n')
    schema, text = infer(sample)
    assert schema["fields"] == [
        {"tag": "n,nullable", "type": "int64"}, {"tag": "f,nullable", "type": "float64"},
        {"tag": "name,nullable", "type": "string"}, {"tag": "day", "type": "date"},
        {"tag": "ok,nullable", "type": "bool"}, {"tag": "at", "type": "timestamp"},
        {"tag": "mixed", "type": "string"}], schema
    round_trip(d, text, sample)
    gz = os.path.join(d, "people.csv.gz")
    with open(sample, "rb") as f, gzip.open(gz, "wb") as g:
        g.write(f.read())
    assert infer(gz)[0]["fields"] == schema["fields"]
    round_trip(d, text, gz)


@case
def parquet_written_by_pyarrow(d):
    if pa is None:
        print("     (pyarrow missing: skipped)")
        return
    path = os.path.join(d, "orders.parquet")
    utc = datetime.timezone.utc
    pq.write_table(pa.table({
        "i": pa.array([1, None], pa.int32()), "s": ["a", "b"],
        "t": pa.array([datetime.datetime(2024, 1, 1, tzinfo=utc)] * 2),
        "d": pa.array([datetime.date(2024, 1, 1)] * 2), "l": [[1, 2], []], "st": [{"x": 1.5}, {"x": 2.0}]}), path)
    schema, text = infer(path)
    assert schema == {"version": 1, "table": "orders", "fields": [
        {"tag": "i,nullable", "type": "int64"}, {"tag": "s", "type": "string"},
        {"tag": "t", "type": "timestamp"}, {"tag": "d", "type": "date"}, {"tag": "l", "type": "list<int64>"},
        {"tag": "st", "type": "struct", "fields": [{"tag": "x", "type": "float64"}]}]}, schema
    round_trip(d, text, path)


@case
def table_names_and_output(d):
    sample = write(d, "9 my-feed.v2.ndjson", '{"a":1}\n')
    assert infer(sample)[0]["table"] == "t_9_my_feed"
    assert infer("--table", "orders", sample)[0]["table"] == "orders"
    reserved = write(d, "_lakeorm_x.ndjson", '{"a":1}\n')
    assert infer(reserved)[0]["table"] == "t__lakeorm_x"
    code, _, _ = run("schema", "infer", stdin=b'{"a":1}\n')
    out = os.path.join(d, "out.json")
    code, printed, err = run("schema", "infer", "--output", out, sample)
    assert code == 0 and printed == "" and "1 records, 1 columns inferred" in err, (code, printed, err)
    with open(out) as f:
        assert json.load(f)["fields"] == [{"tag": "a", "type": "int64"}]
    code, printed, _ = run("schema", "infer", stdin=b'{"a":1}\n')
    assert code == 0 and json.loads(printed)["table"] == "sample"


@case
def errors(d):
    bad = write(d, "bad.ndjson", '{"a":1}\nnot json\n')
    code, out, err = run("schema", "infer", bad)
    assert code == 1 and out == "" and "line 2: not a JSON object" in err, (code, out, err)
    code, _, err = run("schema", "infer", write(d, "arr.ndjson", "[1]\n"))
    assert code == 1 and "line 1" in err, err
    code, _, err = run("schema", "infer", write(d, "comma.ndjson", '{"a,pk":1}\n'))
    assert code == 1 and "cannot be a column name" in err, err
    code, _, err = run("schema", "infer", write(d, "empty.ndjson", "\n"))
    assert code == 2 and "no records" in err, err
    code, _, err = run("schema", "infer", os.path.join(d, "missing.ndjson"))
    assert code == 2 and "cannot read" in err, err
    code, _, err = run("schema", "infer", "--table", "_lakeorm_x", write(d, "ok.ndjson", '{"a":1}\n'))
    assert code == 2 and "does not compile" in err, err
    code, _, err = run("schema", "infer", write(d, "case.ndjson", '{"a":1,"A":2}\n'))
    assert code == 2 and "does not compile" in err, err
    code, _, err = run("schema", "infer", write(d, "bad.csv", 'a,b\n1,"x"y\n'))
    assert code == 1 and "line 2" in err, err
    code, _, err = run("schema", "frob")
    assert code == 2, err
    code, out, _ = run("help", "schema")
    assert code == 0 and "schema infer" in out


finish()
