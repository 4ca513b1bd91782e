# SPDX-License-Identifier: MIT
"""Every source file of the project carries the SPDX line of its license (MIT)
in its first lines, so that a file copied out of the tree still says under
which terms it may be used. Data (test inputs, fuzz corpora, goldens) is left
alone.

Usage: check_spdx.py SOURCE_DIR. Standard library only.
"""
import os
import sys

ROOT = sys.argv[1]
TAG = "SPDX-License-Identifier: MIT"
SKIP_DIRS = {".git", "build", ".cache", ".venv", "__pycache__", "corpus", "data"}


def is_source(rel):
    base = os.path.basename(rel)
    if base.endswith((".c", ".h", ".proto", ".go", ".py", ".sh", ".cmake", ".in", ".supp")) or base == "CMakeLists.txt":
        return True
    # The scripts and benchmark runners have no extension.
    return rel.startswith(("scripts/", ".ci/")) or (rel.startswith("bench/") and base == "run")


missing = []
for folder, dirs, files in os.walk(ROOT):
    dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
    for name in files:
        rel = os.path.relpath(os.path.join(folder, name), ROOT)
        if not is_source(rel):
            continue
        with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
            head = [f.readline() for _ in range(3)]
        if not any(TAG in line for line in head):
            missing.append(rel)

for rel in sorted(missing):
    print("no SPDX line in the first three lines:", rel)
print(f"{len(missing)} source files without an SPDX line")
sys.exit(1 if missing else 0)
