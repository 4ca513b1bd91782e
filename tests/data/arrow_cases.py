# SPDX-License-Identifier: MIT
"""One Arrow IPC stream per case, for tests/unit/values/test_reader_parity.c.

  arrow_cases.py SPEC DIR

Each SPEC line is "index<TAB>column<TAB>pyarrow type<TAB>Python value" (the
last two evaluated); DIR/<index>.arrows gets a one-row stream of that column.
"""
import decimal
import sys
import uuid

import pyarrow as pa
import pyarrow.ipc as ipc

names = {"pa": pa, "D": decimal.Decimal, "uuid": uuid}
with open(sys.argv[1]) as spec:
    for line in spec:
        index, column, type_text, value_text = line.rstrip("\n").split("\t")
        array = pa.array([eval(value_text, names)], type=eval(type_text, names))
        table = pa.table({column: array})
        with open(f"{sys.argv[2]}/{index}.arrows", "wb") as f, ipc.new_stream(f, table.schema) as w:
            w.write_table(table)
