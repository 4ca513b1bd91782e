# SPDX-License-Identifier: MIT
"""Runs every contender of contenders.py once, each in its own process
pinned to one core (taskset -c CORE), and prints the tables of
docs/benchmarks.md: best-of-REPS seconds, rows/s, peak RSS (the child's
getrusage maxrss, and the RSS of its input alone) and lakeorm's speed over
each peer's.

Usage: bench.py N WORKDIR [REPS=3] [CORE=0]"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GROUPS = [
    ("a. validate N dicts", "lake-validate-dicts", [
        ("lakeorm validate_many", "lake-validate-dicts"),
        ("pydantic TypeAdapter(list[User]).validate_python", "pydantic-typeadapter-dicts"),
        ("pydantic User.model_validate per record", "pydantic-model-validate"),
    ]),
    ("b. validate N NDJSON lines (bytes)", "lake-validate-ndjson", [
        ("lakeorm validate_ndjson", "lake-validate-ndjson"),
        ("pydantic model_validate_json per line", "pydantic-json-lines"),
        ("pydantic TypeAdapter(list[User]).validate_json (one JSON array)", "pydantic-json-array"),
    ]),
    ("c. N dicts into DuckDB (a new file)", "lake-duckdb", [
        ("lakeorm migrate + insert", "lake-duckdb"),
        ("pydantic + pa.Table.from_pylist + INSERT ... SELECT", "pydantic-arrow-duckdb"),
        ("dlt pipeline.run (destination duckdb)", "dlt-duckdb"),
    ]),
    ("d. pyarrow table to Delta (local disk)", "lake-delta-arrow", [
        ("lakeorm insert(schema, pyarrow table)", "lake-delta-arrow"),
        ("lakeorm insert, a schema with no rules and no key", "lake-delta-arrow-unruled"),
        ("deltalake.write_deltalake", "deltalake-write"),
    ]),
]


def measure(name, n, workdir, reps, core):
    cmd = ["taskset", "-c", core, sys.executable, os.path.join(HERE, "contenders.py"), name, str(n), workdir, str(reps)]
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)  # the child's own rusage: its peak RSS
        p.stdout.close()
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed:\n{err.read().decode()[-3000:]}")
    line = out.decode().strip().splitlines()[-1]
    if " skipped=" in line:
        return {"skipped": line.split(" skipped=", 1)[1]}
    r = dict(part.split("=", 1) for part in line.split())
    r["maxrss_kb"] = usage.ru_maxrss
    return r


def main():
    n, workdir = int(sys.argv[1]), sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    core = sys.argv[4] if len(sys.argv) > 4 else "0"
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, f"users-{n}.ndjson")
    if not os.path.exists(path):
        # In a child: a process's peak RSS survives fork and exec, so the
        # runner must never hold the records itself.
        subprocess.run([sys.executable, os.path.join(HERE, "data.py"), str(n), path], check=True)
    print(f"{n:,} records, {os.path.getsize(path) / n:.0f} bytes a line as NDJSON; best of {reps} (dlt: once); "
          f"each contender alone in a process pinned to core {core}\n")
    only = os.environ.get("BENCH_GROUPS", "abcd")  # e.g. BENCH_GROUPS=d: the Delta group alone
    for title, ours, members in GROUPS:
        if title[0] not in only:
            continue
        results = []
        for label, name in members:
            r = measure(name, n, workdir, reps, core)
            print(f"  {name}: {r}", file=sys.stderr, flush=True)
            results.append((label, name, r))
        me = next(r for _, name, r in results if name == ours)
        print(f"### {title.replace('N', f'{n:,}', 1)}\n")
        print("| contender | seconds (best) | runs | rows/s | peak RSS MB | input alone MB | lakeorm's speed over it |")
        print("|---|---|---|---|---|---|---|")
        for label, name, r in results:
            if "skipped" in r:
                print(f"| {label} | skipped: {r['skipped']} | | | | | |")
                continue
            s = float(r["seconds"])
            ratio = "" if "skipped" in me else f"{float(me['seconds']) and s / float(me['seconds']):.2f}x"
            via = f" ({r['path']} path)" if "path" in r else ""
            print(f"| {label}{via} | {s:.3f} | {r['runs'].replace(',', ' / ')} | {n / s:,.0f} | "
                  f"{r['maxrss_kb'] / 1024:,.0f} | {int(r['input_rss_kb']) / 1024:,.0f} | {ratio} |")
        print(flush=True)


if __name__ == "__main__":
    main()
