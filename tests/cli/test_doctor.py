# SPDX-License-Identifier: MIT
"""lakeorm doctor against real setups: an embedded DuckDB with file staging,
Delta and Iceberg warehouses (SQLite and REST catalogs), the suite's MinIO
(LAKE_TEST_S3_ENDPOINT, the `minio` fixture) and fake GCS with good and wrong
credentials and a missing bucket, an untrusted TLS certificate, a staging
folder that cannot be made, and a Spark Connect address nothing listens on.
With LAKE_TEST_SPARK_PORT (the `spark` fixture) it runs the remote cases
instead: Spark Connect (Iceberg, Delta) and the Databricks fake over it.
Each case checks the exit status, the table's verdicts and that --json says
the same.

Usage: test_doctor.py LAKEORM_BINARY. Standard library only.
"""
import http.server
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time

from clitest import case, finish, run

LOCAL, REMOTE = [], []


def local(fn):
    LOCAL.append(fn)
    return fn


def remote(fn):
    REMOTE.append(fn)
    return fn


S3 = os.environ.get("LAKE_TEST_S3_ENDPOINT", "")
GCS = os.environ.get("LAKE_TEST_GCS_ENDPOINT", "")
S3_ENV = {"AWS_ACCESS_KEY_ID": "lakeorm", "AWS_SECRET_ACCESS_KEY": "lakeorm-secret", "AWS_REGION": "us-east-1"}
ROW = re.compile(r"^(pass|warn|fail|skip)\s+(\S+)\s+(.*)$")


def table(out):
    """{check: (status, detail, fix or None)} from the plain table."""
    lines = out.splitlines()
    assert lines[0].split() == ["STATUS", "CHECK", "DETAIL"], lines[0]
    rows, last = {}, None
    for line in lines[1:-1]:
        m = ROW.match(line)
        if m:
            last = m.group(2)
            rows[last] = (m.group(1), m.group(3), None)
        else:
            assert line.strip().startswith("fix: ") and last, line
            rows[last] = rows[last][:2] + (line.strip()[5:],)
    assert re.match(r"^\d+ passed, \d+ warned, \d+ failed, \d+ skipped$", lines[-1]), lines[-1]
    return rows


def doctor(*args, env=None):
    """Runs doctor twice, as a table and as --json: (status, table rows, JSON
    document), having checked that both say the same of every check."""
    code, out, err = run("doctor", *args, env=env)
    rows = table(out)
    jcode, jout, jerr = run("doctor", "--json", *args, env=env)
    doc = json.loads(jout)
    assert jcode == code, (code, jcode, err, jerr)
    assert doc["ok"] == (code == 0), doc
    verdicts = {c["check"]: c["status"] for c in doc["checks"]}
    assert verdicts == {k: v[0] for k, v in rows.items()}, (verdicts, rows)
    for c in doc["checks"]:  # every failure says what to do; a pass or a skip has nothing to fix
        assert (c["fix"] is not None) if c["status"] == "fail" else c["status"] == "warn" or c["fix"] is None, c
    return code, rows, doc


class _Answer200(http.server.BaseHTTPRequestHandler):
    """An HTTPS server that answers every request 200, empty: enough to finish a TLS handshake and a request."""

    def _ok(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_GET = do_HEAD = do_DELETE = do_POST = _ok

    def log_message(self, *args):
        pass


def tls_server(d):
    """A loopback HTTPS server with a fresh self-signed certificate (scripts/setup installs openssl)."""
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer200)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def secret_free(rows, secret):
    return all(secret not in " ".join(str(x) for x in v) for v in rows.values())


def failed(rows):
    return sorted(k for k, v in rows.items() if v[0] == "fail")


def passes(rows, *checks):
    for c in checks:
        assert rows.get(c, ("missing",))[0] == "pass", (c, rows.get(c))


