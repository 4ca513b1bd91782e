# SPDX-License-Identifier: MIT
"""Storage credentials a REST catalog vends, through the CLI: an s3://
warehouse on the suite's MinIO, whose keys lakeorm is NOT given (the
environment holds wrong ones), behind Iceberg's own RESTCatalogServer
(tests/iceberg/rest_server.sh; its metadata files kept in its memory by
InMemoryFileIO, as it cannot write to S3 without the AWS jars, so every file
in MinIO is one lakeorm wrote) and a proxy that adds MinIO's keys to table
answers (rest_proxy.py). Three runs:

- config: the keys in the LoadTableResult's "config"; the endpoint comes
  from the warehouse URL;
- storage-credentials: wrong keys in "config" and for the bucket's prefix,
  MinIO's for the longer table prefix, with the endpoint, which the warehouse
  URL lacks (so the client's own would reach AWS);
- none: the proxy vends nothing, and writing data fails with S3's refusal.

migrate, ingest (direct and staged), a merge, query and vacuum work with the
vended keys; pyiceberg's RestCatalog, given no keys either, reads the table
back through the same proxy; no output holds the secret.

Usage: vended_credentials.py LAKEORM S3_ENDPOINT (the project's .venv Python).
Exit 77 (skipped) without the REST server's jars (scripts/setup).
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from rest_proxy import VendingProxy  # noqa: E402

LAKEORM, S3 = sys.argv[1], sys.argv[2]
KEY, SECRET = "lakeorm", "lakeorm-secret"  # tests/s3/minio.sh's
# What lakeorm, and pyiceberg, find in the environment: keys MinIO refuses.
WRONG = {"AWS_ACCESS_KEY_ID": "wrong-key", "AWS_SECRET_ACCESS_KEY": "wrong-secret-value",
         "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_REGION": "us-east-1"}
for name in ("AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
    os.environ.pop(name, None)
os.environ.update(WRONG)

SCHEMA = {"version": 1, "table": "accounts", "fields": [
    {"tag": "id,mergeKey", "type": "int64"}, {"tag": "name", "type": "string"}, {"tag": "amount", "type": "int64"}]}


def accounts(ids, tag):
    return [{"id": i, "name": f"{tag}{i}", "amount": i * 10 + len(tag)} for i in ids]


class Lake:
    def __init__(self, folder, warehouse, proxy, table):
        self.warehouse, self.proxy, self.table, self.stderr = warehouse, proxy, table, []
        self.schema = os.path.join(folder, table + ".schema.json")
        with open(self.schema, "w") as f:
            json.dump({**SCHEMA, "table": table}, f)  # one catalog serves every run: a table each

    def run(self, *args, stdin=b""):
        p = subprocess.run([LAKEORM, *args, "--dialect", "iceberg", "--warehouse", self.warehouse, "--catalog",
                            "rest+" + self.proxy.url], input=stdin, capture_output=True,
                           env={**os.environ, "LAKEORM_LOG": "debug"})
        err = p.stderr.decode(errors="replace")
        self.stderr.append(err)
        return p.returncode, p.stdout.decode(errors="replace"), err

    def ingest(self, rows, *flags):
        code, out, err = self.run("ingest", "--schema", self.schema, "--json", *flags, "-",
                                  stdin="".join(json.dumps(r) + "\n" for r in rows).encode())
        summaries = [json.loads(x)["summary"] for x in out.splitlines() if x.startswith('{"summary"')]
        return code, summaries[-1] if summaries else None, err

    def rows(self):
        code, out, err = self.run("query", f"SELECT id, name, amount FROM {self.table} ORDER BY id")
        assert code == 0, ("query", err[-3000:])
        return [json.loads(x) for x in out.splitlines() if x.startswith("{")]


def works(folder, warehouse, proxy, table, pyiceberg_props):
    lake = Lake(folder, warehouse, proxy, table)
    code, _, err = lake.run("migrate", "create", "--schema", lake.schema)
    assert code == 0, ("migrate", err[-3000:])
    code, s, err = lake.ingest(accounts(range(30), "a"), "--path", "direct")
    assert code == 0 and s["inserted"] == 30, ("direct ingest", s, err[-3000:])
    code, s, err = lake.ingest(accounts(range(30, 40), "s"), "--path", "staged")
    assert code == 0 and s["inserted"] == 10, ("staged ingest", s, err[-3000:])
    code, s, err = lake.ingest(accounts(range(20, 50), "bb"))  # a merge: files rewritten
    assert code == 0 and (s["inserted"], s["updated"]) == (10, 20), ("merge", s, err[-3000:])
    want = sorted({**{r["id"]: r for r in accounts(range(30), "a") + accounts(range(30, 40), "s")},
                   **{r["id"]: r for r in accounts(range(20, 50), "bb")}}.values(), key=lambda r: r["id"])
    assert lake.rows() == want, lake.rows()[:5]
    code, out, err = lake.run("vacuum", "--table", table, "--retain", "0s", "--delete", "--json")
    assert code == 0, ("vacuum", err[-3000:])
    gone = [json.loads(x) for x in out.splitlines() if '"file"' in x]
    assert any("/data/" in g["file"] for g in gone), ("vacuum deleted no replaced data file", out[-2000:])
    assert lake.rows() == want, "rows changed by vacuum"

    from pyiceberg.catalog.rest import RestCatalog
    table = RestCatalog("vended", uri=proxy.url, **pyiceberg_props).load_table("default." + table)
    got = sorted(table.scan().to_arrow().select(["id", "name", "amount"]).to_pylist(), key=lambda r: r["id"])
    assert got == want, ("pyiceberg", got[:5])

    assert proxy.asked and proxy.vended, ("lakeorm never asked for credentials", proxy.asked, proxy.vended)
    logs = "".join(lake.stderr)
    assert '"iceberg.vended_credentials"' in logs, "no debug log of the vended credentials"
    assert SECRET not in logs, "the vended secret reached the output"
    assert "wrong-secret-value" not in logs, "the client's secret reached the output"


def through_config(folder, rest):
    proxy = VendingProxy(rest, config={"s3.access-key-id": KEY, "s3.secret-access-key": SECRET,
                                       "client.region": "us-east-1"})
    try:
        works(folder, f"s3://lake/vended-config?endpoint={S3}&region=us-east-1", proxy, "by_config", {"s3.endpoint": S3})
    finally:
        proxy.close()


def through_storage_credentials(folder, rest):
    wrong = {"s3.access-key-id": "wrong-key", "s3.secret-access-key": "wrong-secret-value"}
    proxy = VendingProxy(rest, config=wrong, credentials=[
        {"prefix": "s3://lake/", "config": wrong},
        {"prefix": "s3://lake/vended-prefix/default/by_prefix",
         "config": {"s3.access-key-id": KEY, "s3.secret-access-key": SECRET, "s3.endpoint": S3,
                    "s3.region": "us-east-1", "s3.path-style-access": "true"}}])
    try:
        works(folder, "s3://lake/vended-prefix", proxy, "by_prefix", {})
    finally:
        proxy.close()


def without_vending(folder, rest):
    proxy = VendingProxy(rest)
    try:
        lake = Lake(folder, f"s3://lake/not-vended?endpoint={S3}&region=us-east-1", proxy, "not_vended")
        code, _, err = lake.run("migrate", "create", "--schema", lake.schema)
        assert code == 0, ("migrate (the catalog writes the metadata)", err[-3000:])
        code, _, err = lake.ingest(accounts(range(5), "a"), "--path", "direct")
        assert code != 0, "an ingest with the client's wrong keys succeeded: the test cannot tell vended keys apart"
        assert "403" in err and ("InvalidAccessKeyId" in err or "AccessDenied" in err), err[-3000:]
        assert proxy.asked and not proxy.vended, (proxy.asked, proxy.vended)
        assert "wrong-secret-value" not in err
    finally:
        proxy.close()


def main():
    if not glob.glob(os.path.join(HERE, "..", "..", ".cache", "iceberg-rest", "jars", "iceberg-open-api-*.jar")):
        print("skipped: no Iceberg REST server jars (scripts/setup)")
        return 77
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        state = os.path.join(d, "rest")
        script = os.path.join(HERE, "rest_server.sh")
        env = {**os.environ, "CATALOG_IO__IMPL": "org.apache.iceberg.inmemory.InMemoryFileIO"}
        p = subprocess.run([script, "start", state], capture_output=True, text=True, env=env)
        if p.returncode:
            print("rest_server.sh start failed:", p.stdout, p.stderr)
            return 1
        rest = "http://127.0.0.1:" + p.stdout.strip().splitlines()[-1]
        try:
            for case in (through_config, through_storage_credentials, without_vending):
                folder = os.path.join(d, case.__name__)
                os.makedirs(folder)
                try:
                    case(folder, rest)
                    print("ok  ", case.__name__)
                except AssertionError as e:
                    failed += 1
                    print("FAIL", case.__name__, e)
        finally:
            subprocess.run([script, "stop", state])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
