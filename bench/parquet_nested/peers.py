# SPDX-License-Identifier: MIT
"""The nested Parquet peers, one thread each, ZSTD at the same level.

  peers.py pyarrow-json IN.ndjson OUT LEVEL   pyarrow.json.read_json + pq.write_table
  peers.py duckdb-json IN.ndjson OUT LEVEL    DuckDB read_json (declared columns) + COPY
  peers.py pyarrow-write SOURCE.parquet OUT LEVEL
      the writer alone: pq.write_table of an in-memory table loaded from SOURCE
      (lakeorm's file of C-built records)

pyarrow's JSON reader has no map type: it infers `attrs` as a struct of the
keys it meets, which is what it can do with such data. DuckDB is given the
same types lakeorm declares (a list of structs, MAP(VARCHAR, VARCHAR)).
"""
import os
import resource
import sys
import time

DUCKDB_COLUMNS = ("{'id': 'VARCHAR', 'user': 'VARCHAR', 'country': 'VARCHAR', 'at': 'TIMESTAMPTZ', 'total': 'DOUBLE', "
                  "'items': 'STRUCT(sku VARCHAR, name VARCHAR, qty INTEGER, price DOUBLE, tags VARCHAR[], ref VARCHAR)[]', "
                  "'attrs': 'MAP(VARCHAR, VARCHAR)'}")


def main():
    which, source, out, level = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    before = 0
    if which.startswith("pyarrow"):
        import pyarrow as pa
        import pyarrow.json as pj
        import pyarrow.parquet as pq
        pa.set_cpu_count(1)
        pa.set_io_thread_count(1)
        if which == "pyarrow-json":
            start, start_cpu = time.perf_counter(), time.process_time()
            table = pj.read_json(source, read_options=pj.ReadOptions(use_threads=False))
        else:
            table = pq.read_table(source, use_threads=False)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start, start_cpu = time.perf_counter(), time.process_time()
        pq.write_table(table, out, compression="zstd", compression_level=level, use_dictionary=True)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
        rows = table.num_rows
    else:
        import duckdb
        con = duckdb.connect()
        con.execute("SET threads=1")
        start, start_cpu = time.perf_counter(), time.process_time()
        con.execute(f"COPY (SELECT * FROM read_json('{source}', format='newline_delimited', "
                    f"columns={DUCKDB_COLUMNS})) TO '{out}' "
                    f"(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {level})")
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchall()[0][0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    extra = f" table_rss_kb={before}" if before else ""
    print(f"RESULT name={which} rows={rows} seconds={seconds:.6f} cpu_seconds={cpu_seconds:.6f} bytes={os.path.getsize(out)} "
          f"peak_rss_kb={peak}{extra}")


if __name__ == "__main__":
    main()
