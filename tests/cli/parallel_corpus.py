# SPDX-License-Identifier: MIT
"""The inputs the --threads tests (test_parallel_ingest.py, test_parallel_validate.py)
run at every thread count: a schema, good lines, lines bad four ways, NDJSON
corpora, a CSV file with malformed records, a gzip file and a Parquet file."""
import gzip
import json
import os

from clitest import run, write

SCHEMA = {"version": 1, "table": "events", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "name", "type": "string", "rules": "required,min=2"},
    {"tag": "email,nullable", "type": "string", "rules": "omitempty,email"},
    {"tag": "amount", "type": "decimal(12,2)", "rules": "gte=0"},
    {"tag": "tags,nullable", "type": "list<string>"},
    {"tag": "seen", "type": "timestamp"},
]}


def good_line(i):
    return json.dumps({"id": i, "name": f"user {i}", "email": f"u{i}@example.com" if i % 3 else None,
                       "amount": f"{i % 1000}.{i % 100:02d}", "tags": ["a", str(i)] if i % 2 else None,
                       "seen": "2024-03-05T12:34:56Z"}, separators=(",", ":"))


def bad_line(i):
    """Rejected four ways: a rule, several rules, a type, not JSON."""
    k = i % 4
    if k == 0:
        return good_line(i).replace(f'"user {i}"', '"x"')
    if k == 1:
        return json.dumps({"id": i, "name": "", "email": "nope", "amount": "-1.234", "seen": "soon", "extra": 1})
    if k == 2:
        return json.dumps({"id": str(i), "name": "ok", "amount": 1, "seen": "2024-03-05T12:34:56Z"})
    return '{"id":%d,"name":' % i


def corpus(d, name, n, bad_every=None, blank_every=None, crlf=False, start=0, blank="", last_end=True):
    """n records; every bad_every-th bad; a blank line (`blank`) between; CRLF line ends; the last line
    without its line end unless last_end."""
    lines = []
    for i in range(start, start + n):
        lines.append(bad_line(i) if bad_every and i % bad_every == 7 else good_line(i))
        if blank_every and i % blank_every == 3:
            lines.append(blank)
    end = "\r\n" if crlf else "\n"
    return write(d, name, end.join(lines) + (end if last_end else ""))


def mixed_csv(d, name):
    """9000 CSV records: malformed ones (rejected as read) and rule-breaking ones among good ones."""
    csv = ["id,name,email,amount,tags,seen"]
    for i in range(9000):
        if i % 41 == 5:
            csv.append(f'{i},"unclosed,x,1,,2024-03-05T12:34:56Z')  # malformed: rejected as read
            csv.append(f"{i}b,ok,,1,,2024-03-05T12:34:56Z")
        elif i % 43 == 6:
            csv.append(f"{i},x,,1,,2024-03-05T12:34:56Z")  # a rule
        else:
            csv.append(f'{i},user {i},u{i}@example.com,{i % 100}.5,"[""t""]",2024-03-05T12:34:56Z')
    return write(d, name, "\n".join(csv) + "\n")


def mixed_gzip(d, name):
    """8000 gzip-compressed NDJSON lines, every 53rd bad."""
    path = os.path.join(d, name)
    with gzip.open(path, "wt") as f:
        for i in range(100000, 108000):
            f.write((bad_line(i) if i % 53 == 7 else good_line(i)) + "\n")
    return path


def mixed_parquet(d, schema_file):
    """A Parquet file of 10000 rows, every 97th with a name a rule rejects, written by ingest and query."""
    source = os.path.join(d, "source.duckdb")
    code, _, err = run("ingest", "--schema", schema_file, "--db", source, "-q", corpus(d, "all.ndjson", 10000))
    assert code == 0, err
    pq = os.path.join(d, "in.parquet")
    code, _, err = run("query", "--db", source, "--format", "parquet", "--output", pq,
                       "SELECT id, CASE WHEN id % 97 = 3 THEN 'x' ELSE name END AS name, email, amount, tags, seen "
                       "FROM events")
    assert code == 0, err
    return pq


def several_files(d):
    """A CSV file, a gzip NDJSON file and a plain one, each with bad records: one request's inputs."""
    return [mixed_csv(d, "a.csv"), mixed_gzip(d, "b.ndjson.gz"), corpus(d, "c.ndjson", 5000, bad_every=29, start=200000)]
