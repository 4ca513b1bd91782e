# SPDX-License-Identifier: MIT
"""No growth over a loop: every call frees what it made, Python objects and
C memory alike. Each check warms up first, then compares the live object
count, tracemalloc's traced bytes and the process's peak RSS after many
more rounds against bounds far below what one leaked record per round
would cost."""
import datetime as dt
import decimal
import gc
import resource
import tracemalloc
import uuid

import pytest

import lakeorm
from helpers import schema_of

ROUNDS = 300
UTC = dt.timezone.utc

S = schema_of("leaky", ("id,pk", "int64"), ("name", "string", "required"), ("at", "timestamp"),
              ("amount", "decimal(18,2)"), ("u", "uuid"), ("tags", "list<string>"),
              ("attrs", "map<string,int64>"), ("nested,nullable", "struct", "", [("x", "bytes")]),
              ("j,nullable", "json"))


def row(i):
    return {"id": i, "name": f"name {i}" * 4, "at": dt.datetime(2024, 1, 1, tzinfo=UTC), "amount": decimal.Decimal("1.25"),
            "u": uuid.UUID(int=i), "tags": ["a", "b" * 50], "attrs": {"k": i}, "nested": {"x": b"\x00" * 64},
            "j": {"k": [i, "v"]}}


BAD = {"id": "x", "name": "", "at": dt.datetime(2024, 1, 1), "amount": decimal.Decimal("NaN"), "u": "no",
       "tags": [None], "attrs": {1: 2}, "nested": {"y": 1}, "j": {1, 2}, "extra": 1}


def maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def no_growth(step, rounds=ROUNDS):
    """Runs step() to warm up, then twice `rounds` times under tracemalloc:
    what the second half keeps (live objects, traced Python memory, peak
    RSS) must not grow with the rounds. One-time costs (caches, UTF-8 forms
    of interned keys) land in the first half."""
    for _ in range(50):
        step()
    tracemalloc.start()
    try:
        for _ in range(rounds):
            step()
        gc.collect()
        objects, traced, rss = len(gc.get_objects()), tracemalloc.get_traced_memory()[0], maxrss_kb()
        for _ in range(rounds):
            step()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - traced
    finally:
        tracemalloc.stop()
    assert len(gc.get_objects()) - objects < 50, "Python objects left behind"
    assert grown < 32 * 1024, f"{grown} bytes of Python memory kept over {rounds} rounds"
    assert maxrss_kb() - rss < 16 * 1024, "peak RSS grew by more than 16 MiB"


def test_validate_good_and_bad_records_leaks_nothing():
    def step():
        assert lakeorm.validate(S, row(1))["id"] == 1
        with pytest.raises(lakeorm.ValidationError) as e:
            lakeorm.validate(S, BAD)
        assert len(e.value.issues) == 11
    no_growth(step)


def test_validate_many_and_ndjson_leak_nothing():
    rows = [row(i) for i in range(50)] + [BAD]
    ndjson = b"\n".join(b'{"id":%d,"name":"n","at":"2024-01-01T00:00:00Z","amount":1,"u":"%s","tags":[],"attrs":{}}'
                        % (i, str(uuid.UUID(int=i)).encode()) for i in range(50)) + b"\n{bad\n"

    def step():
        good, rejected = lakeorm.validate_many(S, rows)
        assert (len(good), len(rejected)) == (50, 1)
        good, rejected = lakeorm.validate_ndjson(S, ndjson)
        assert (len(good), [line for line, _ in rejected]) == (50, [51])
    no_growth(step, rounds=100)


def test_insert_query_stream_and_first_leak_nothing(lake):
    lake.migrate(S)
    counter = iter(range(10 ** 9))

    def step():
        base = next(counter) * 10
        assert lake.insert(S, [row(base + k) for k in range(10)]).rows == 10
        assert len(lake.query(S, "SELECT * FROM leaky WHERE id >= ? AND id < ?", [base, base + 10])) == 10
        assert lake.first(S, "SELECT * FROM leaky WHERE id = ?", [base])["id"] == base
        with lake.stream(S, "SELECT * FROM leaky ORDER BY id") as rows:
            assert next(rows)["id"] == 0  # closed early, with rows left
        with pytest.raises(lakeorm.NoRowsError):
            lake.first(S, "SELECT * FROM leaky WHERE id < 0")
        with pytest.raises(lakeorm.EngineError):
            lake.query(S, "SELECT * FROM missing_table")
    no_growth(step, rounds=150)


def test_streams_dropped_without_close_free_their_session(lake):
    lake.migrate(S)
    lake.insert(S, [row(i) for i in range(100)])

    def step():
        rows = lake.stream(S, "SELECT * FROM leaky ORDER BY id")
        assert next(rows)["id"] == 0
        del rows  # dealloc closes it
    no_growth(step)
    assert len(lake.query(S)) == 100


def test_clients_opened_and_closed_leak_nothing(tmp_path):
    url = f"duckdb://{tmp_path / 'c.duckdb'}"

    def step():
        with lakeorm.connect(url) as lake:
            assert lake.metrics_text().startswith("# HELP lakeorm_")
    no_growth(step, rounds=60)


def test_schemas_compiled_and_dropped_leak_nothing():
    text = S.to_json()

    def step():
        s = lakeorm.Schema(text)
        assert s.table == "leaky" and len(s.columns) == 9
        with pytest.raises(lakeorm.SchemaError):
            lakeorm.Schema('{"table":"t","fields":[]}')
    no_growth(step)
