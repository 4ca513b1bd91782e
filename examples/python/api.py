# SPDX-License-Identifier: MIT
"""An HTTP-style handler: a request body is validated at the boundary; a bad
one becomes a 400 whose body lists every failing field (pydantic-style), a
good one is written once, keyed by the request's idempotency key so a
retried request is not written twice.

    python examples/python/api.py
"""
import json
import os
import tempfile

import lakeorm

HERE = os.path.dirname(os.path.abspath(__file__))
schema = lakeorm.Schema.load(os.path.join(HERE, "..", "users.schema.json"))


def handle(lake, body: bytes, idempotency_key: str):
    """Returns (status, response body) for a POST /users."""
    try:
        record = json.loads(body)
        result = lake.insert(schema, [record], idempotency_key=idempotency_key)
    except json.JSONDecodeError as e:
        return 400, {"errors": [{"path": "", "rule": "syntax", "message": str(e)}]}
    except lakeorm.ValidationError as e:
        return 400, {"errors": [{"path": i.path, "rule": i.rule, "param": i.param, "message": i.message}
                                for i in e.issues]}
    except lakeorm.KeyReusedError as e:
        return 422, {"error": e.message}
    except lakeorm.ConflictError:
        return 409, {"error": "a concurrent request holds this key; retry"}
    return (200 if result.replayed else 201), {"ingest_id": str(result.ingest_id), "replayed": result.replayed}


GOOD = (b'{"id":"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f","email":"ann@example.com","name":"Ann","age":31,'
        b'"country":"UK","balance":"1250.00","created_at":"2024-03-05T12:34:56Z","address":{"city":"London"}}')
BAD = (b'{"id":"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e70","email":"bob@example","name":"","age":230,'
       b'"country":"XX","balance":"10.5","created_at":"2024-03-05T12:35:00Z","address":{"city":"Boston","zip":1}}')

with lakeorm.connect(f"duckdb://{os.path.join(tempfile.mkdtemp(), 'api.duckdb')}") as lake:
    lake.migrate(schema)
    for name, body, key in [("bad", BAD, "req-1"), ("good", GOOD, "req-2"), ("retry", GOOD, "req-2"),
                            ("reused key", GOOD.replace(b"ann@", b"amy@"), "req-2")]:
        status, response = handle(lake, body, key)
        print(f"{name}: HTTP {status} {json.dumps(response, sort_keys=True)}")
