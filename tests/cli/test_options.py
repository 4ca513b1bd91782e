# SPDX-License-Identifier: MIT
"""GNU-style options (docs/cli.md, "Options"): --opt=value, the short forms
and bundles of them (-qj, -sFILE), -- ending the options, "did you mean" on
a typo (exit 2), and plain paths where a URL is expected (--staging,
--warehouse, --catalog).

Usage: test_options.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import SAMPLE, SCHEMA, case, finish, rows, run  # noqa: E402

GOOD = b'{"id":"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f","email":"ann@example.com","name":"Ann","age":31,' \
       b'"country":"UK","balance":"1250.00","created_at":"2024-03-05T12:34:56Z","updated_at":null,' \
       b'"address":{"city":"London","postcode":"N16AB"}}\n'


@case
def equals_value_is_the_separate_value(d):
    # (status, stdout): stderr's summary says how long it took.
    want = run("validate", "--schema", SCHEMA, "--format", "ndjson", "--json", SAMPLE)[:2]
    assert want[0] == 1, want
    assert run("validate", f"--schema={SCHEMA}", "--format=ndjson", "--json", SAMPLE)[:2] == want
    code, out, err = run("query", "--db=:memory:", "--format=csv", "SELECT 1 AS a, ? AS b", "--c=d")
    assert (code, out) == (0, "a,b\n1,--c=d\n"), (code, out, err)  # after the SQL, a parameter


@case
def short_forms_are_the_long_ones(d):
    want = run("validate", "--schema", SCHEMA, "--json", "--rejected", os.path.join(d, "a.jsonl"), SAMPLE)[:2]
    got = run("validate", "-s", SCHEMA, "-j", "-r", os.path.join(d, "b.jsonl"), SAMPLE)[:2]
    assert got == want, (got, want)
    with open(os.path.join(d, "a.jsonl")) as a, open(os.path.join(d, "b.jsonl")) as b:
        assert a.read() == b.read()
    db = os.path.join(d, "lake.duckdb")
    code, _, err = run("ingest", "-s", SCHEMA, "-d", db, "-t", "people", "-j", "-", stdin=GOOD)
    assert code == 0, err
    out = os.path.join(d, "out.csv")
    code, _, err = run("query", "-d", db, "-f", "csv", "-o", out, "SELECT name FROM people")
    assert code == 0, err
    with open(out) as f:
        assert f.read() == "name\nAnn\n"
    code, out, _ = run("-V")
    assert code == 0 and out.startswith("lakeorm "), out


@case
def a_typo_suggests_the_option(d):
    code, _, err = run("ingest", "--shema", SCHEMA, "--db", os.path.join(d, "x.duckdb"))
    assert code == 2 and "unknown option --shema; did you mean --schema?" in err, err
    code, _, err = run("query", "--db", ":memory:", "--fromat=csv", "SELECT 1")
    assert code == 2 and "unknown option --fromat; did you mean --format?" in err, err
    code, _, err = run("vacuum", "--tabel", "t")
    assert code == 2 and "did you mean --table?" in err, err
    code, _, err = run("validate", "--schema", SCHEMA, "--completely-wrong", SAMPLE)
    assert code == 2 and "unknown option --completely-wrong (see lakeorm help validate)" in err, err
    code, _, err = run("validate", "-z", SAMPLE)
    assert code == 2 and "unknown option -z" in err, err
    code, _, err = run("validate", "--schema", SCHEMA, "--json=yes", SAMPLE)
    assert code == 2 and "--json takes no value" in err, err


@case
def plain_paths_are_file_urls(d):
    # Relative to the working folder, made absolute; the folders need not exist yet.
    code, _, err = run("ingest", "--schema", SCHEMA, "--db", "lake.duckdb", "--staging", "stage", "--path", "staged",
                       "-", stdin=GOOD, cwd=d)
    assert code == 0, err
    assert rows(os.path.join(d, "lake.duckdb"), "SELECT name FROM users") == [{"name": "Ann"}]
    assert os.path.isdir(os.path.join(d, "stage")), os.listdir(d)
    code, out, err = run("cleanup-staging", "--staging", "stage", "--json", cwd=d)
    assert code == 0 and json.loads(out)["scanned"] == 0, (code, out, err)
    small = os.path.join(d, "t.schema.json")
    with open(small, "w") as f:
        f.write('{"table":"t","fields":[{"tag":"a","type":"int32"}]}')
    code, _, err = run("ingest", "--schema", small, "--dialect", "delta", "--warehouse", "wh", "-", stdin=b'{"a":1}\n',
                       cwd=d)
    assert code == 0, err
    assert os.path.isdir(os.path.join(d, "wh", "t", "_delta_log")), os.listdir(os.path.join(d, "wh"))
    code, _, err = run("ingest", "--schema", small, "--dialect", "iceberg", "--warehouse", os.path.join(d, "ice"),
                       "--catalog", "cat.db", "-", stdin=b'{"a":1}\n', cwd=d)
    assert code == 0, err
    assert os.path.isfile(os.path.join(d, "cat.db")), os.listdir(d)



@case
def short_options_bundle(d):
    want = run("validate", "--schema", SCHEMA, "--json", "--quiet", SAMPLE)
    assert want[0] == 1 and want[2] == "", want  # --quiet: no summary on stderr
    for args in (["-qj", "-s", SCHEMA], ["-jq", f"-s{SCHEMA}"], ["-qjs", SCHEMA], [f"-qjs{SCHEMA}"]):
        got = run("validate", *args, SAMPLE)
        assert got == want, (args, got)
    db = os.path.join(d, "x.duckdb")
    code, _, err = run("ingest", f"-s{SCHEMA}", f"-d{db}", "-tpeople", "-qj", "-", stdin=GOOD)
    assert code == 0 and err == "", (code, err)
    assert rows(db, "SELECT name FROM people") == [{"name": "Ann"}]
    code, _, err = run("validate", "-qz", SAMPLE)
    assert code == 2 and "unknown option -z in -qz" in err, err
    code, _, err = run("validate", "-schema", SCHEMA, SAMPLE)  # one dash, a long name: a slip, not -s "chema"
    assert code == 2 and "did you mean --schema?" in err, err


@case
def double_dash_ends_the_options(d):
    with open(SAMPLE, "rb") as f:
        sample = f.read()
    with open(os.path.join(d, "-x"), "wb") as f:
        f.write(sample)
    want = run("validate", "--schema", SCHEMA, "--json", SAMPLE)[:2]
    assert run("validate", "--schema", SCHEMA, "--json", "--", "-x", cwd=d)[:2] == want
    assert run("validate", "-s", SCHEMA, "-j", "--", "-x", cwd=d)[:2] == want
    code, _, err = run("validate", "--schema", SCHEMA, "-x", cwd=d)  # without --, an option
    assert code == 2 and "unknown option -x" in err, err
    code, _, err = run("validate", "--schema", SCHEMA, "--", "--json", cwd=d)  # after --, a file named --json
    assert code == 2 and "cannot read --json" in err, err
    assert run("validate", "--schema", SCHEMA, "--json", SAMPLE, "--")[:2] == want  # a trailing -- is nothing
    code, out, err = run("query", "--db", ":memory:", "--", "-- a comment\nSELECT 1 AS a")  # SQL that starts with --
    assert (code, out) == (0, '{"a":1}\n'), (code, out, err)
    code, out, err = run("ingest", "-s", SCHEMA, "-d", os.path.join(d, "y.duckdb"), "-q", "--", "-x", cwd=d)
    assert code == 1 and err == "", (code, err)  # SAMPLE holds a rejected line


finish()
