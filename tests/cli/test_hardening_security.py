# SPDX-License-Identifier: MIT
"""Security hardening end to end (issue 15, items 1 and 2).

cleanup-staging never follows a symbolic link out of the staging root: a link
at _staging/<old id>, one nested in an old prefix, one to a file, and
_staging itself a link all leave the files they point at alone, while the
real old prefixes are removed. And no error, log line or report of any
engine command prints a credential given in a --staging or --url URL, with
LAKEORM_LOG=debug.

Usage: test_hardening_security.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os

from clitest import EXAMPLES, SCHEMA, case, finish, run

SECRET = "hunter2SECRET"
# UUIDv7s from 2022: older than any --older-than below.
OLD = ["017f22e2-79b0-7000-8000-0000000000%02x" % i for i in range(1, 5)]


def write(path, text="precious"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def outside_folder(d):
    """Files outside the staging root that no cleanup may touch; their paths."""
    outside = os.path.join(d, "outside")
    files = [os.path.join(outside, "keep.txt"), os.path.join(outside, "part-00001.parquet"),
             os.path.join(outside, OLD[3], "part-00001.parquet")]
    for f in files:
        write(f)
    return outside, files


def cleanup(root):
    code, out, err = run("cleanup-staging", "--staging", "file://" + root, "--older-than", "1h", "--json")
    assert code == 0, (code, out, err)
    return json.loads(out)


@case
def cleanup_deletes_links_as_links(d):
    outside, files = outside_folder(d)
    root = os.path.join(d, "root")
    staging = os.path.join(root, "_staging")
    write(os.path.join(staging, OLD[0], "part-00001.parquet"), "PAR1")       # a real old prefix
    os.symlink(outside, os.path.join(staging, OLD[1]))                        # a link as a prefix
    write(os.path.join(staging, OLD[2], "part-00001.parquet"), "PAR1")
    os.symlink(outside, os.path.join(staging, OLD[2], "nested"))              # a link inside a prefix
    os.symlink(files[0], os.path.join(staging, OLD[2], "part-00002.parquet"))  # a link to a file
    report = cleanup(root)
    assert all(os.path.isfile(f) for f in files), [f for f in files if not os.path.isfile(f)]
    assert not os.path.lexists(staging) or os.listdir(staging) == [], os.listdir(staging)
    assert report == {"scanned": 3, "deleted": 3, "failed": 0, "objects": 5}, report


@case
def cleanup_does_not_walk_a_staging_link(d):
    outside, files = outside_folder(d)
    root = os.path.join(d, "root")
    os.makedirs(root)
    os.symlink(outside, os.path.join(root, "_staging"))
    report = cleanup(root)
    assert all(os.path.isfile(f) for f in files), [f for f in files if not os.path.isfile(f)]
    assert report["deleted"] == 0 and report["objects"] == 0, report


def assert_hidden(args, expect_code=2):
    code, out, err = run(*args, env={"LAKEORM_LOG": "debug", "AWS_ACCESS_KEY_ID": "AKIDFROMENV",
                                     "AWS_SECRET_ACCESS_KEY": "from-the-environment"})
    assert SECRET not in out and SECRET not in err and "hunter2" not in out + err, (args, out, err)
    assert expect_code is None or code == expect_code, (args, code, err)
    return err


@case
def staging_urls_never_print_a_secret(d):
    db = os.path.join(d, "lake.duckdb")
    credentials_go = "credentials go in the environment or the shared credentials file"
    for url, says in (
            ("s3://lake/p?secret_access_key=" + SECRET, credentials_go),
            ("s3://lake/p?region=us-east-1&aws_session_token=" + SECRET, credentials_go),
            ("s3://AKID:" + SECRET + "@lake/p", credentials_go),
            ("s3://AKID:hunter2/SECRET@lake/p", credentials_go),
            ("s3://lake/p?endpoint=http://AKID:" + SECRET + "@127.0.0.1:9", credentials_go),
            ("s3://lake/p?" + SECRET, "has no value"),
            ("gs://lake/p?access_token=" + SECRET, credentials_go),
            ("gs://AKID:" + SECRET + "@lake/p", credentials_go),
            ("ftp://u:" + SECRET + "@host/x", "***")):
        for command in (["cleanup-staging", "--staging", url],
                        ["ingest", "--schema", SCHEMA, "--db", db, "--staging", url, os.path.join(EXAMPLES, "users.ndjson")]):
            err = assert_hidden(command)
            assert says in err, (command, err)


@case
def client_urls_never_print_a_secret(d):
    for url in ("duckdb://:memory:?staging=s3%3A%2F%2Flake%2Fp%3Fsecret_access_key%3D" + SECRET,
                "duckdb://:memory:?token=" + SECRET,
                "duckdb://:memory:?" + SECRET,
                "ftp://u:" + SECRET + "@host/x",
                "sc://u:" + SECRET + "@127.0.0.1:15002",
                "sc://127.0.0.1:15002/;" + SECRET,
                "https://u:" + SECRET + "@127.0.0.1/sql/1.0/warehouses/abc;token=t",
                "https://127.0.0.1/sql/1.0/warehouses/abc;" + SECRET):
        assert_hidden(["cleanup-staging", "--url", url])
        assert_hidden(["ingest", "--schema", SCHEMA, "--url", url, os.path.join(EXAMPLES, "users.ndjson")])
        assert_hidden(["query", "--url", url, "SELECT 1 AS x"], expect_code=None)  # may not open the staging at all


@case
def the_open_log_holds_no_secret(d):
    # Opens (no request reaches the warehouse): the client.open line must still not hold the token.
    url = "http://127.0.0.1:9/sql/1.0/warehouses/abc;token=" + SECRET
    err = assert_hidden(["cleanup-staging", "--url", url + "?staging=file://" + d], expect_code=0)
    assert '"event":"client.open"' in err, err


finish()