@local
def duckdb_and_file_staging_pass(d):
    db, stage = os.path.join(d, "lake.duckdb"), os.path.join(d, "stage")
    code, rows, doc = doctor("--db", db, "--staging", stage)
    assert code == 0 and not failed(rows), rows
    passes(rows, "version.lakeorm", "version.duckdb", "version.libcurl", "version.OpenSSL", "version.zstd",
           "path.database", "path.staging", "engine.reachable", "engine.version", "engine.scratch",
           "staging.put", "staging.get", "staging.list", "staging.delete")
    assert rows["engine.version"][1].startswith("duckdb v"), rows["engine.version"]
    # The scratch table is gone, and so is the probe object.
    code, out, err = run("query", "--db", db, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'lakeorm_doctor_%'")
    assert code == 0 and json.loads(out)["n"] == 0, (out, err)
    assert not os.path.exists(os.path.join(stage, "_lakeorm_doctor")) or not os.listdir(os.path.join(stage, "_lakeorm_doctor"))


@local
def no_database_checks_an_in_memory_one(d):
    code, rows, _ = doctor()
    assert code == 0 and rows["engine.reachable"][0] == "pass", rows


@local
def delta_warehouse_passes_and_keeps_nothing(d):
    wh = os.path.join(d, "delta")
    code, rows, _ = doctor("--dialect", "delta", "--warehouse", wh)
    assert code == 0 and not failed(rows), rows
    passes(rows, "path.warehouse", "engine.scratch", "warehouse.put", "warehouse.get", "warehouse.list", "warehouse.delete")
    assert "in warehouse file://" in rows["engine.scratch"][1], rows["engine.scratch"]
    assert os.listdir(wh) == [], os.listdir(wh)


@local
def iceberg_warehouse_and_catalog_pass(d):
    wh = os.path.join(d, "ice")
    code, rows, _ = doctor("--dialect", "iceberg", "--warehouse", wh)
    assert code == 0 and not failed(rows), rows
    passes(rows, "engine.scratch", "catalog.namespaces", "catalog.tables", "warehouse.put", "warehouse.delete")
    assert rows["catalog.namespaces"][1] == "0 namespaces", rows["catalog.namespaces"]  # a new catalog
    code, rows, _ = doctor("--dialect", "iceberg", "--warehouse", wh)  # the scratch table made the namespace
    assert code == 0 and rows["catalog.namespaces"][1] == "1 namespace: default", rows["catalog.namespaces"]
    assert sorted(os.listdir(wh)) == ["catalog.db"], os.listdir(wh)  # the table's folder went with it
    os.mkdir(os.path.join(d, "cat"))
    code, rows, _ = doctor("--dialect", "iceberg", "--warehouse", wh, "--catalog", os.path.join(d, "cat", "c.db"))
    assert code == 0 and rows["path.catalog"][0] == "pass" and rows["catalog.tables"][0] == "pass", rows


@local
def catalog_in_a_missing_folder_fails_with_mkdir(d):
    # SQLite makes the catalog file, not its folder.
    cat = os.path.join(d, "missing", "c.db")
    code, rows, _ = doctor("--dialect", "iceberg", "--warehouse", os.path.join(d, "wh"), "--catalog", cat)
    assert code == 1 and rows["path.catalog"][0] == "fail", rows
    assert rows["path.catalog"][2] == "create the folder first: mkdir -p " + os.path.join(d, "missing"), rows["path.catalog"]
    assert rows["engine.reachable"][0] == "fail" and "catalog.namespaces" not in rows, rows


@local
def iceberg_rest_catalog_passes_and_a_dead_one_fails(d):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "iceberg", "rest_server.sh")
    state = os.path.join(d, "rest")
    p = subprocess.run([script, "start", state], capture_output=True, text=True)
    if p.returncode != 0 and "scripts/setup" in p.stderr:
        print("     (no Iceberg REST server: run scripts/setup)")
        return
    assert p.returncode == 0, ("rest_server.sh start", p.stdout, p.stderr)
    port = p.stdout.strip().splitlines()[-1]
    try:
        args = ["--dialect", "iceberg", "--warehouse", os.path.join(state, "warehouse")]
        code, rows, _ = doctor(*args, "--catalog", f"rest+http://127.0.0.1:{port}/")
        assert code == 0 and not failed(rows), rows
        passes(rows, "catalog.namespaces", "catalog.tables", "engine.scratch")
    finally:
        subprocess.run([script, "stop", state])
    code, rows, _ = doctor(*args, "--catalog", f"rest+http://127.0.0.1:{port}/", "--timeout", "20")
    assert code == 1 and rows["engine.reachable"][0] == "fail" and rows["engine.reachable"][2], rows


