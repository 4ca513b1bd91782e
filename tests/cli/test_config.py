# SPDX-License-Identifier: MIT
"""Configuration files (docs/cli.md, "Configuration file"): a profile of a
lakeorm.toml drives ingest, validate and query with no connection flags;
--profile and $LAKEORM_PROFILE pick one; flags override it key by key;
${VAR} expands from the environment; the lookup order; and the errors that
name file:line and the key, or list the profiles.

Usage: test_config.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import EXAMPLES, SAMPLE, SCHEMA, case, finish, run  # noqa: E402


def env_for(d, **more):
    """The test's environment without any configuration of the machine's:
    HOME and XDG_CONFIG_HOME in the case's folder, no LAKEORM_* set."""
    return {"HOME": d, "XDG_CONFIG_HOME": os.path.join(d, "xdg"), "LAKEORM_CONFIG": "", "LAKEORM_PROFILE": "",
            "LAKEORM_LOG": "", **more}


def lakeorm(d, *args, **more):
    return run(*args, cwd=d, env=env_for(d, **more))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def count(d, *flags, **env):
    code, out, err = lakeorm(d, "query", *flags, "SELECT count(*) AS n FROM users", **env)
    assert code == 0, (flags, code, err)
    return json.loads(out)["n"]


def two_profiles(d):
    write(os.path.join(d, "lakeorm.toml"), f"""
default_profile = "a"

[profiles.a]
url = "duckdb://{d}/a.duckdb?staging=file://{d}/stage-a"
schema_file = "{SCHEMA}"

[profiles.b]
url = "duckdb://{d}/b.duckdb"
staging = "file://{d}/stage-b"
schema_file = "{SCHEMA}"
pool = 2
""")


@case
def a_profile_drives_ingest_and_query_without_flags(d):
    two_profiles(d)
    code, out, err = lakeorm(d, "ingest", "--path", "staged", SAMPLE)
    assert code == 1, (code, err)  # three lines of the sample are bad
    assert "3 inserted into users" in err, err
    assert os.path.isfile(os.path.join(d, "a.duckdb")) and os.path.isdir(os.path.join(d, "stage-a"))
    assert not os.path.exists(os.path.join(d, "b.duckdb"))
    assert count(d) == 3
    code, out, err = lakeorm(d, "validate", "--json", SAMPLE)  # the profile's schema_file
    assert code == 1 and len(out.splitlines()) == 3, (code, out, err)
    code, out, err = lakeorm(d, "migrate", "create", "--profile", "b")  # its schema_file and database
    assert code == 0 and out == "users: ready\n" and os.path.isfile(os.path.join(d, "b.duckdb")), (code, out, err)
    code, out, err = lakeorm(d, "migrate", "assert", "--profile", "b")
    assert code == 0, (code, out, err)


@case
def profile_flag_and_environment_pick_the_profile(d):
    two_profiles(d)
    code, _, err = lakeorm(d, "ingest", "--profile", "b", SAMPLE)
    assert code == 1 and os.path.isfile(os.path.join(d, "b.duckdb")), err
    assert not os.path.exists(os.path.join(d, "a.duckdb"))
    assert count(d, LAKEORM_PROFILE="b") == 3
    code, _, err = lakeorm(d, "ingest", SAMPLE, LAKEORM_PROFILE="a")
    assert code == 1 and os.path.isfile(os.path.join(d, "a.duckdb")), err

    def database(*flags, **env):
        code, out, err = lakeorm(d, "query", *flags, "SELECT current_database() AS db", **env)
        assert code == 0, err
        return json.loads(out)["db"]
    assert database() == "a"  # default_profile
    assert database(LAKEORM_PROFILE="b") == "b"
    assert database("--profile", "a", LAKEORM_PROFILE="b") == "a"  # --profile wins over the environment


