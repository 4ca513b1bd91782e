# SPDX-License-Identifier: MIT
"""What the CLI test files share: the binary under test (argv[1]), the
examples folder (argv[2], when given), running the binary, a case runner that
gives each case a fresh folder and reports it, and reading a table back with
`lakeorm query`. Standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile

LAKEORM = sys.argv[1]
EXAMPLES = sys.argv[2] if len(sys.argv) > 2 else ""
SCHEMA = os.path.join(EXAMPLES, "users.schema.json")
SAMPLE = os.path.join(EXAMPLES, "users.ndjson")

_results = {"passed": 0, "failed": 0}

# No configuration file or profile of the machine's reaches a case (docs/cli.md,
# "Configuration file"): one that wants them sets these itself.
NO_CONFIG = {"LAKEORM_CONFIG": "", "LAKEORM_PROFILE": "", "XDG_CONFIG_HOME": os.path.join(os.devnull, "none")}


def run(*args, stdin=None, stdout=subprocess.PIPE, raw=False, env=None, cwd=None, preexec=None, user=None):
    """Runs lakeorm: (exit status, stdout, stderr). stdin: bytes, an open file,
    or nothing (then it reads an empty input, never the test's own); stdout: a
    pipe or an open file; raw: keep the outputs as bytes, else decode them
    (bytes that are not UTF-8 as U+FFFD); env: variables set over the test's
    own environment, which never names a configuration file: NO_CONFIG)."""
    p = subprocess.run([LAKEORM, *args], input=stdin if isinstance(stdin, bytes) else None,
                       stdin=None if isinstance(stdin, bytes) else stdin or subprocess.DEVNULL,
                       stdout=stdout, stderr=subprocess.PIPE, env={**os.environ, **NO_CONFIG, **(env or {})}, cwd=cwd,
                       preexec_fn=preexec, user=user)
    out = p.stdout or b""
    if raw:
        return p.returncode, out, p.stderr
    return p.returncode, out.decode(errors="replace"), p.stderr.decode(errors="replace")


def case(fn):
    """Runs fn(folder) in a fresh temporary folder, now, and counts it."""
    with tempfile.TemporaryDirectory() as d:
        try:
            fn(d)
            _results["passed"] += 1
            print("ok  ", fn.__name__)
        except AssertionError as e:
            _results["failed"] += 1
            print("FAIL", fn.__name__, e)
        finally:
            for root, dirs, _ in os.walk(d):  # give back what a case took away, so the folder can go
                for name in dirs:
                    os.chmod(os.path.join(root, name), 0o755)
    return fn


def finish():
    """Prints the tally and exits: 1 when any case failed."""
    print(f"{_results['passed']} passed, {_results['failed']} failed")
    sys.exit(1 if _results["failed"] else 0)


def write(folder, name, data):
    """Writes data (bytes, or text as UTF-8) to folder/name; returns the path."""
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def write_json(folder, name, value):
    """Writes value as JSON (a schema file) to folder/name; returns the path."""
    return write(folder, name, json.dumps(value))


def rows(db, sql, *params):
    code, out, err = run("query", "--db", db, sql, *params)
    assert code == 0, (code, err)
    return [json.loads(line) for line in out.splitlines()]


def count(db, table="users"):
    return rows(db, 'SELECT count(*) AS n FROM "' + table.replace('"', '""') + '"')[0]["n"]
