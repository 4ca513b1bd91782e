# SPDX-License-Identifier: MIT
"""Shared fixtures for the lakeorm package's tests.

The tests run against the installed package (site-packages), never the
source tree: python/ is taken off sys.path before lakeorm is imported, and
test_schema.py checks where lakeorm came from. The C suite's corpora are
read from the checkout: $LAKEORM_SOURCE_DIR, else the folder two levels up.
"""
import os
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_PACKAGE_SOURCE = _HERE.parent  # python/: holds the uninstalled lakeorm/ folder
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != _PACKAGE_SOURCE]

import pytest  # noqa: E402

import lakeorm  # noqa: E402
from helpers import schema_of  # noqa: E402

REPO = Path(os.environ.get("LAKEORM_SOURCE_DIR") or _HERE.parents[1]).resolve()
EXAMPLES = REPO / "examples"


def pytest_configure(config):
    if not (EXAMPLES / "users.schema.json").is_file():
        raise pytest.UsageError(f"no lakeorm checkout at {REPO}: set LAKEORM_SOURCE_DIR")


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def users_schema():
    return lakeorm.Schema.load(EXAMPLES / "users.schema.json")


@pytest.fixture(scope="session")
def users_ndjson():
    return (EXAMPLES / "users.ndjson").read_bytes()


@pytest.fixture(scope="session")
def events_schema():
    return lakeorm.Schema.load(REPO / "tests" / "data" / "nested" / "events.schema.json")


@pytest.fixture(scope="session")
def events_ndjson():
    return (REPO / "tests" / "data" / "nested" / "events.ndjson").read_bytes()


@pytest.fixture
def lake(tmp_path):
    """A client on a fresh DuckDB file."""
    with lakeorm.connect(f"duckdb://{tmp_path / 'lake.duckdb'}") as c:
        yield c


@pytest.fixture
def people(lake):
    """A migrated table people(id pk, name, age nullable)."""
    s = schema_of("people", ("id,pk", "int64"), ("name", "string", "required"), ("age,nullable", "int32", "gte=0"))
    lake.migrate(s)
    return s