@case
def flags_override_the_profile_key_by_key(d):
    two_profiles(d)
    other = os.path.join(d, "other.duckdb")
    code, _, err = lakeorm(d, "ingest", "--db", other, "--staging", os.path.join(d, "flag-stage"), "--path", "staged",
                           SAMPLE)
    assert code == 1, err
    assert os.path.isfile(other) and os.path.isdir(os.path.join(d, "flag-stage")), os.listdir(d)
    assert not os.path.exists(os.path.join(d, "a.duckdb")) and not os.path.exists(os.path.join(d, "stage-a"))
    assert count(d, "--db", other) == 3
    assert count(d, "--url", f"duckdb://{other}") == 3
    code, _, err = lakeorm(d, "ingest", "--schema", os.path.join(d, "missing.json"), SAMPLE)
    assert code == 2 and "missing.json" in err, err  # --schema wins over schema_file


@case
def environment_variables_fill_secrets(d):
    write(os.path.join(d, "conf", "lake.toml"), """
[profiles.default]
url = "duckdb://${LAKE_TEST_DB}?pool=${LAKE_TEST_POOL:-2}"
schema_file = "../schema.json"
""")
    with open(SCHEMA) as f:
        write(os.path.join(d, "schema.json"), f.read())  # schema_file is relative to the file's folder
    db = os.path.join(d, "secret.duckdb")
    code, _, err = lakeorm(d, "ingest", "--config", "conf/lake.toml", SAMPLE, LAKE_TEST_DB=db)
    assert code == 1 and os.path.isfile(db), err
    code, out, err = lakeorm(d, "query", "SELECT count(*) AS n FROM users", LAKEORM_CONFIG="conf/lake.toml",
                             LAKE_TEST_DB=db)
    assert code == 0 and json.loads(out)["n"] == 3, err
    os.environ.pop("LAKE_TEST_DB", None)
    code, _, err = lakeorm(d, "query", "--config", "conf/lake.toml", "SELECT 1")
    assert code == 2, err
    assert "conf/lake.toml:3: profiles.default.url: ${LAKE_TEST_DB} is not set" in err, err


@case
def the_file_is_looked_up_in_order(d):
    write(os.path.join(d, "xdg", "lakeorm", "lakeorm.toml"),
          f'[profiles.default]\nurl = "duckdb://{d}/xdg.duckdb"\nschema_file = "{SCHEMA}"\n')
    code, _, err = lakeorm(d, "ingest", SAMPLE)
    assert code == 1 and os.path.isfile(os.path.join(d, "xdg.duckdb")), err
    write(os.path.join(d, "lakeorm.toml"), f'[profiles.default]\nurl = "duckdb://{d}/here.duckdb"\n'
                                           f'schema_file = "{SCHEMA}"\n')
    code, _, err = lakeorm(d, "ingest", SAMPLE)  # ./lakeorm.toml before the user's folder
    assert code == 1 and os.path.isfile(os.path.join(d, "here.duckdb")), err
    code, out, err = lakeorm(d, "query", "--db", ":memory:", "SELECT 1 AS x")  # flags need no profile
    assert code == 0 and out == '{"x":1}\n', (code, out, err)
    os.remove(os.path.join(d, "lakeorm.toml"))
    os.remove(os.path.join(d, "xdg", "lakeorm", "lakeorm.toml"))
    code, out, err = lakeorm(d, "query", "--db", ":memory:", "SELECT 1 AS x")  # no file at all is fine
    assert code == 0, err
    code, _, err = lakeorm(d, "query", "SELECT 1 AS x")
    assert code == 2 and "say which database" in err, err


