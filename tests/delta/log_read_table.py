# SPDX-License-Identifier: MIT
"""Prints what delta-rs (the `deltalake` package) reads of a Delta table:
its version, row count, files (paths under the table, sorted) and the txn
versions of app-a and app-b, for tests/unit/delta/test_snapshot.c, which
checks that a log lakeorm rendered reads as it meant."""
import os
import sys

from deltalake import DeltaTable


def main():
    path = os.path.abspath(sys.argv[1])
    dt = DeltaTable(path)
    print("version %d" % dt.version())
    print("rows %d" % dt.to_pyarrow_table().num_rows)
    for uri in sorted(dt.file_uris()):
        print("file %s" % uri[len(path) + 1:])
    for app in ("app-a", "app-b"):
        v = dt.transaction_version(app)
        if v is not None:
            print("txn %s %d" % (app, v))


if __name__ == "__main__":
    main()
    # deltalake's runtime threads can abort the interpreter's ordinary exit
    # ("terminate called without an active exception"): leave at once.
    sys.stdout.flush()
    os._exit(0)