@local
def a_profile_is_checked_as_its_flags_would_be(d):
    # ./lakeorm.toml's default profile: its database, and its staging folder, which cannot be made.
    blocker = os.path.join(d, "afile")
    open(blocker, "w").close()
    with open(os.path.join(d, "lakeorm.toml"), "w") as f:
        f.write('default_profile = "dev"\n'
                f'[profiles.dev]\nurl = "duckdb://{d}/lake.duckdb"\nstaging = "file://{d}/stage"\n'
                f'[profiles.broken]\nurl = "duckdb://{d}/lake.duckdb"\nstaging = "file://{blocker}/stage"\n')
    code, out, err = run("doctor", cwd=d)
    assert code == 0, (out, err)
    rows = table(out)
    passes(rows, "path.staging", "engine.reachable", "engine.scratch", "staging.put", "staging.delete")
    assert d + "/lake.duckdb" in rows["engine.reachable"][1], rows["engine.reachable"]
    code, rows, _ = doctor("--profile", "broken", env={"LAKEORM_CONFIG": os.path.join(d, "lakeorm.toml")})
    assert code == 1 and rows["path.staging"][0] == "fail" and blocker in rows["path.staging"][2], rows
    code, out, err = run("doctor", "--profile", "nosuch", cwd=d)
    assert code == 2 and "dev" in err and "broken" in err, (code, err)


@local
def staging_that_cannot_be_made_fails_with_a_fix(d):
    # Root may write anywhere, so the folder sits under a regular file: no one can make it.
    blocker = os.path.join(d, "afile")
    open(blocker, "w").close()
    code, rows, _ = doctor("--db", ":memory:", "--staging", os.path.join(blocker, "stage"))
    assert code == 1, rows
    status, detail, fix = rows["path.staging"]
    assert status == "fail" and "not a folder" in detail and blocker in fix, rows["path.staging"]
    if os.geteuid() != 0:  # a folder without write permission, as a user meets it
        ro = os.path.join(d, "ro")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        code, rows, _ = doctor("--db", ":memory:", "--staging", os.path.join(ro, "stage"))
        assert code == 1 and rows["path.staging"][0] == "fail" and "chmod" in rows["path.staging"][2], rows


@local
def unreachable_engine_fails_within_the_timeout(d):
    with socket.socket() as s:  # a port nothing listens on: bound, then closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    code, out, err = run("doctor", "--url", f"sc://127.0.0.1:{port}", "--timeout", "2")
    took = time.monotonic() - started
    rows = table(out)
    assert code == 1 and rows["engine.reachable"][0] == "fail" and rows["engine.reachable"][2], (rows, err)
    assert took < 15, took
    code, out, err = run("doctor", "--json", "--url", f"sc://127.0.0.1:{port}", "--timeout", "2")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False, doc
    assert [c["status"] for c in doc["checks"] if c["check"] == "engine.reachable"] == ["fail"], doc


@local
def usage_errors_exit_2(d):
    for args in (["--timeout", "0"], ["--timeout", "soon"], ["--bogus"], ["--url", "duckdb://:memory:", "--db", "x"]):
        code, out, err = run("doctor", *args)
        assert code == 2 and out == "" and err, (args, code, out, err)


