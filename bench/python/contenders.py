# SPDX-License-Identifier: MIT
"""One contender of bench/python/run, in a process of its own so that its
peak RSS is its own: builds the input (untimed), runs the timed operation
REPS times (a fresh table or database for each) and prints one line,
name=... rows=... seconds=<best> runs=<each> input_rss_kb=..., or
name=... skipped=<why> when the operation is not available.

Usage: contenders.py NAME N WORKDIR [REPS=3]"""
import gc
import os
import resource
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402  (bench/python/data.py)


class Skip(Exception):
    pass


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    for suffix in ("", ".wal"):
        if os.path.isfile(path + suffix):
            os.remove(path + suffix)
    return path


def ndjson_bytes(n, workdir):
    with open(os.path.join(workdir, f"users-{n}.ndjson"), "rb") as f:
        return f.read()


def lake_schema():
    import lakeorm
    return lakeorm.Schema.load(data.SCHEMA_PATH)


def checked(good, bad, n):
    if bad or len(good) != n:
        sys.exit(f"expected {n} valid records, got {len(good)} and {len(bad)} rejected: {bad[:1]}")


# ---- a. validate dicts

def lake_validate_dicts(n, workdir):
    import lakeorm
    schema, rows = lake_schema(), data.rows(n)

    def run():
        checked(*lakeorm.validate_many(schema, rows), n)
    return run


def pydantic_typeadapter_dicts(n, workdir):
    from pydantic import TypeAdapter
    adapter, rows = TypeAdapter(list[data.pydantic_model()]), data.rows(n)

    def run():
        assert len(adapter.validate_python(rows)) == n
    return run


def pydantic_model_validate(n, workdir):
    model, rows = data.pydantic_model(), data.rows(n)

    def run():
        validate = model.model_validate
        assert len([validate(r) for r in rows]) == n
    return run


# ---- b. validate NDJSON bytes

def lake_validate_ndjson(n, workdir):
    import lakeorm
    schema, text = lake_schema(), ndjson_bytes(n, workdir)

    def run():
        checked(*lakeorm.validate_ndjson(schema, text), n)
    return run


def pydantic_json_lines(n, workdir):
    model, text = data.pydantic_model(), ndjson_bytes(n, workdir)

    def run():
        validate = model.model_validate_json
        assert len([validate(line) for line in text.splitlines() if line]) == n
    return run


def pydantic_json_array(n, workdir):
    from pydantic import TypeAdapter
    adapter = TypeAdapter(list[data.pydantic_model()])
    array = b"[" + b",".join(line for line in ndjson_bytes(n, workdir).splitlines() if line) + b"]"

    def run():
        assert len(adapter.validate_json(array)) == n
    return run


# ---- c. 1M dicts into DuckDB

def count_rows(path, table):
    import duckdb
    with duckdb.connect(path, read_only=True) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def lake_duckdb(n, workdir):
    import lakeorm
    schema, rows = lake_schema(), data.rows(n)
    path = os.path.join(workdir, "lake.duckdb")

    def run():
        fresh(path)
        with lakeorm.connect(f"duckdb://{path}") as lake:
            lake.execute("SET threads = 1")
            lake.migrate(schema)
            result = lake.insert(schema, rows)
        assert result.rows == n, result
        run.path = result.path
    return run, lambda: count_rows(path, "users")


def pydantic_arrow_duckdb(n, workdir):
    import duckdb
    import pyarrow as pa
    from pydantic import TypeAdapter
    adapter, rows = TypeAdapter(list[data.pydantic_model()]), data.rows(n)
    path = os.path.join(workdir, "pydantic.duckdb")
    schema = data.arrow_schema()

    def run():
        fresh(path)
        # Validation is the gate; the rows it accepted (already typed) go to
        # Arrow as they are: no model_dump, the cheapest honest route.
        adapter.validate_python(rows)
        table = pa.Table.from_pylist(rows, schema=schema)
        with duckdb.connect(path, config={"threads": 1}) as c:
            c.execute(data.DUCKDB_TABLE)
            c.register("arrow_table", table)
            c.execute("INSERT INTO users SELECT * FROM arrow_table")
    return run, lambda: count_rows(path, "users")


