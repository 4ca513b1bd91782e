# SPDX-License-Identifier: MIT
"""The Parquet write peers, on the rows lakeorm wrote: pyarrow pq.write_table
and DuckDB COPY, each from an in-memory table, ZSTD at the same level. THREADS
1 (the default): one thread each; more: DuckDB with threads=THREADS, pyarrow
with its default thread pools.

usage: peers.py {pyarrow|duckdb} SOURCE.parquet OUT.parquet LEVEL [THREADS]
"""
import os
import resource
import sys
import time


def main():
    which, source, out, level = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    if which == "pyarrow":
        import pyarrow as pa
        import pyarrow.parquet as pq
        if threads == 1:
            pa.set_cpu_count(1)
            pa.set_io_thread_count(1)
        table = pq.read_table(source, use_threads=threads > 1)
        rows = table.num_rows
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        pq.write_table(table, out, compression="zstd", compression_level=level, use_dictionary=True)
        seconds = time.perf_counter() - start
    else:
        import duckdb
        con = duckdb.connect()
        con.execute(f"SET threads={threads}")
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{source}')")
        rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        con.execute(f"COPY t TO '{out}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {level})")
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"RESULT name={which} threads={threads} rows={rows} seconds={seconds:.6f} bytes={os.path.getsize(out)} "
          f"peak_rss_kb={peak} table_rss_kb={before}")


if __name__ == "__main__":
    main()