@local
def untrusted_tls_fails_with_the_verify_result_and_insecure_warns(d):
    srv = tls_server(d)
    try:
        endpoint = f"https://127.0.0.1:{srv.server_address[1]}"
        code, rows, _ = doctor("--staging", f"s3://lake/x?endpoint={endpoint}&region=us-east-1", env=S3_ENV)
        assert code == 1, rows
        status, detail, fix = rows["staging.tls"]
        assert status == "fail" and "verify result 18: self-signed certificate" in detail and "CA bundle" in detail, detail
        assert "install the issuing CA" in fix, fix
        assert rows["staging.put"][0] == "fail" and ".tls" in rows["staging.put"][2], rows["staging.put"]
        code, rows, _ = doctor("--staging", f"s3://lake/x?endpoint={endpoint}&region=us-east-1&insecure=1", env=S3_ENV)
        assert rows["staging.put"][0] == "pass" and rows["staging.tls"][0] == "warn", rows
        assert "insecure" in rows["staging.tls"][2], rows["staging.tls"]
    finally:
        srv.shutdown()


def s3_url(bucket):
    return f"s3://{bucket}/stage?endpoint={S3}&region=us-east-1"


@local
def s3_staging_passes_and_reports_the_clock(d):
    if not S3:
        print("     (no LAKE_TEST_S3_ENDPOINT: S3 cases skipped)")
        return
    code, rows, doc = doctor("--db", ":memory:", "--staging", s3_url("lake"), env=S3_ENV)
    assert code == 0 and not failed(rows), rows
    passes(rows, "staging.put", "staging.get", "staging.list", "staging.delete")
    # The skew itself cannot be faked here; it is reported as a number of seconds.
    assert rows["staging.clock"][0] in ("pass", "warn"), rows["staging.clock"]
    assert re.match(r"^skew [+-]\d+ s ", rows["staging.clock"][1]), rows["staging.clock"]
    assert rows["staging.tls"][0] == "skip" and "http://" in rows["staging.tls"][1], rows["staging.tls"]


@local
def s3_wrong_credentials_fail_with_the_keys_to_set(d):
    if not S3:
        return
    env = {**S3_ENV, "AWS_SECRET_ACCESS_KEY": "not-the-secret"}
    code, rows, _ = doctor("--db", ":memory:", "--staging", s3_url("lake"), env=env)
    assert code == 1 and "staging.put" in failed(rows), rows
    assert "AWS_ACCESS_KEY_ID" in rows["staging.put"][2], rows["staging.put"]
    assert rows["staging.get"][0] == "skip" and rows["staging.delete"][0] == "skip", rows
    assert secret_free(rows, "not-the-secret")
    # A refusal still carries the server's Date: the clock is reported all the same.
    assert re.match(r"^skew [+-]\d+ s ", rows["staging.clock"][1]), rows["staging.clock"]


@local
def s3_missing_bucket_fails_with_create_it(d):
    if not S3:
        return
    code, rows, _ = doctor("--db", ":memory:", "--staging", s3_url("no-such-bucket"), env=S3_ENV)
    assert code == 1 and failed(rows) == ["staging.put"], rows
    assert "NoSuchBucket" in rows["staging.put"][1], rows["staging.put"]
    assert rows["staging.put"][2].startswith("create the bucket no-such-bucket"), rows["staging.put"]


@local
def gcs_staging_passes_and_reports_the_clock(d):
    if not GCS:
        return
    code, rows, _ = doctor("--staging", f"gs://lake/doctor?endpoint={GCS}")
    assert code == 0 and not failed(rows), rows
    passes(rows, "staging.put", "staging.get", "staging.list", "staging.delete")
    # No SigV4 here: a skew only ever warns, and it is reported all the same.
    assert rows["staging.clock"][0] in ("pass", "warn") and "S3" not in rows["staging.clock"][1], rows["staging.clock"]
    assert re.match(r"^skew [+-]\d+ s", rows["staging.clock"][1]), rows["staging.clock"]
    code, rows, _ = doctor("--staging", f"gs://no-such-bucket/doctor?endpoint={GCS}")
    assert code == 1 and rows["staging.put"][0] == "fail", rows
    assert rows["staging.put"][2].startswith("create the bucket no-such-bucket"), rows["staging.put"]


