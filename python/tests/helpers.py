# SPDX-License-Identifier: MIT
"""Helpers the test files share (conftest.py holds the fixtures)."""
import json

import lakeorm


def schema_of(table, *fields):
    """A Schema from (tag, type[, rules[, members]]) tuples."""
    def field(f):
        d = {"tag": f[0], "type": f[1]}
        if len(f) > 2 and f[2]:
            d["rules"] = f[2]
        if len(f) > 3:
            d["fields"] = [field(m) for m in f[3]]
        return d
    return lakeorm.Schema(json.dumps({"version": 1, "table": table, "fields": [field(f) for f in fields]}))
