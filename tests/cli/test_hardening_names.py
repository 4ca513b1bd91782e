# SPDX-License-Identifier: MIT
"""Hostile names and hostile input on the terminal (issue 15, items 3, 4, 11, 14).

Control characters in a table or column name, from a schema file or --table or
--rename, are schema errors (exit 2) that create nothing; lakeorm's own table
prefix is reserved in any case; a column named _ingest_id in any case is a
schema error for every writing command; text-mode output escapes whatever it
quotes from input, so nothing read can act on the terminal or start a line;
`migrate generate` says which folder it checked.

Usage: test_hardening_names.py LAKEORM_BINARY EXAMPLES_DIR. Standard library only.
"""
import functools
import json
import os

import clitest
from clitest import case, finish

run = functools.partial(clitest.run, raw=True)  # the checks read raw bytes


# Table and column names that must be refused: a line end that would start a
# live goose section, ESC (terminal escapes), BEL, NUL, DEL, C1 NEL and CSI,
# a bidirectional override and a line separator.
HOSTILE = ["t\n-- +goose Up\nDROP TABLE victim;", "t\x1b]0;owned\x07", "t\x1b[31mred", "t\x07", "t\x00x",
           "t\x7f", "t\x85", "t\x9b31m", "t\u202e", "t\u2028"]


