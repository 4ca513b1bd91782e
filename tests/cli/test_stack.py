# SPDX-License-Identifier: MIT
"""lakeorm stack up|status|down (docs/cli.md, "A local stack"): MinIO, Iceberg's
REST catalog and Spark Connect started on free loopback ports in a temporary
folder, every one reported up; the profile it writes used by migrate, ingest
and query (Iceberg tables in the REST catalog, parts staged on MinIO), and
its DuckDB profile too; up twice starts nothing new; down leaves no process
and status then exits 1; a missing tool is named with its fix and nothing
starts; a terminal sees progress.

Usage: test_stack.py LAKEORM_BINARY EXAMPLES_DIR. Needs the tools
scripts/setup installs in the checkout the binary was built from; exits 77
(skipped) with no java, as the Spark suite does.
"""
import json
import os
import pty
import re
import shutil
import socket
import subprocess
import sys
import tomllib
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import LAKEORM, SAMPLE, SCHEMA, case, finish, run  # noqa: E402

if not shutil.which("java"):
    print("SKIPPING test_stack: no java on PATH (Spark and the REST catalog need Java 17)")
    sys.exit(77)


def free_base():
    """A port N with N..N+3 free on loopback (the stack takes four in a row)."""
    for base in range(21000 + os.getpid() % 4000, 29990, 7):
        socks = []
        try:
            for k in range(4):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", base + k))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError("no four free ports in a row")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/status") as f:  # a zombie has exited; its parent only has not reaped it
        return "\nState:\tZ" not in f.read()


def status(state):
    """{service: (up, pid)} from `lakeorm stack status`, and its exit code."""
    code, out, err = run("stack", "status", "--dir", state)
    got = {}
    for line in out.splitlines():
        m = re.match(r"(\w+)\s+(up|down)\s+pid (\S+)", line)
        assert m, (line, out, err)
        got[m.group(1)] = (m.group(2) == "up" and "health ok" in line, m.group(3))
    return code, got


def env_of(state):
    """The variables DIR/env exports: what `. DIR/env` sets."""
    env = {}
    with open(os.path.join(state, "env")) as f:
        for line in f:
            if line.startswith("export "):
                k, v = line[len("export "):].strip().split("=", 1)
                env[k] = v
    return env


