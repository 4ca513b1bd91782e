#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of tests/databricks/server.py against a running Spark Connect server (stdlib + pyarrow only).

  .venv/bin/python tests/databricks/selftest.py [--spark sc://127.0.0.1:15992]

Starts the fake with a small --chunk-rows and short --token-ttl, exercises every endpoint, and drops the
schema it created (spark_catalog.fake_selftest_<pid>) at the end. Exit status 0 = all checks passed.
"""
import argparse, base64, json, os, subprocess, sys, tempfile, time, urllib.error, urllib.request

import pyarrow as pa

HERE = os.path.dirname(os.path.abspath(__file__))
PAT, CID, SECRET, WH = "dapi-selftest", "sp-client", "sp-secret", "wh-selftest"
TOKEN_TTL, CHUNK_ROWS = 3, 5
SCHEMA = f"fake_selftest_{os.getpid()}"
SLEEP_SQL = "SELECT reflect('java.lang.Thread', 'sleep', CAST({ms} AS BIGINT)) AS slept"
# four tasks sleeping in parallel: if the cancel did not reach Spark, they would hold every core
PARALLEL_SLEEP_SQL = ("SELECT max(r) AS slept FROM (SELECT reflect('java.lang.Thread', 'sleep', "
                      "CAST(30000 + id * 0 AS BIGINT)) AS r FROM range(0, 4, 1, 4))")
failures, T0 = [], time.time()
base = None


def check(cond, what):
    print(f"{time.time() - T0:6.1f} " + ("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def http(method, url, body=None, headers=None, token=PAT):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if isinstance(body, (dict, list)):
        body, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(url if url.startswith("http") else base + url, data=body, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
    return status, (json.loads(data) if ctype.startswith("application/json") else data)


def execute(statement, token=PAT, **fields):
    body = {"statement": statement, "warehouse_id": WH, **fields}
    return http("POST", "/api/2.0/sql/statements", body, token=token)


def run_ok(statement, **fields):
    status, r = execute(statement, wait_timeout="50s", **fields)
    ok = status == 200 and r["status"]["state"] == "SUCCEEDED"
    check(ok, f"SUCCEEDED: {statement[:70]}" + ("" if ok else f" -> {status} {r}"))
    return r


def wait_state(sid, states, timeout=60):
    deadline = time.time() + timeout
    while True:
        status, r = http("GET", f"/api/2.0/sql/statements/{sid}")
        if r["status"]["state"] in states or time.time() > deadline:
            return r
        time.sleep(0.25)


def read_arrow_result(resp):
    """Walk every chunk of an EXTERNAL_LINKS + ARROW_STREAM result through next_chunk_index and links."""
    tables, link, fetched = [], resp["result"]["external_links"][0], 0
    while True:
        status, data = http("GET", link["external_link"], token=None)  # pre-signed: no Authorization
        check(status == 200 and len(data) == link["byte_count"], f"chunk {link['chunk_index']} link fetched")
        t = pa.ipc.open_stream(data).read_all()
        check(t.num_rows == link["row_count"], f"chunk {link['chunk_index']} is an Arrow stream of "
                                               f"{link['row_count']} rows")
        tables.append(t)
        fetched += 1
        if "next_chunk_index" not in link:
            return pa.concat_tables(tables), fetched
        nxt = link["next_chunk_internal_link"]
        check(nxt.endswith(f"/result/chunks/{link['next_chunk_index']}"), "next_chunk_internal_link agrees")
        status, chunk = http("GET", nxt)
        link = chunk["external_links"][0]


def main():
    global base
    ap = argparse.ArgumentParser()
    ap.add_argument("--spark", default="sc://127.0.0.1:15992")
    spark_url = ap.parse_args().spark
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="fake-dbx-")
    port_file = os.path.join(tmp, "port")
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--spark", spark_url,
                             "--port-file", port_file, "--warehouse", WH, "--pat", PAT, "--client-id", CID,
                             "--client-secret", SECRET, "--token-ttl", str(TOKEN_TTL),
                             "--chunk-rows", str(CHUNK_ROWS), "--link-ttl", "600"])
    try:
        while not os.path.exists(port_file):
            if proc.poll() is not None or time.time() - t0 > 60:
                raise SystemExit("server.py did not start")
            time.sleep(0.1)
        base = f"http://127.0.0.1:{open(port_file).read().strip()}"
        tests(spark_url)
    finally:
        try:
            execute(f"DROP SCHEMA IF EXISTS spark_catalog.{SCHEMA} CASCADE", wait_timeout="50s")
        except Exception as e:
            print("cleanup failed:", e)
        proc.terminate()
        try:
            check(proc.wait(timeout=15) == 0, "server exits cleanly on SIGTERM")
        except subprocess.TimeoutExpired:
            proc.kill()
            check(False, "server exits cleanly on SIGTERM")
    print(f"{'PASSED' if not failures else 'FAILED'} in {time.time() - t0:.1f}s"
          + ("" if not failures else f": {len(failures)} failure(s)"))
    sys.exit(1 if failures else 0)


def tests(spark_url):
    # --- request validation and authentication ---
    status, r = execute("SELECT 1", format="ARROW_STREAM")
    check(status == 400 and r["message"] == "The format field must be JSON_ARRAY when the disposition field "
          "is INLINE", "INLINE + ARROW_STREAM refused")
    status, r = execute("SELECT 1", wait_timout="10s")
    check(status == 400 and "wait_timout" in r["message"], "unknown field refused, named")
    status, r = execute("SELECT 1", wait_timeout="3s")
    check(status == 400 and r["error_code"] == "INVALID_PARAMETER_VALUE", "wait_timeout 3s refused")
    status, r = http("POST", "/api/2.0/sql/statements", b"{not json")
    check(status == 400 and r["error_code"] == "MALFORMED_REQUEST", "malformed JSON refused")
    status, r = http("POST", "/api/2.0/sql/statements", {"statement": "SELECT 1", "warehouse_id": "nope"})
    check(status == 404 and r["error_code"] == "RESOURCE_DOES_NOT_EXIST", "unknown warehouse is 404")
    status, r = execute("SELECT 1", wait_timeout="10s")
    check(status == 200 and r["result"]["data_array"] == [["1"]], "PAT works")
    for token in ("wrong-token", None):
        status, r = execute("SELECT 1", token=token)
        check(status == 401 and r["error_code"] == "UNAUTHENTICATED", f"token {token!r} is 401")

    # --- OAuth M2M ---
    form = b"grant_type=client_credentials&scope=all-apis"
    basic = lambda s: {"Authorization": "Basic " + base64.b64encode(f"{CID}:{s}".encode()).decode(),
                       "Content-Type": "application/x-www-form-urlencoded"}
    status, r = http("POST", "/oidc/v1/token", form, basic("wrong"), token=None)
    check(status == 401 and r["error"] == "invalid_client", "OAuth bad secret is 401 invalid_client")
    status, r = http("POST", "/oidc/v1/token", b"grant_type=password", basic(SECRET), token=None)
    check(status == 400 and r["error"] == "unsupported_grant_type", "OAuth wrong grant_type is 400")
    status, r = http("POST", "/oidc/v1/token", form, basic(SECRET), token=None)
    check(status == 200 and r["token_type"] == "Bearer" and r["expires_in"] == TOKEN_TTL, "OAuth token issued")
    oauth = r["access_token"]
    status, r = execute("SELECT 2", token=oauth)
    check(status == 200 and r["result"]["data_array"] == [["2"]], "OAuth token accepted")
    time.sleep(TOKEN_TTL + 0.5)
    status, r = execute("SELECT 3", token=oauth)
    check(status == 401 and "expired" in r["message"], "expired OAuth token refused")

    # --- DDL/DML with typed named parameters, catalog/schema fields ---
    run_ok(f"CREATE SCHEMA IF NOT EXISTS spark_catalog.{SCHEMA}")
    ctx = {"catalog": "spark_catalog", "schema": SCHEMA}
    run_ok("CREATE TABLE t (id INT, name STRING, amount DECIMAL(18,2), ts TIMESTAMP, d DATE, ok BOOLEAN, "
           "score DOUBLE) USING delta", **ctx)
    run_ok("INSERT INTO t SELECT CAST(id AS INT), concat('n', id), CAST(id AS DECIMAL(18,2)) / 4, "
           "TIMESTAMP'2024-01-02 03:04:05' + make_interval(0, 0, 0, 0, 0, 0, id), DATE'2024-01-01', "
           "id % 2 = 0, id * 1.5 FROM range(10)", **ctx)
    params = [{"name": "id", "value": "100", "type": "INT"}, {"name": "name", "value": "O'Brien; --"},
              {"name": "amount", "value": "12.5", "type": "DECIMAL(18,2)"},
              {"name": "ts", "value": "2024-01-02T03:04:05.123Z", "type": "TIMESTAMP"},
              {"name": "d", "value": "2024-02-29", "type": "DATE"}, {"name": "ok", "value": "true", "type": "BOOLEAN"},
              {"name": "score", "value": "NaN", "type": "DOUBLE"}]
    insert = "INSERT INTO t VALUES (:id, :name, :amount, :ts, :d, :ok, :score)"
    run_ok(insert, parameters=params, **ctx)
    nulls = [{"name": "id", "value": "101", "type": "INT"}, {"name": "name", "value": None},
             {"name": "amount", "type": "DECIMAL(18,2)"}, {"name": "ts", "value": None, "type": "TIMESTAMP"},
             {"name": "d", "type": "DATE"}, {"name": "ok", "type": "BOOLEAN"}, {"name": "score", "type": "DOUBLE"}]
    run_ok(insert, parameters=nulls, **ctx)
    r = run_ok("SELECT typeof(:a), typeof(:b), :a IS NULL AND :b IS NULL",
               parameters=[{"name": "a", "type": "INT"}, {"name": "b", "type": "DECIMAL(18,2)"}])
    check(r["result"]["data_array"] == [["int", "decimal(18,2)", "true"]], "NULL INT/DECIMAL params are typed")
    status, r = execute("SELECT :x", parameters=[{"name": "x", "value": "abc", "type": "INT"}])
    check(status == 400 and r["error_code"] == "INVALID_PARAMETER_VALUE", "bad INT parameter value refused")

    # --- DESCRIBE TABLE EXTENDED ... AS JSON, for a Delta table too ---
    run_ok("CREATE TABLE req (id INT NOT NULL, note STRING) USING delta", **ctx)
    r = run_ok("DESCRIBE TABLE EXTENDED `req` AS JSON", **ctx)
    doc = json.loads(r["result"]["data_array"][0][0])
    check([(c["name"], c["nullable"]) for c in doc["columns"]] == [("id", False), ("note", True)] and
          r["manifest"]["schema"]["columns"][0]["name"] == "json_metadata", "DESCRIBE AS JSON says what may be NULL")

    # --- JSON_ARRAY INLINE: every value a string, NULL = null, chunked ---
    r = run_ok("SELECT * FROM t WHERE id >= 100 ORDER BY id", **ctx)
    rows = r["result"]["data_array"]
    check(rows == [["100", "O'Brien; --", "12.50", "2024-01-02T03:04:05.123Z", "2024-02-29", "true", "NaN"],
                   ["101", None, None, None, None, None, None]], f"INLINE values are strings: {rows}")
    cols = r["manifest"]["schema"]["columns"]
    check([(c["type_name"], c["type_text"]) for c in cols][:3] == [("INT", "INT"), ("STRING", "STRING"),
          ("DECIMAL", "DECIMAL(18,2)")] and cols[2]["type_precision"] == 18 and cols[2]["type_scale"] == 2,
          "manifest column types")
    r = run_ok("SELECT id FROM t ORDER BY id", **ctx)
    m = r["manifest"]
    check(m["total_row_count"] == 12 and m["total_chunk_count"] == 3 and r["result"]["next_chunk_index"] == 1,
          "INLINE result split in chunks of --chunk-rows")
    status, c2 = http("GET", f"/api/2.0/sql/statements/{r['statement_id']}/result/chunks/2")
    check(status == 200 and c2["data_array"] == [["100"], ["101"]] and "next_chunk_index" not in c2,
          "INLINE chunk 2 by index")
    status, _ = http("GET", f"/api/2.0/sql/statements/{r['statement_id']}/result/chunks/3")
    check(status == 400, "chunk index out of range is 400")
    r = run_ok("SELECT id FROM t ORDER BY id", row_limit=7, **ctx)
    check(r["manifest"]["total_row_count"] == 7 and r["manifest"]["truncated"] is True, "row_limit truncates")
    r = run_ok("SELECT * FROM t WHERE id < 0", **ctx)
    check(r["manifest"]["total_chunk_count"] == 0 and "result" not in r, "empty result: 0 chunks, no result")

    # --- EXTERNAL_LINKS + ARROW_STREAM ---
    r = run_ok("SELECT * FROM t ORDER BY id", disposition="EXTERNAL_LINKS", format="ARROW_STREAM", **ctx)
    table, fetched = read_arrow_result(r)
    check(fetched == 3 == r["manifest"]["total_chunk_count"] and table.num_rows == 12, "all 3 chunks read")
    check(table.column("id").to_pylist() == list(range(10)) + [100, 101] and
          str(table.column("amount").to_pylist()[-2]) == "12.50" and table.column("amount").to_pylist()[-1]
          is None and pa.types.is_decimal(table.schema.field("amount").type), "Arrow values and types")
    link = r["result"]["external_links"][0]
    status, data = http("GET", link["external_link"], headers={"Authorization": f"Bearer {PAT}"}, token=None)
    check(status == 400 and b"<Code>InvalidArgument</Code>" in data, "link with Authorization header is 400")
    http("POST", "/_test/expire_links", b"", token=None)
    status, data = http("GET", link["external_link"], token=None)
    check(status == 403 and b"Request has expired" in data, "expired link is 403")
    status, fresh = http("GET", f"/api/2.0/sql/statements/{r['statement_id']}/result/chunks/0")
    new = fresh["external_links"][0]
    status, data = http("GET", new["external_link"], token=None)
    check(new["external_link"] != link["external_link"] and status == 200 and
          pa.ipc.open_stream(data).read_all().num_rows == CHUNK_ROWS, "re-requested chunk has a fresh link")
    r = run_ok("SELECT id, name FROM t WHERE id < 3 ORDER BY id", disposition="EXTERNAL_LINKS", **ctx)
    status, data = http("GET", r["result"]["external_links"][0]["external_link"], token=None)
    check(data == [["0", "n0"], ["1", "n1"], ["2", "n2"]], "JSON_ARRAY + EXTERNAL_LINKS")

    # --- catalog/schema of one statement do not leak into the next ---
    seen = set()
    for i in range(12):
        r = run_ok("SELECT current_schema()", **(ctx if i % 2 else {}))
        seen.add((i % 2, r["result"]["data_array"][0][0]))
    check(seen == {(0, "default"), (1, SCHEMA)}, f"schema isolation between statements: {seen}")

    # --- failing statement ---
    status, r = execute("SELECT * FROM no_such_table_xyz", wait_timeout="30s", **ctx)
    st = r["status"]
    check(st["state"] == "FAILED" and st["error"]["error_code"] == "BAD_REQUEST" and
          "TABLE_OR_VIEW_NOT_FOUND" in st["error"]["message"] and st.get("sql_state") == "42P01",
          f"failing statement: {json.dumps(st)[:200]}")
    status, _ = http("GET", "/api/2.0/sql/statements/00000000-0000-0000-0000-000000000000")
    check(status == 404, "unknown statement id is 404")

    # --- slow statement, polled ---
    t = time.time()
    status, r = execute(SLEEP_SQL.format(ms=3000), wait_timeout="0s")
    check(status == 200 and r["status"]["state"] in ("PENDING", "RUNNING"), "wait_timeout=0s returns at once")
    status, _ = http("GET", f"/api/2.0/sql/statements/{r['statement_id']}/result/chunks/0")
    check(status == 400, "chunk of a running statement is 400")
    r = wait_state(r["statement_id"], ("SUCCEEDED", "FAILED", "CANCELED"))
    check(r["status"]["state"] == "SUCCEEDED" and time.time() - t >= 3, f"slow statement polled to SUCCEEDED "
          f"after {time.time() - t:.1f}s")

    # --- cancel, and on_wait_timeout=CANCEL ---
    status, r = execute(PARALLEL_SLEEP_SQL, wait_timeout="0s")
    sid = r["statement_id"]
    wait_state(sid, ("RUNNING",))
    time.sleep(1.5)
    t = time.time()
    status, body = http("POST", f"/api/2.0/sql/statements/{sid}/cancel")
    r = wait_state(sid, ("CANCELED", "SUCCEEDED", "FAILED"), timeout=10)
    check(status == 200 and body == {} and r["status"]["state"] == "CANCELED" and time.time() - t < 3,
          f"cancel -> CANCELED in {time.time() - t:.2f}s")
    t = time.time()
    run_ok("SELECT count(*) FROM range(0, 1000, 1, 4)")
    check(time.time() - t < 10, f"Spark cores free again after cancel ({time.time() - t:.2f}s)")
    status, body = http("POST", f"/api/2.0/sql/statements/{sid}/cancel")
    check(status == 200 and http("GET", f"/api/2.0/sql/statements/{sid}")[1]["status"]["state"] == "CANCELED",
          "cancel again is a no-op")
    t = time.time()
    status, r = execute(SLEEP_SQL.format(ms=20000), wait_timeout="5s", on_wait_timeout="CANCEL")
    check(r["status"]["state"] == "CANCELED" and 5 <= time.time() - t < 9, "on_wait_timeout=CANCEL")

    status, stats = http("GET", "/_test/stats", token=None)
    check(stats["tokens_issued"] == 1 and stats["polls"] >= 1 and stats["chunk_requests"] >= 4 and
          stats["link_fetches"] >= 4 and stats["links_refused_auth"] == 1 and stats["links_expired"] == 1 and
          stats["cancels"] == 2 and stats["canceled_statements"] == 2 and stats["unauthorized"] == 3 and
          stats["spark_operations_interrupted"] >= 2 and len(stats["last_statements"]) == min(50, stats["statements"]),
          f"stats: { {k: v for k, v in stats.items() if k != 'last_statements'} }")
    http("POST", "/_test/reset", b"", token=None)
    status, stats = http("GET", "/_test/stats", token=None)
    check(stats["statements"] == 0, "stats reset")


if __name__ == "__main__":
    main()