def terminal_safe(data, what):
    """Bytes fit to show on a terminal: UTF-8, lines ended by "\\n" only, and no
    other control character (C0, DEL, C1, line separators, bidi controls)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError(f"{what} is not UTF-8: {data!r}") from e
    for ch in text:
        cp = ord(ch)
        if ch != "\n" and (cp < 0x20 or 0x7F <= cp <= 0x9F or cp in (0x2028, 0x2029)
                           or 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069):
            raise AssertionError(f"{what} holds U+{cp:04X}: {data!r}")
    return text


def schema_file(d, table="users", columns=None, raw=None):
    path = os.path.join(d, "schema.json")
    fields = [{"tag": c, "type": "string"} for c in (columns or ["id,pk", "name"])]
    with open(path, "wb") as f:
        f.write(raw if raw is not None else json.dumps({"table": table, "fields": fields}).encode())
    return path


def refused_by_every_command(d, schema):
    """validate, ingest and migrate generate exit 2, create nothing and print
    nothing raw."""
    db, out = os.path.join(d, "lake.duckdb"), os.path.join(d, "migrations")
    for args in (("validate", "--schema", schema, "-"),
                 ("ingest", "--schema", schema, "--db", db, "-"),
                 ("migrate", "generate", "--schema", schema, "--dir", out)):
        code, stdout, stderr = run(*args, stdin=b'{"id":"1","name":"a"}\n')
        assert code == 2, (args[0], code, stderr)
        terminal_safe(stderr, f"{args[0]} stderr")
        terminal_safe(stdout, f"{args[0]} stdout")
        assert stderr.count(b"\n") == 1, (args[0], stderr)  # one message, one line
    assert not os.path.exists(db), "ingest created the database"
    assert not os.path.exists(out), "migrate generate wrote files"


@case
def control_characters_in_a_table_name_are_refused(d):
    for name in HOSTILE:
        refused_by_every_command(d, schema_file(d, table=name))


@case
def a_raw_nul_or_bad_utf8_in_a_schema_file_table_is_refused(d):
    for raw in (b'{"table":"t\x00x","fields":[{"tag":"a","type":"string"}]}',
                b'{"table":"t\xff","fields":[{"tag":"a","type":"string"}]}',
                b'{"table":"t\xc2\x9b31m","fields":[{"tag":"a","type":"string"}]}'):
        refused_by_every_command(d, schema_file(d, raw=raw))


@case
def control_characters_in_a_column_name_are_refused(d):
    for name in HOSTILE:
        refused_by_every_command(d, schema_file(d, columns=["id,pk", name]))
        refused_by_every_command(d, schema_file(d, columns=["id,pk", name + ",nullable"]))


@case
def control_characters_in_table_flag_are_refused(d):
    schema = schema_file(d)
    db = os.path.join(d, "lake.duckdb")
    for name in HOSTILE:
        if "\x00" in name:
            continue  # an argument cannot hold NUL
        code, out, err = run("ingest", "--schema", schema, "--db", db, "--table", name, "-", stdin=b"")
        assert code == 2, (name, code, err)
        text = terminal_safe(err, "stderr")
        assert "table name" in text, text
    assert not os.path.exists(db)


@case
def control_characters_in_a_rename_are_refused(d):
    schema, out = schema_file(d), os.path.join(d, "migrations")
    code, _, err = run("migrate", "generate", "--schema", schema, "--dir", out)
    assert code == 0, err
    renamed = schema_file(d, columns=["id,pk", "full_name"])
    before = sorted(os.listdir(out))
    for rename in ("users.name=full\x1b[2Jname", "users.na\x07me=full_name", "users\n-- +goose Up\n.name=full_name",
                   "users.name=full\u202ename"):
        code, stdout, err = run("migrate", "generate", "--schema", renamed, "--dir", out, "--rename", rename)
        assert code == 2, (rename, code, err)
        terminal_safe(err, "stderr")
        assert "rename 1:" in err.decode(), err
        assert sorted(os.listdir(out)) == before, os.listdir(out)


@case
def lakeorm_table_names_are_reserved_in_any_case(d):
    for name in ("_lakeorm_ingests", "_LAKEORM_INGESTS", "_LakeOrm_Ingests", "_lakeorm_anything"):
        refused_by_every_command(d, schema_file(d, table=name))
        code, _, err = run("ingest", "--schema", schema_file(d), "--db", os.path.join(d, "lake.duckdb"),
                           "--table", name, "-", stdin=b'{"id":"1","name":"a"}\n')
        assert code == 2 and b"reserved" in err, (name, code, err)
        assert not os.path.exists(os.path.join(d, "lake.duckdb"))
    # The attack the reservation stops: rows planted under an idempotency key
    # would make the real request below write nothing and exit 0.
    db = os.path.join(d, "lake.duckdb")
    plant = schema_file(d, columns=["idempotency_key,pk", "ingest_id", "table_name"], table="_lakeorm_ingests")
    code, _, err = run("ingest", "--schema", plant, "--db", db, "-",
                       stdin=b'{"idempotency_key":"k1","ingest_id":"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f",'
                             b'"table_name":"users"}\n')
    assert code == 2, (code, err)
    code, _, err = run("ingest", "--schema", schema_file(d), "--db", db, "--idempotency-key", "k1", "-",
                       stdin=b'{"id":"1","name":"a"}\n')
    assert code == 0 and b"1 inserted into users" in err, (code, err)


@case
def an_ingest_id_column_in_any_case_is_a_schema_error(d):
    db = os.path.join(d, "lake.duckdb")
    for spelling in ("_ingest_id", "_INGEST_ID", "_Ingest_Id"):
        schema = schema_file(d, columns=["id,pk", spelling])
        line = json.dumps({"id": "1", spelling: "x"}).encode() + b"\n"
        for args in (("ingest", "--schema", schema, "--db", db, "-"),
                     ("ingest", "--schema", schema, "--db", db, "--no-migrate", "-"),
                     ("migrate", "create", "--schema", schema, "--db", db),
                     ("migrate", "generate", "--schema", schema, "--dir", os.path.join(d, "m"))):
            code, _, err = run(*args, stdin=line)
            assert code == 2, (spelling, args[:2], code, err)
            assert b"system column _ingest_id" in err, err
    code, out, _ = run("query", "--db", db, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'users'")
    assert code == 0 and json.loads(out)["n"] == 0, out


@case
def text_reports_escape_what_they_quote(d):
    schema = schema_file(d)
    keys = ["x\x1b]0;owned\x07", "y\x1b[2J", "line\nline 99: fake", "nul\x00after", "c1\x85\x9b31m", "bidi\u202e"]
    records = [json.dumps({"id": "1", "name": "a", k: 1}) for k in keys]
    data = "\n".join(records).encode() + b"\n"
    for args in (("validate", "--schema", schema, "-"),
                 ("ingest", "--schema", schema, "--db", os.path.join(d, "lake.duckdb"), "-")):
        code, out, err = run(*args, stdin=data)
        assert code == 1, (args[0], code, err)
        text = terminal_safe(out, f"{args[0]} stdout")
        terminal_safe(err, f"{args[0]} stderr")
        lines = text.splitlines()
        assert [l.split(":")[0] for l in lines] == [f"line {i}" for i in range(1, len(keys) + 1)], lines
        assert "/x\\u001b]0;owned\\u0007 [unknown_key]" in lines[0], lines[0]
        assert "/line\\nline 99: fake [unknown_key]" in lines[2], lines[2]
        assert "\\u0085\\u009b31m" in lines[4] and "\\u202e" in lines[5], lines


@case
def schema_file_errors_are_escaped(d):
    schema = schema_file(d, raw=b'{"table":"t","\\u001b]0;owned\\u0007":1,"fields":[{"tag":"a","type":"string"}]}')
    code, _, err = run("validate", "--schema", schema, "-", stdin=b"")
    assert code == 2, (code, err)
    text = terminal_safe(err, "stderr")
    assert 'unknown key "\\u001b]0;owned\\u0007"' in text, text
    tag = schema_file(d, raw=b'{"table":"t","fields":[{"tag":"a,\\u001b[2J","type":"string"}]}')
    code, _, err = run("migrate", "generate", "--schema", tag, "--dir", os.path.join(d, "m"))
    assert code == 2, (code, err)
    assert "\\u001b[2J" in terminal_safe(err, "stderr"), err


@case
def migrate_generate_names_the_folder_it_checked(d):
    schema, out = schema_file(d), os.path.join(d, "migrations")
    code, stdout, err = run("migrate", "generate", "--schema", schema, "--dir", out)
    assert code == 0 and stdout.decode() == f"1 migration file written to {out}, lakeorm.sum updated\n", (stdout, err)
    code, stdout, err = run("migrate", "generate", "--schema", schema, "--dir", out)
    assert code == 0 and stdout.decode() == f"no drift: nothing written, lakeorm.sum in {out} checked\n", stdout
    with open(os.path.join(out, sorted(os.listdir(out))[0]), "rb") as f:
        assert f.read().count(b"-- +goose Up") == 1
    code, stdout, err = run("migrate", "verify", "--dir", out)
    assert code == 0 and stdout.decode() == f"every migration in {out} matches lakeorm.sum\n", (stdout, err)


@case
def arguments_quoted_in_errors_are_escaped(d):
    hostile = "x\x1b]0;owned\x07\nlakeorm: fake"
    for args in ((hostile,), ("help", hostile), ("cleanup-staging", "--staging", "file://" + d, hostile),
                 ("cleanup-staging", "--staging", "file://" + d, "--older-than", hostile),
                 ("validate", "--schema", schema_file(d), os.path.join(d, hostile)),
                 ("validate", "--schema", schema_file(d), "--good", os.path.join(d, "no", hostile), "-"),
                 ("ingest", "--schema", schema_file(d), "--db", os.path.join(d, "lake.duckdb"), os.path.join(d, hostile))):
        code, out, err = run(*args, stdin=b"")
        assert code == 2, (args, code, err)
        text = terminal_safe(err, f"{args[0]} stderr")
        assert text.count("\n") == 1 and "\\u001b]0;owned\\u0007\\nlakeorm: fake" in text, (args, text)
    # An engine's SQL error keeps its caret block's lines; nothing else in it acts on the terminal.
    db = os.path.join(d, "lake.duckdb")
    assert run("migrate", "create", "--db", db, "--schema", schema_file(d))[0] == 0
    code, out, err = run("query", "--db", db, "SELECT CAST('" + hostile + "' AS INT) AS v")
    assert code == 3, (code, err)
    text = terminal_safe(err, "query stderr")
    assert "\\u001b]0;owned\\u0007" in text and not any(l.startswith("lakeorm: fake") for l in text.splitlines()), text


finish()
