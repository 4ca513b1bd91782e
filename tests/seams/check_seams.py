#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The client's seams hold: src/client/ and src/migrate/ name no engine and
write no SQL. Which engine runs a request is the driver table's business
(src/drivers/driver.h) and every statement is a dialect's (src/dialects/),
so code there that names an engine or holds SQL text is a seam leaking.
The Databricks driver, which sends SQL text only, writes none either: its
direct path's values (structs, typed NULLs, decoded bytes, the VALUES
source) are the dialect's too."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
# Identifiers that name an engine, a driver's own types or a table format.
ENGINE = re.compile(r"\b((?i:spark|dbx|databricks|duckdb|iceberg|delta|lake__remote)\w*|LAKE_DIALECT_\w+)")
# SQL text in a string literal: a statement keyword at its start.
SQL = re.compile(r'"\s*(SELECT|INSERT|CREATE|MERGE|ALTER|DROP|BEGIN|COMMIT|ROLLBACK|USE|DESCRIBE)\b')
# A string literal, and SQL fragments inside one: a value-building function's
# call, or a clause keyword (upper case, as lakeorm writes SQL; messages are prose).
LITERAL = re.compile(r'"(?:\\.|[^"\\\n])*"')
FRAGMENT = re.compile(r'\b(?i:struct|named_struct|struct_pack|cast|unbase64|from_base64)\s*\(|'
                      r'\b(?:SELECT|VALUES|FROM|NULL AS|AS v)\b')


TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)


def code_only(text):
    """The text without comments; string literals are kept, lines too."""
    def keep(m):
        t = m.group(0)
        return t if t[0] in "\"'" else "\n" * t.count("\n")
    return TOKENS.sub(keep, text)


failures = []
for folder in ("src/client", "src/migrate"):
    for path in sorted((root / folder).glob("*.[ch]")):
        for number, line in enumerate(code_only(path.read_text()).splitlines(), 1):
            # Strings may name a dialect to the user ("delta") in migrate's options and errors; code may not.
            code = re.sub(r'"(\\.|[^"\\])*"', '""', line)
            for found in ENGINE.finditer(code):
                failures.append(f"{path.relative_to(root)}:{number}: names an engine: {found.group(0)}")
            for found in SQL.finditer(line):
                failures.append(f"{path.relative_to(root)}:{number}: SQL text: {line.strip()}")

for path in sorted((root / "src/drivers/databricks").glob("*.[ch]")):
    for number, line in enumerate(code_only(path.read_text()).splitlines(), 1):
        for literal in LITERAL.finditer(line):
            for found in FRAGMENT.finditer(literal.group(0)):
                failures.append(f"{path.relative_to(root)}:{number}: SQL text: {found.group(0)} in {literal.group(0)}")

for failure in failures:
    print(failure)
print(f"{len(failures)} seam leak(s)" if failures else
      "src/client and src/migrate name no engine and hold no SQL; src/drivers/databricks holds no SQL")
sys.exit(1 if failures else 0)
