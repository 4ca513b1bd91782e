# SPDX-License-Identifier: MIT
"""The manual pages and shell completions the build printed (docs/cli.md,
"Manual pages and completions"): a page per command, each rendering with
man -l (or groff, or at least holding .TH, NAME, SYNOPSIS) and naming every
option `lakeorm help COMMAND` names; the bash completion answers
`lakeorm in<TAB>` and `lakeorm ingest --sc<TAB>`, and offers every option
the help pages name, so the table it comes from cannot drift from them; bash
and zsh complete the values of options with fixed choices (the same lists the
help pages print and the commands take) and files for path options.

Usage: test_manpages.py LAKEORM_BINARY DOCS_DIR. Standard library only.
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import case, finish, run  # noqa: E402

DOCS = sys.argv[2]
BASH = os.path.join(DOCS, "lakeorm.bash")


def commands():
    """The commands `lakeorm help` lists, help and version aside."""
    code, out, _ = run("help")
    assert code == 0
    section = out.split("COMMANDS\n", 1)[1].split("\n\n", 1)[0]
    names = [m.group(1) for m in map(re.compile(r"    (\S+) ").match, section.splitlines()) if m]
    return [n for n in names if n not in ("help", "version")]


def render(path):
    """The page as a reader sees it, or its roff when nothing here renders roff."""
    env = {**os.environ, "MANWIDTH": "200", "MAN_KEEP_FORMATTING": "0"}
    if shutil.which("man"):
        p = subprocess.run(["man", "-l", path], capture_output=True, text=True, env=env)
        if p.returncode == 0 and p.stdout:
            return re.sub(".\b", "", p.stdout)
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou", path], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        return p.stdout
    with open(path) as f:
        return f.read().replace("\\-", "-")


def options(text):
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", text))


@case
def every_command_has_a_page_naming_its_options(d):
    for command in [None] + commands():
        path = os.path.join(DOCS, f"lakeorm-{command}.1" if command else "lakeorm.1")
        assert os.path.isfile(path), path
        with open(path) as f:
            roff = f.read()
        for macro in (".TH ", '.SH "NAME"', '.SH "SYNOPSIS"'):
            assert macro in roff, (path, macro)
        assert ("lakeorm\\-" + command.replace("-", "\\-") if command else "lakeorm \\-") in roff, path
        code, help_text, _ = run("help", *([command] if command else []))
        assert code == 0
        page = render(path)
        missing = options(help_text) - options(page)
        assert not missing, (path, missing)
        code, out, _ = run("help", "--man", *([command] if command else []))
        assert code == 0 and out == roff, f"{path} is not what lakeorm help --man prints now"


def complete(*words):
    """COMPREPLY for `lakeorm WORDS...<TAB>`, the last word the one completed."""
    script = f'source "{BASH}"; COMP_WORDS=(lakeorm {" ".join(words)}); COMP_CWORD={len(words)}; _lakeorm; ' \
             'printf "%s\\n" "${COMPREPLY[@]}"'
    p = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout.split()


@case
def bash_completes_commands_and_options(d):
    assert complete("in") == ["ingest"], complete("in")
    assert complete("ingest", "--sc") == ["--schema"], complete("ingest", "--sc")
    assert complete("query", "--o") == ["--output"], complete("query", "--o")
    assert sorted(complete("c")) == ["cleanup-staging"], complete("c")
    for command in commands():
        _, help_text, _ = run("help", command)
        missing = options(help_text) - set(complete(command, "--"))
        assert not missing, (command, missing)


@case
def bash_completes_values_from_the_option_table(d):
    assert complete("ingest", "--format", "") == ["auto", "ndjson", "csv", "parquet"]
    assert complete("validate", "-f", "p") == ["parquet"]
    assert complete("query", "--format", "=", "t") == ["table"]  # --format=t: bash splits at the =
    assert complete("query", "--format", "=") == ["json", "csv", "table", "parquet"]
    assert complete("ingest", "--dialect", "") == ["duckdb", "delta", "iceberg"]
    assert complete("migrate", "--dialect", "i") == ["iceberg"]
    assert complete("ingest", "--on-conflict", "") == ["error", "ignore", "update"]
    assert complete("ingest", "--path", "s") == ["staged"]
    assert complete("ingest", "--table", "") == []  # a name: nothing to offer
    with open(os.path.join(d, "users.schema.json"), "w"):
        pass
    assert complete("validate", "--schema", os.path.join(d, "users.s")) == [os.path.join(d, "users.schema.json")]
    assert complete("ingest", "-s", os.path.join(d, "u")) == [os.path.join(d, "users.schema.json")]
    # Every choice the help page prints is one the completion offers, and the other way round.
    for command, option in [("ingest", "--format"), ("ingest", "--on-conflict"), ("query", "--format"),
                            ("migrate", "--dialect"), ("schema", "--format")]:
        _, page, _ = run("help", command)
        listed = re.search(re.escape(option) + r" ([a-z|]+)", page).group(1).split("|")
        assert listed == complete(command, option, ""), (command, option, listed)


def zsh_complete(*words):
    """What the generated zsh completion adds for `lakeorm WORDS...<TAB>`: compadd's
    words, or "_files"; compsys's functions stubbed, the script itself run by zsh."""
    path = os.path.join(DOCS, "_lakeorm")
    prefix = words[-1]
    script = ('compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }\n'
              '_files() { print _files }\n'
              'compset() { PREFIX=${PREFIX#*=} }\n'
              f'_lakeorm() {{ source "{path}" }}\n'
              'words=(lakeorm "$@"); CURRENT=$(( $# + 1 )); PREFIX=${@[-1]}\n'
              '_lakeorm\n')
    p = subprocess.run(["zsh", "-f", "-c", script, "zsh", *words], capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    return [w for w in p.stdout.split() if w.startswith(prefix.split("=")[-1]) or w == "_files"]


@case
def zsh_completes_values_from_the_option_table(d):
    if not shutil.which("zsh"):
        print("     (zsh missing: skipped)")
        return
    assert zsh_complete("ingest", "--format", "") == ["auto", "ndjson", "csv", "parquet"]
    assert zsh_complete("query", "--format=t") == ["table"]
    assert zsh_complete("ingest", "--dialect", "") == ["duckdb", "delta", "iceberg"]
    assert zsh_complete("validate", "--schema", "") == ["_files"]
    assert zsh_complete("ingest", "--table", "") == []
    assert zsh_complete("ingest", "--sc") == ["--schema"]


@case
def zsh_completion_is_installed_shape(d):
    path = os.path.join(DOCS, "_lakeorm")
    with open(path) as f:
        text = f.read()
    assert text.startswith("#compdef lakeorm\n"), text[:40]
    assert "ingest) opts=(" in text and "--schema" in text
    if shutil.which("zsh"):
        p = subprocess.run(["zsh", "-n", path], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr


finish()