@case
def named_and_missing_is_an_error(d):
    two_profiles(d)
    code, _, err = lakeorm(d, "query", "--profile", "prod", "SELECT 1")
    assert code == 2 and 'profile "prod" is not in lakeorm.toml (its profiles: a, b)' in err, err
    code, _, err = lakeorm(d, "query", "SELECT 1", LAKEORM_PROFILE="c")
    assert code == 2 and 'profile "c" ($LAKEORM_PROFILE)' in err, err
    code, _, err = lakeorm(d, "query", "--config", "nowhere.toml", "SELECT 1")
    assert code == 2 and "nowhere.toml does not exist" in err, err
    code, _, err = lakeorm(d, "query", "SELECT 1", LAKEORM_CONFIG="gone.toml")
    assert code == 2 and "gone.toml ($LAKEORM_CONFIG) does not exist" in err, err
    os.remove(os.path.join(d, "lakeorm.toml"))
    code, _, err = lakeorm(d, "query", "--profile", "a", "SELECT 1")
    assert code == 2 and "no configuration file" in err, err


@case
def bad_keys_and_types_name_file_line_and_key(d):
    write(os.path.join(d, "lakeorm.toml"), '[profiles.default]\nurl = "duckdb://"\nstagin = "file:///s"\n')
    code, _, err = lakeorm(d, "query", "SELECT 1")
    assert code == 2 and "lakeorm.toml:3: profiles.default.stagin: unknown key; did you mean staging?" in err, err
    write(os.path.join(d, "lakeorm.toml"), '[profiles.default]\npool = "4"\n')
    code, _, err = lakeorm(d, "query", "SELECT 1")
    assert code == 2 and "lakeorm.toml:2: profiles.default.pool: expected an integer, not a string" in err, err
    write(os.path.join(d, "lakeorm.toml"), '[profiles.default\n')
    code, _, err = lakeorm(d, "query", "--db", ":memory:", "SELECT 1")  # a broken file is never passed over
    assert code == 2 and "lakeorm.toml:1:" in err and "not valid TOML" in err, err


@case
def log_level_turns_on_the_log(d):
    write(os.path.join(d, "lakeorm.toml"), '[profiles.default]\nurl = "duckdb://"\nlog_level = "debug"\n')
    code, out, err = lakeorm(d, "query", "SELECT 1 AS x")
    assert code == 0 and out == '{"x":1}\n', (code, err)
    events = [json.loads(l) for l in err.splitlines() if l.startswith("{")]
    assert events and all(e["level"] in ("debug", "info", "warn", "error") for e in events), err
    code, _, err = lakeorm(d, "query", "SELECT 1 AS x", LAKEORM_LOG="error")  # the environment wins
    assert code == 0 and not [l for l in err.splitlines() if '"level":"debug"' in l], err


@case
def a_warehouse_profile_serves_ingest_query_and_vacuum(d):
    write(os.path.join(d, "lakeorm.toml"), f"""
[profiles.default]
dialect = "iceberg"
warehouse = "file://{d}/wh"
schema_file = "{SCHEMA}"
""")
    code, _, err = lakeorm(d, "ingest", SAMPLE)
    assert code == 1 and os.path.isfile(os.path.join(d, "wh", "catalog.db")), err
    assert count(d) == 3
    code, out, err = lakeorm(d, "vacuum", "--table", "users", "--json")
    assert code == 0 and json.loads(out.splitlines()[-1])["dry_run"] is True, (code, out, err)


@case
def the_example_file_loads(d):
    example = os.path.join(EXAMPLES, "lakeorm.toml")
    code, out, err = lakeorm(d, "validate", "--config", example, "--json", SAMPLE)  # dev's schema_file, beside it
    assert code == 1 and len(out.splitlines()) == 3, (code, out, err)
    os.environ.pop("SPARK_TOKEN", None)
    code, _, err = lakeorm(d, "query", "--config", example, "--profile", "spark", "SELECT 1")
    assert code == 2 and "profiles.spark.url: ${SPARK_TOKEN} is not set" in err, err


@case
def cleanup_staging_takes_the_profile(d):
    two_profiles(d)
    code, out, err = lakeorm(d, "cleanup-staging", "--profile", "b", "--json")
    assert code == 0 and json.loads(out)["scanned"] == 0, (code, out, err)
    os.remove(os.path.join(d, "lakeorm.toml"))
    code, _, err = lakeorm(d, "cleanup-staging")
    assert code == 2 and "usage" in err, err


finish()