@case
def up_status_use_up_again_down(d):
    state, base = os.path.join(d, "stack"), free_base()
    try:
        code, out, err = run("stack", "up", "--dir", state, "--port-base", str(base))
        assert code == 0, (code, out, err)
        for name, port in (("minio", base), ("spark", base + 2), ("rest", base + 3)):
            assert f"{name}" in out and f"127.0.0.1:{port}" in out, out
        code, services = status(state)
        assert code == 0 and set(services) == {"minio", "rest", "spark"}, services
        assert all(up for up, _ in services.values()), services
        pids = {name: int(pid) for name, (_, pid) in services.items()}

        # No secret in the profiles; the one place it is, only its owner reads.
        env = env_of(state)
        assert os.stat(os.path.join(state, "env")).st_mode & 0o777 == 0o600
        assert env["AWS_ENDPOINT_URL_S3"] == f"http://127.0.0.1:{base}", env
        with open(os.path.join(state, "lakeorm.toml"), "rb") as f:
            raw = f.read()
        assert env["AWS_SECRET_ACCESS_KEY"].encode() not in raw
        profiles = tomllib.loads(raw.decode())["profiles"]
        assert set(profiles) == {"local-spark", "local-duckdb"}, profiles

        # The Spark profile: an Iceberg table in the stack's REST catalog, parts staged on its MinIO.
        config = os.path.join(state, "lakeorm.toml")
        spark = profiles["local-spark"]["url"]
        assert spark.startswith(f"sc://127.0.0.1:{base + 2}?"), spark
        by_spark = ("--config", config, "--profile", "local-spark")
        code, out, err = run("migrate", "create", *by_spark, "--schema", SCHEMA, env=env)
        assert code == 0, (out, err)
        code, out, err = run("ingest", *by_spark, "--schema", SCHEMA, "--path", "staged", SAMPLE, env=env)
        assert code == 1 and "3 inserted into users" in err, (code, out, err)
        code, out, err = run("query", *by_spark, "SELECT count(*) AS n FROM users", env=env)
        assert code == 0 and json.loads(out) == {"n": 3}, (code, out, err)
        with urllib.request.urlopen(f"http://127.0.0.1:{base + 3}/v1/namespaces/local/tables") as r:
            tables = json.load(r)["identifiers"]
        assert {"namespace": ["local"], "name": "users"} in tables, tables
        # The DuckDB profile, staging on the same MinIO, picked through the environment as a user would.
        env_duck = dict(env, LAKEORM_CONFIG=config, LAKEORM_PROFILE="local-duckdb")
        code, out, err = run("ingest", "--schema", SCHEMA, "--path", "staged", SAMPLE, env=env_duck)
        assert code == 1 and "3 inserted into users" in err, (code, out, err)
        code, out, err = run("query", "SELECT count(*) AS n FROM users", env=env_duck)
        assert code == 0 and json.loads(out) == {"n": 3}, (code, out, err)
        # doctor agrees the whole stack works: both profiles pass every check.
        for profile in ("local-duckdb", "local-spark"):
            code, out, err = run("doctor", "--config", config, "--profile", profile, "--json", env=env)
            report = json.loads(out)
            assert code == 0 and report["ok"], (profile, code, out, err)
            assert any(c["check"].startswith("staging") and c["status"] == "pass" for c in report["checks"]), report

        # Up again: the same servers, nothing new started, the secret kept.
        code, out, err = run("stack", "up", "--dir", state, "--port-base", str(base))
        assert code == 0, (code, out, err)
        code, again = status(state)
        assert code == 0 and {n: int(p) for n, (_, p) in again.items()} == pids, (again, pids)
        assert env_of(state)["AWS_SECRET_ACCESS_KEY"] == env["AWS_SECRET_ACCESS_KEY"]
    finally:
        code, out, err = run("stack", "down", "--dir", state)
    assert code == 0 and out.count("stopped") == 3, (code, out, err)
    code, services = status(state)
    assert code == 1 and not any(up for up, _ in services.values()), services
    stray = [pid for pid in pids.values() if alive(pid)]
    assert not stray, stray
    for name in ("minio", "rest", "spark"):
        assert not os.path.exists(os.path.join(state, name, "service.pid")), name
    # Down again, and down where nothing ever ran: nothing to do.
    assert run("stack", "down", "--dir", state)[0] == 0
    assert run("stack", "down", "--dir", os.path.join(d, "never"))[0] == 0
    assert run("stack", "status", "--dir", os.path.join(d, "never"))[0] == 1


@case
def a_missing_tool_is_named_with_its_fix(d):
    tools, state = os.path.join(d, "tools"), os.path.join(d, "stack")
    os.mkdir(tools)
    code, out, err = run("stack", "up", "--dir", state, "--tools", tools, "--port-base", str(free_base()))
    assert code == 1, (code, out, err)
    assert f"missing for minio: the minio server at {tools}/.cache/bin/minio (run {tools}/scripts/setup)" in out, out
    assert "missing for spark: the Iceberg and Delta jars" in out and "missing for rest:" in out, out
    assert "nothing started" in err, err
    assert not any(os.path.exists(os.path.join(state, n)) for n in ("minio", "rest", "spark")), os.listdir(state)


@case
def usage_errors_exit_2(d):
    assert run("stack")[0] == 2
    assert run("stack", "sideways")[0] == 2
    code, _, err = run("stack", "up", "--dir", d, "--only", "minio,kafka")
    assert code == 2 and "the services are minio, rest and spark" in err, err
    code, _, err = run("stack", "up", "--dir", d, "--port-base", "80")
    assert code == 2 and "--port-base" in err, err
    code, _, err = run("stack", "up", "--dir", os.path.join(d, 'a"b'))
    assert code == 2 and "cannot hold" in err, err


@case
def a_terminal_sees_progress(d):
    state, base = os.path.join(d, "stack"), free_base()
    leader, follower = pty.openpty()
    try:
        p = subprocess.run([LAKEORM, "stack", "up", "--dir", state, "--only", "minio", "--port-base", str(base)],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, timeout=120)
        os.close(follower)
        seen = b""
        try:
            while chunk := os.read(leader, 4096):
                seen += chunk
        except OSError:  # the terminal's other end is closed: all read
            pass
        assert p.returncode == 0, (p.stdout, seen)
        assert f"starting minio on 127.0.0.1:{base} ...".encode() in seen, seen
        assert b"starting" not in p.stdout, p.stdout  # progress is for the terminal, not the report
    finally:
        os.close(leader)
        assert run("stack", "down", "--dir", state)[0] == 0


finish()
