# SPDX-License-Identifier: MIT
"""examples/python/*.py run as a user would run them (a fresh interpreter,
the installed package) and print what they promise."""
import subprocess
import sys

import pytest



def run(repo, tmp_path, name, *args):
    p = subprocess.run([sys.executable, str(repo / "examples" / "python" / name), *args], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout.splitlines()


def test_quickstart_rejects_three_lines_and_reads_the_rest_back(repo, tmp_path):
    out = run(repo, tmp_path, "quickstart.py", str(tmp_path / "q.duckdb"))
    assert out[:2] == ["line 2: /email [email] must be a valid email address", "line 2: /age [lte] must be at most 150"]
    assert "line 6: (record) [syntax] invalid JSON at byte 84: expected ',' or '}'" in out
    assert sum(l.startswith("line 4: ") for l in out) == 7
    assert any(l.startswith("inserted 3 rows (direct), ingest id ") for l in out)
    assert out[-4:] == ["ann@example.com age 31 balance 1250.00 since 2024-03-05T12:34:56+00:00",
                        "ann@example.com lives in London", "chloé@example.fr lives in Paris",
                        "eve@example.com lives in Stockholm"]
    assert (tmp_path / "q.duckdb").is_file()


def test_dataclass_example_builds_the_schema_and_reads_orders(repo, tmp_path):
    out = run(repo, tmp_path, "dataclass_schema.py")
    assert out == [
        "table orders: id uuid, customer string, placed_at timestamp, lines list<struct>, note string, "
        "attrs map<string,string>",
        "rejected: /customer [email] must be a valid email address",
        "rejected: /lines/0/sku [required] must be present and not empty",
        "rejected: /lines/0/qty [gte] must be at least 1",
        "inserted 2 orders",
        "ann@example.com: 1 line(s), total 19.98, note None, attrs {'via': 'web'}",
        "bob@example.com: 1 line(s), total 100.00, note gift, attrs {}",
    ]


def test_api_example_answers_400_201_200_and_422(repo, tmp_path):
    out = run(repo, tmp_path, "api.py")
    assert [l.split(" {")[0] for l in out] == ["bad: HTTP 400", "good: HTTP 201", "retry: HTTP 200",
                                               "reused key: HTTP 422"]
    assert '"path": "/address/zip", "rule": "unknown_key"' in out[0]
    assert out[1].split('"ingest_id": ')[1][:38] == out[2].split('"ingest_id": ')[1][:38]
    assert 'idempotency key \\"req-2\\" was used within its TTL by another request' in out[3]


def test_arrow_example_inserts_a_table_and_reads_arrow_back(repo, tmp_path):
    out = run(repo, tmp_path, "arrow.py")
    assert out == ["inserted 3 rows from a pyarrow table", "columns ['symbol', 'n', 'top']",
                   "ACME: 2 trade(s), top 12.7500", "INIT: 1 trade(s), top 7.2500"]
