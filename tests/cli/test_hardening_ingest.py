# SPDX-License-Identifier: MIT
"""ingest with idempotency keys and conflict strategies: a key is used only
when rows were written, the same request again is a replay, another request
with the key is refused with nothing written, and the summary reports what
the engine did (inserted, updated, ignored). Each case uses a fresh DuckDB
database file, read back with `lakeorm query`.

Usage: test_hardening_ingest.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os

from clitest import EXAMPLES, case, count, finish, rows, run

USERS = os.path.join(EXAMPLES, "users.schema.json")

# A primary key and no merge key: the conflict strategies apply.
ITEMS = {"version": 1, "table": "items", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "name", "type": "string", "rules": "required,min=1"},
]}


def items_schema(d):
    path = os.path.join(d, "items.schema.json")
    with open(path, "w") as f:
        json.dump(ITEMS, f)
    return path


def items(*pairs):
    return "".join(json.dumps({"id": i, "name": n}) + "\n" for i, n in pairs).encode()


def ingest(schema, db, data, *flags):
    """Runs ingest --json; returns (exit status, summary or None, stderr)."""
    code, out, err = run("ingest", "--schema", schema, "--db", db, "--json", *flags, "-", stdin=data)
    summaries = [json.loads(l)["summary"] for l in out.splitlines() if l.startswith('{"summary"')]
    return code, summaries[0] if summaries else None, err


@case
def all_rejected_run_records_no_key_and_the_corrected_retry_writes(d):
    db, schema = os.path.join(d, "lake.duckdb"), items_schema(d)
    bad = items((1, ""), (2, ""))
    code, summary, err = ingest(schema, db, bad, "--idempotency-key", "fix-1")
    assert code == 1 and summary["inserted"] == 0 and summary["rejected"] == 2, (code, summary, err)
    assert count(db, "_lakeorm_ingests") == 0
    code, summary, err = ingest(schema, db, items((1, "a"), (2, "b")), "--idempotency-key", "fix-1")
    assert code == 0, (code, err)
    assert summary["outcome"] == "inserted" and summary["inserted"] == 2 and not summary["replayed"], summary
    assert count(db, "items") == 2


@case
def same_key_same_data_is_replayed(d):
    db, schema = os.path.join(d, "lake.duckdb"), items_schema(d)
    data = items((1, "a"), (2, "b"), (3, "c"))
    code, first, err = ingest(schema, db, data, "--idempotency-key", "k", "--path", "direct")
    assert code == 0 and first["outcome"] == "inserted", (code, first, err)
    code, again, err = ingest(schema, db, data, "--idempotency-key", "k", "--path", "staged")
    assert code == 0, (code, err)
    assert again["outcome"] == "replayed" and again["replayed"] and again["inserted"] == 0, again
    assert again["ingest_id"] == first["ingest_id"], (first, again)
    assert "a retry: already written" in err, err
    assert count(db, "items") == 3


@case
def same_key_other_data_or_table_exits_3_and_writes_nothing(d):
    db, schema = os.path.join(d, "lake.duckdb"), items_schema(d)
    code, _, err = ingest(schema, db, items((1, "a"), (2, "b")), "--idempotency-key", "nightly-7")
    assert code == 0, err
    for data, flags in ((items((1, "a"), (2, "changed")), ()),
                        (items((1, "a"), (2, "b"), (3, "c")), ()),
                        (items((1, "a"), (2, "b")), ("--table", "items_copy"))):
        code, summary, err = ingest(schema, db, data, "--idempotency-key", "nightly-7", *flags)
        assert code == 3, (code, summary, err)
        assert "nightly-7" in err and "nothing written" in err.lower(), err
        assert summary is None or summary["outcome"] != "replayed", summary
    assert rows(db, "SELECT id, name FROM items ORDER BY id") == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    assert count(db, "items_copy") == 0


@case
def ignore_and_update_report_what_the_engine_did(d):
    db, schema = os.path.join(d, "lake.duckdb"), items_schema(d)
    code, _, err = ingest(schema, db, items((1, "a"), (2, "b"), (3, "c")))
    assert code == 0, err
    code, summary, err = ingest(schema, db, items((2, "x"), (3, "x"), (4, "x"), (5, "x")), "--on-conflict", "ignore")
    assert code == 0, (code, err)
    assert (summary["inserted"], summary["updated"], summary["ignored"]) == (2, 0, 2), summary
    assert "4 records, 2 inserted into items" in err and "2 ignored" in err, err
    code, summary, err = ingest(schema, db, items((5, "y"), (6, "y")), "--on-conflict", "update")
    assert code == 0, (code, err)
    assert (summary["inserted"], summary["updated"], summary["ignored"]) == (1, 1, 0), summary
    assert "1 updated" in err, err
    assert rows(db, "SELECT string_agg(name, '' ORDER BY id) AS s FROM items") == [{"s": "abcxyy"}]


@case
def merge_keys_report_updates(d):
    db = os.path.join(d, "lake.duckdb")
    users = [json.dumps({"id": f"00000000-0000-4000-8000-00000000000{i}", "email": f"u{i}@example.com",
                         "name": f"U{i}", "age": 30, "country": "NL", "balance": "1.00",
                         "created_at": "2024-03-05T12:34:56Z", "updated_at": None,
                         "address": {"city": "Utrecht", "postcode": None}}) for i in range(1, 4)]
    code, _, err = ingest(USERS, db, "\n".join(users[:2]).encode())
    assert code == 0, err
    code, summary, err = ingest(USERS, db, "\n".join(users[1:]).encode())
    assert code == 0, (code, err)
    assert (summary["inserted"], summary["updated"], summary["ignored"]) == (1, 1, 0), summary


@case
def duplicate_keys_under_update_are_refused(d):
    db, schema = os.path.join(d, "lake.duckdb"), items_schema(d)
    for strategy in ("update", "ignore"):
        code, summary, err = ingest(schema, db, items((1, "a"), (2, "b"), (1, "c")), "--on-conflict", strategy)
        assert code == 3, (strategy, code, err)
        assert "primary key (1) appears more than once" in err, err
    assert count(db, "items") == 0


finish()
