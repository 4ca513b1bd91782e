# SPDX-License-Identifier: MIT
"""The README's quickstart in Python: load users.schema.json, validate the
sample feed, write the good records into DuckDB once, read them back typed.

    python examples/python/quickstart.py [DATABASE_FILE]
"""
import os
import sys
import tempfile

import lakeorm

HERE = os.path.dirname(os.path.abspath(__file__))

schema = lakeorm.Schema.load(os.path.join(HERE, "..", "users.schema.json"))
with open(os.path.join(HERE, "..", "users.ndjson"), "rb") as f:
    good, rejected = lakeorm.validate_ndjson(schema, f.read())
for line, issues in rejected:                       # one per field: an HTTP 400's body
    for issue in issues:
        print(f"line {line}: {issue.path or '(record)'} [{issue.rule}] {issue.message}")

folder = tempfile.mkdtemp()
database = sys.argv[1] if len(sys.argv) > 1 else os.path.join(folder, "lake.duckdb")
with lakeorm.connect(f"duckdb://{os.path.abspath(database)}") as lake:
    lake.migrate(schema)                                 # CREATE TABLE IF NOT EXISTS
    result = lake.insert(schema, good)                   # validated, all or nothing, one ingest id
    print(f"inserted {result.rows} rows ({result.path}), ingest id {result.ingest_id}")
    for user in lake.query(schema, "SELECT * FROM users WHERE age > ? ORDER BY email", [30]):
        print(f"{user['email']} age {user['age']} balance {user['balance']} since {user['created_at'].isoformat()}")
    for user in lake.stream(schema, "SELECT * FROM users ORDER BY email"):
        print(f"{user['email']} lives in {user['address']['city']}")
