# SPDX-License-Identifier: MIT
"""lakeorm query on DuckDB: it opens the database read-only (a 0444 file in a
folder nobody may write, as on a read-only mount), names a parameter that is not
UTF-8, shows a SQL error against the user's own SQL once, and prints every type
in the form docs/cli.md gives. Each case works in a fresh folder.

Usage: test_query.py LAKEORM_BINARY. Standard library only.
"""
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import LAKEORM, case, finish, run  # noqa: E402
from every_type import COLUMNS, EXPECTED, every_type_db  # noqa: E402



def snapshot(folder):
    """Every file under folder with its content's hash: what a reader must leave as it was."""
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(root, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


@case
def prints_every_type_in_the_documented_form(d):
    db = every_type_db(d)
    code, out, err = run("query", "--db", db, f"SELECT {COLUMNS} FROM every ORDER BY n")
    assert code == 0, (code, err)
    assert out.splitlines() == EXPECTED, out
    for line in out.splitlines():
        json.loads(line)  # valid JSON, whatever the value


@case
def opens_a_read_only_database(d):
    folder = os.path.join(d, "ro")
    os.mkdir(folder)
    db = every_type_db(folder)
    no_tmp = os.path.join(d, "no-tmp")  # where a default staging folder would go: nobody may write there
    os.mkdir(no_tmp)
    os.chmod(db, 0o444)
    for path in (folder, no_tmp):
        os.chmod(path, 0o555)
    os.chmod(d, 0o755)
    before = snapshot(folder)
    # root writes to 0444 files anyway: run as nobody, for whom the file and folders really are read-only.
    user = 65534 if os.geteuid() == 0 else None
    env = dict(os.environ, TMPDIR=no_tmp)
    code, out, err = run("query", "--db", db, "SELECT n, s FROM every WHERE n = CAST(? AS BIGINT)", "2",
                         env=env, user=user)
    assert code == 0, (code, err)
    assert out == '{"n":2,"s":""}\n', out
    code, out, err = run("query", "--url", "duckdb://" + db, "SELECT count(*) AS c FROM every", env=env, user=user)
    assert code == 0 and out == '{"c":3}\n', (code, out, err)
    # A query that would write is the engine's to refuse: nothing changes.
    code, _, err = run("query", "--db", db, "CREATE TABLE planted AS SELECT 1 AS x", env=env, user=user)
    assert code == 3 and "read-only" in err, (code, err)
    assert snapshot(folder) == before, "the database folder changed"
    assert os.listdir(no_tmp) == [], os.listdir(no_tmp)


@case
def writes_nothing_to_a_writable_database(d):
    db = every_type_db(d)
    code, _, err = run("query", "--db", db, "CREATE TABLE planted AS SELECT 1 AS x")
    assert code == 3 and "read-only" in err, (code, err)
    code, out, err = run("query", "--db", db, "SELECT count(*) AS c FROM duckdb_tables() WHERE table_name = 'planted'")
    assert code == 0 and out == '{"c":0}\n', (code, out, err)


@case
def does_not_create_a_missing_database(d):
    db = os.path.join(d, "missing.duckdb")
    code, out, err = run("query", "--db", db, "SELECT 1 AS x")
    assert code == 2 and "no database file" in err and out == "", (code, out, err)
    assert not os.path.exists(db)


@case
def names_a_parameter_that_is_not_utf8(d):
    db = every_type_db(d)
    p = subprocess.run([LAKEORM, "query", "--db", db, "SELECT n FROM every WHERE s = ? OR s = ?", "ok", b"a\xffb"],
                       capture_output=True)
    err = p.stderr.decode(errors="replace")
    assert p.returncode == 2 and "parameter 2 is not valid UTF-8" in err, (p.returncode, err)
    assert "Values were not provided" not in err, err


@case
def counts_parameters(d):
    db = every_type_db(d)
    code, _, err = run("query", "--db", db, "SELECT n FROM every WHERE n = CAST(? AS INT)")
    assert code == 2 and "takes 1 parameter, 0 given" in err, (code, err)


@case
def shows_a_sql_error_against_the_users_sql_once(d):
    db = every_type_db(d)
    code, out, err = run("query", "--db", db, "SELEC n FROM every")
    assert code == 3 and out == "", (code, out, err)
    assert err.count("LINE 1:") == 1 and "LINE 1: SELEC n FROM every" in err, err
    assert "lake_row" not in err and "to_json" not in err, err
    code, _, err = run("query", "--db", db, "SELECT nope FROM every")
    assert code == 3 and err.count("LINE 1: SELECT nope FROM every") == 1 and "lake_row" not in err, err


@case
def says_which_column_it_cannot_print(d):
    db = every_type_db(d)
    code, _, err = run("query", "--db", db, "SELECT INTERVAL 1 DAY AS span")
    assert code == 2 and '"span"' in err and "CAST" in err, (code, err)
    code, out, err = run("query", "--db", db, "SELECT [1, 2] AS pair, {'a': [NULL]} AS s, MAP {'k': 1} AS m")
    assert code == 0 and json.loads(out) == {"pair": [1, 2], "s": {"a": [None]}, "m": {"k": 1}}, (code, out, err)


finish()