@local
def s3_delta_warehouse_passes(d):
    if not S3:
        return
    wh = f"s3://lake/doctor-{os.getpid()}?endpoint={S3}&region=us-east-1"
    code, rows, _ = doctor("--dialect", "delta", "--warehouse", wh, env=S3_ENV)
    assert code == 0 and not failed(rows), rows
    passes(rows, "engine.scratch", "warehouse.put", "warehouse.list", "warehouse.delete")
    assert "warehouse.clock" in rows, rows



SPARK = os.environ.get("LAKE_TEST_SPARK_PORT", "")
SPARK_URL = f"sc://127.0.0.1:{SPARK}"


@remote
def spark_iceberg_and_delta_pass(d):
    for dialect, schema in (("iceberg", f"lake.doctor_{os.getpid()}"), ("delta", f"doctor_{os.getpid()}")):
        code, rows, _ = doctor("--url", f"{SPARK_URL}?dialect={dialect}&schema={schema}", "--timeout", "120")
        assert code == 0 and not failed(rows), rows
        passes(rows, "engine.reachable", "engine.version", "engine.scratch", "staging.put", "staging.delete")
        assert re.match(r"^spark \d+\.\d+", rows["engine.version"][1]), rows["engine.version"]
        code, out, err = run("query", "--url", f"{SPARK_URL}?dialect={dialect}", f"SHOW TABLES IN {schema}")
        assert code == 0 and "lakeorm_doctor_" not in out, (out, err)  # the scratch table went
        run("query", "--url", f"{SPARK_URL}?dialect={dialect}", f"DROP NAMESPACE IF EXISTS {schema}")


@remote
def databricks_fake_passes_and_a_wrong_token_fails(d):
    port_file = os.path.join(d, "databricks.port")
    here = os.path.dirname(os.path.abspath(__file__))
    server = subprocess.Popen([sys.executable, os.path.join(here, "..", "databricks", "server.py"), "--spark", SPARK_URL,
                               "--port-file", port_file, "--warehouse", "wh-test", "--pat", "dapi-doctor"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # it connects to Spark first
            if os.path.exists(port_file) or server.poll() is not None:
                break
            time.sleep(0.1)
        assert os.path.exists(port_file), "the Databricks fake did not start"
        with open(port_file) as f:
            url = f"http://127.0.0.1:{int(f.read().strip())}/sql/1.0/warehouses/wh-test?schema=doctor_{os.getpid()}"
        code, rows, _ = doctor("--url", url, "--timeout", "120", env={"DATABRICKS_TOKEN": "dapi-doctor"})
        assert code == 0 and not failed(rows), rows
        assert rows["engine.version"][1].startswith("databricks "), rows["engine.version"]
        code, rows, _ = doctor("--url", url, "--timeout", "120", env={"DATABRICKS_TOKEN": "not-the-token"})
        assert code == 1 and failed(rows) == ["engine.reachable"], rows
        assert "DATABRICKS_TOKEN" in rows["engine.reachable"][2] and secret_free(rows, "not-the-token"), rows
    finally:
        server.terminate()
        server.wait()


if SPARK:
    if os.path.exists(os.path.join(os.environ.get("LAKE_TEST_SPARK_STATE", ""), "skipped")):
        print("no Spark server (see spark.server.start): skipped")
        sys.exit(77)
    for fn in REMOTE:
        case(fn)
else:
    for fn in LOCAL:
        case(fn)
finish()
