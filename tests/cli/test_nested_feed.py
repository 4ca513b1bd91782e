# SPDX-License-Identifier: MIT
"""A realistic nested event feed through the CLI into DuckDB: lists of structs,
optional objects, maps, free-form JSON payloads. Good lines land exactly (read
back with `lakeorm query` and, independently, the duckdb Python package when it
is installed); bad lines are reported one by one with the exact path of each
problem, on both write paths.

Usage: test_nested_feed.py LAKEORM_BINARY DATA_DIR. Standard library only.
"""
import json
import os
import sys
import uuid

from clitest import case, finish, rows, run

DATA = sys.argv[2]
SCHEMA = os.path.join(DATA, "nested", "events.schema.json")
FIXTURE = os.path.join(DATA, "nested", "events.ndjson")


def event(i):
    """Line i of a generated feed; every 7th has no shipping, every 5th a NULL payload."""
    return {
        "event_id": str(uuid.UUID(int=i + 1, version=4)),
        "type": "order.created" if i % 2 else "order.updated",
        "at": f"2024-03-{1 + i % 28:02d}T12:00:{i % 60:02d}Z",
        "items": [{"sku": f"S-{i}-{k}", "qty": 1 + k, "price": f"{k}.{i % 100:02d}", "tags": ["t"] * (k % 3)}
                  for k in range(1 + i % 4)],
        **({} if i % 7 == 0 else {"shipping": {"city": f"City {i}", "zip": None if i % 3 else i}}),
        "attrs": {f"k{k}": f"v{i}" for k in range(i % 3)},
        "payload": None if i % 5 == 0 else {"n": i, "list": [i, str(i)], "nested": {"ok": i % 2 == 0}},
        "scores": [[i, -i], []],
        "notes": None if i % 4 == 0 else ["a", None],
        "labels": {"team": [str(i)]},
    }


def feed(d, n, bad_every):
    """n lines with a bad one every bad_every lines: (path, the bad line numbers)."""
    path = os.path.join(d, "feed.ndjson")
    bad = []
    with open(path, "w") as f:
        for i in range(n):
            e = event(i)
            if i % bad_every == bad_every - 1:
                e["items"][0]["qty"] = 0  # gte=1
                bad.append(i + 1)
            f.write(json.dumps(e) + "\n")
    return path, bad


@case
def fixture_lines_are_reported_with_their_paths(d):
    db = os.path.join(d, "lake.duckdb")
    code, out, err = run("ingest", "--schema", SCHEMA, "--db", db, "--json", FIXTURE)
    assert code == 1, (code, err)
    reports = [json.loads(l) for l in out.splitlines()]
    summary = reports.pop()["summary"]
    assert summary["inserted"] == 4 and summary["rejected"] == 3, summary
    by_line = {r["line"]: {(i["path"], i["rule"]) for i in r["errors"]} for r in reports}
    assert set(by_line) == {5, 6, 7}, by_line
    assert ("/items", "min") in by_line[5], by_line[5]
    for want in [("/items/0/sku", "required"), ("/items/0/qty", "gte"), ("/items/0/tags/0", "required"),
                 ("/attrs/bad key", "alphanum"), ("/scores/0/0", "type"), ("/labels/a/0", "null")]:
        assert want in by_line[6], (want, by_line[6])
    for want in [("/items", "type"), ("/shipping/city", "missing"), ("/attrs/a", "duplicate_key")]:
        assert want in by_line[7], (want, by_line[7])
    got = rows(db, "SELECT event_id, kind, shipping, attrs, payload, scores, notes, labels, items "
                   "FROM events ORDER BY event_id")
    assert len(got) == 4, got
    first = got[0]
    assert first["kind"] == "order.created", first
    assert first["shipping"] == {"city": "Lyon", "zip": 69001}, first
    assert first["attrs"] == {"channel": "web", "campaign": "spring"}, first
    assert first["payload"] == {"cart": {"id": 7, "coupons": ["A", "B"]}, "total": 19.98}, first
    assert first["scores"] == [[1, 2, 3], [], [-4]], first
    assert first["notes"] == ["gift", None, "fragile"], first
    assert first["labels"] == {"team": ["a", "b"], "none": []}, first
    assert first["items"][1] == {"sku": "B-2", "qty": 1, "price": 0, "tags": []}, first
    second = got[1]
    assert second["shipping"] is None and second["notes"] is None and second["payload"] is None, second
    assert got[3]["shipping"] is None and got[3]["scores"] == [[9223372036854775807], [-9223372036854775808]], got[3]


@case
def a_generated_feed_lands_on_both_paths(d):
    db = os.path.join(d, "lake.duckdb")
    path, bad = feed(d, 600, 50)
    for how in ("direct", "staged"):
        code, out, err = run("ingest", "--schema", SCHEMA, "--db", db, "--table", "events_" + how,
                             "--path", how, "--json", path)
        assert code == 1, (how, code, err)
        reports = [json.loads(l) for l in out.splitlines()]
        summary = reports.pop()["summary"]
        assert summary["inserted"] == 600 - len(bad) and summary["path"] == how, summary
        assert [r["line"] for r in reports] == bad, reports[:3]
        assert all(r["errors"][0]["path"] == "/items/0/qty" for r in reports), reports[0]
    direct = rows(db, "SELECT * EXCLUDE (_ingest_id) FROM events_direct ORDER BY event_id")
    staged = rows(db, "SELECT * EXCLUDE (_ingest_id) FROM events_staged ORDER BY event_id")
    assert direct == staged and len(direct) == 600 - len(bad)
    try:
        import duckdb  # an independent reader, when the package is there
    except ImportError:
        return
    con = duckdb.connect(db, read_only=True)
    n_items, null_ship, null_payload = con.execute(
        "SELECT sum(len(items)), count(*) FILTER (WHERE shipping IS NULL), count(*) FILTER (WHERE payload IS NULL) "
        "FROM events_staged").fetchone()
    kept = [i for i in range(600) if i + 1 not in bad]
    assert n_items == sum(1 + i % 4 for i in kept), n_items
    assert null_ship == sum(1 for i in kept if i % 7 == 0), null_ship
    assert null_payload == sum(1 for i in kept if i % 5 == 0), null_payload
    row = con.execute("SELECT items[1].sku, attrs['k1'], json_extract(payload, '$.nested.ok') FROM events_staged "
                      "WHERE event_id = ?", [str(uuid.UUID(int=3, version=4))]).fetchone()
    assert row == ("S-2-0", "v2", "true"), row


finish()
