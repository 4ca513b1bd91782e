#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every public type, struct field, callback and function of include/lakeorm/*.h
is named in docs/c-api.md (a newcomer writes from that page alone).
Usage: c_api_names.py INCLUDE_DIR DOC.md"""
import glob
import os
import re
import sys

include, doc_path = sys.argv[1], sys.argv[2]
doc = open(doc_path, encoding="utf-8").read()
doc_words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", doc))


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)  # preprocessor lines


def members(body):
    """Member names of a struct or union body (nested ones included)."""
    names = []
    body = re.sub(r"\b(?:struct|union)\s*\w*\s*\{", ";", body).replace("}", ";")
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        fn = re.search(r"\(\s*\*\s*(\w+)\s*\)\s*\(", decl)
        if fn:
            names.append(fn.group(1))
            continue
        decl = re.sub(r"\[[^\]]*\]", "", decl)
        for part in decl.split(","):
            m = re.search(r"(\w+)\s*$", part.strip())
            if m:
                names.append(m.group(1))
    return names


missing = []
for header in sorted(glob.glob(os.path.join(include, "lakeorm", "*.h"))):
    text = strip(open(header, encoding="utf-8").read())
    where = os.path.basename(header)
    need = set()
    need.update(re.findall(r"\}\s*(lake_\w+)\s*;", text))                 # typedef'd structs and enums
    need.update(re.findall(r"typedef\s+struct\s+\w+\s+(lake_\w+)\s*;", text))  # opaque handles
    need.update(re.findall(r"\(\s*\*\s*(lake_\w+)\s*\)\s*\(", text))       # callback typedefs
    need.update(re.findall(r"\b(lake_\w+)\s*\([^;{]*\)\s*[;{]", text))     # functions
    for m in re.finditer(r"(?:typedef\s+)?struct\s+(lake_\w+)\s*\{", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        need.update(f"{m.group(1)}.{f}" for f in members(text[m.end():i - 1]))
    for name in sorted(need):
        word = name.split(".")[-1]
        if word not in doc_words:
            missing.append(f"{where}: {name}")
if missing:
    print(f"{doc_path} does not name:\n  " + "\n  ".join(missing))
    sys.exit(1)
print(f"c_api_names: {doc_path} names every public type, field, callback and function")