def dlt_duckdb(n, workdir):
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    import dlt
    import duckdb
    rows = data.rows(n)
    path = os.path.join(workdir, "dlt.duckdb")
    pipelines = os.path.join(workdir, "dlt-pipelines")

    def run():
        fresh(path)
        fresh(pipelines)
        conn = duckdb.connect(path, config={"threads": 1})
        pipeline = dlt.pipeline(pipeline_name="bench", destination=dlt.destinations.duckdb(conn),
                                dataset_name="bench", pipelines_dir=pipelines)
        pipeline.run(rows, table_name="users")
        conn.close()
    return run, lambda: count_rows(path, "bench.users")


# ---- d. pyarrow table to Delta

def lake_delta_arrow(n, workdir, rules=True):
    import lakeorm
    schema = lake_schema() if rules else lakeorm.Schema(data.schema_without_rules())
    table = data.arrow_table(n, uuid_as_text=True)
    warehouse = os.path.join(workdir, "lake-delta")

    def run():
        fresh(warehouse)
        os.makedirs(warehouse)
        with lakeorm.connect(f"duckdb://?dialect=delta&warehouse=file://{warehouse}") as lake:
            lake.migrate(schema)
            try:
                result = lake.insert(schema, table)
            except NotImplementedError:
                raise Skip("arrow input not available (NotImplementedError)")
        assert result.rows == n, result

    def count():
        from deltalake import DeltaTable
        return DeltaTable(os.path.join(warehouse, "users")).to_pyarrow_table(columns=["age"]).num_rows
    return run, count


def lake_delta_arrow_unruled(n, workdir):
    return lake_delta_arrow(n, workdir, rules=False)


def deltalake_write(n, workdir):
    from deltalake import DeltaTable, write_deltalake
    table = data.arrow_table(n, uuid_as_text=True)
    path = os.path.join(workdir, "deltalake")

    def run():
        fresh(path)
        write_deltalake(path, table)
    return run, lambda: DeltaTable(path).to_pyarrow_table(columns=["age"]).num_rows


# Minutes a run at 1M rows: measured once.
ONCE = {"dlt-duckdb"}

CONTENDERS = {
    "lake-validate-dicts": lake_validate_dicts,
    "pydantic-typeadapter-dicts": pydantic_typeadapter_dicts,
    "pydantic-model-validate": pydantic_model_validate,
    "lake-validate-ndjson": lake_validate_ndjson,
    "pydantic-json-lines": pydantic_json_lines,
    "pydantic-json-array": pydantic_json_array,
    "lake-duckdb": lake_duckdb,
    "pydantic-arrow-duckdb": pydantic_arrow_duckdb,
    "dlt-duckdb": dlt_duckdb,
    "lake-delta-arrow": lake_delta_arrow,
    "lake-delta-arrow-unruled": lake_delta_arrow_unruled,
    "deltalake-write": deltalake_write,
}


def main():
    name, n, workdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    if name in ONCE:
        reps = 1
    made = CONTENDERS[name](n, workdir)
    run, count = made if isinstance(made, tuple) else (made, None)
    gc.collect()
    input_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(reps):
        gc.collect()
        t = time.perf_counter()
        try:
            run()
        except Skip as why:
            print(f"name={name} skipped={why}")
            return
        times.append(time.perf_counter() - t)
    extra = ""
    if count:
        rows = count()
        if rows != n:
            sys.exit(f"{name}: the table holds {rows} rows, not {n}")
    if getattr(run, "path", None):
        extra = f" path={run.path}"
    print(f"name={name} rows={n} seconds={min(times):.4f} runs={','.join(f'{t:.3f}' for t in times)} "
          f"input_rss_kb={input_kb}{extra}")


if __name__ == "__main__":
    main()
