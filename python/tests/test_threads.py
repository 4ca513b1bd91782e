# SPDX-License-Identifier: MIT
"""One client shared by threads: inserts and reads at once give exact
results (the GIL is released while the library works)."""
import threading

import lakeorm
from helpers import schema_of

THREADS = 8
PER_THREAD = 25


def run_all(targets):
    """Starts every target at once (a barrier) and re-raises the first failure."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrap(fn):
        def go():
            try:
                barrier.wait()
                fn()
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)
        return go

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_eight_threads_inserting_and_querying_on_one_client(lake, people):
    results = {}

    def worker(n):
        def go():
            ids = []
            for k in range(PER_THREAD):
                i = n * 1000 + k
                r = lake.insert(people, [{"id": i, "name": f"t{n}", "age": k}], path="staged" if k % 5 == 0 else "auto")
                assert (r.rows, r.inserted) == (1, 1)
                ids.append(i)
                mine = lake.query(people, "SELECT * FROM people WHERE name = ? ORDER BY id", [f"t{n}"])
                assert [row["id"] for row in mine] == ids
            results[n] = ids
        return go

    run_all([worker(n) for n in range(THREADS)])
    rows = lake.query(people, "SELECT * FROM people ORDER BY id")
    assert len(rows) == THREADS * PER_THREAD
    assert [r["id"] for r in rows] == sorted(i for ids in results.values() for i in ids)
    assert all(r["name"] == f"t{r['id'] // 1000}" and r["age"] == r["id"] % 1000 for r in rows)
    assert f"lakeorm_rows_written_total {THREADS * PER_THREAD}" in lake.metrics_text().splitlines()


def test_idempotent_retries_from_many_threads_write_once(lake, people):
    results = []

    def retry():
        while True:
            try:
                results.append(lake.insert(people, [{"id": 1, "name": "once"}], idempotency_key="same"))
                return
            except lakeorm.ConflictError:  # another thread's request with the key is in progress
                continue

    run_all([retry] * THREADS)
    assert len(results) == THREADS
    assert len({r.ingest_id for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False] + [True] * (THREADS - 1)
    assert lake.query(people) == [{"id": 1, "name": "once", "age": None}]


def test_a_reader_streams_while_another_thread_inserts(lake, people):
    lake.insert(people, [{"id": i, "name": "old"} for i in range(500)])
    seen = []
    inserted = threading.Event()

    def reader():
        for row in lake.stream(people, "SELECT * FROM people WHERE name = ? ORDER BY id", ["old"]):
            seen.append(row["id"])
            if len(seen) == 10:
                assert inserted.wait(timeout=120)  # the writer commits while this stream is open

    def writer():
        lake.insert(people, [{"id": 1000 + i, "name": "new"} for i in range(100)])
        inserted.set()

    run_all([reader, writer])
    assert seen == list(range(500))
    assert len(lake.query(people, "SELECT * FROM people WHERE name = ?", ["new"])) == 100


def test_validation_in_threads_gives_each_thread_its_own_issues():
    s = schema_of("v", ("n", "int32", "lt=100"))
    out = {}

    def check(n):
        def go():
            good, rejected = lakeorm.validate_many(s, [{"n": n * 10 + k} for k in range(2000)])
            out[n] = (len(good), [r for r, _ in rejected][:1])
        return go

    run_all([check(n) for n in range(THREADS)])
    for n in range(THREADS):
        first_bad = max(0, 100 - n * 10)
        assert out[n] == (first_bad, [first_bad]), n
