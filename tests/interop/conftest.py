# SPDX-License-Identifier: MIT
import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--tools", required=True, help="folder holding the interop test tools")


@pytest.fixture(scope="session")
def tools(request):
    return request.config.getoption("--tools")


@pytest.fixture(scope="session")
def tool(tools):
    return lambda name: os.path.join(tools, name)


@pytest.fixture(scope="session")
def spark():
    """A Spark Connect session on the suite's server (tests/spark/server.sh),
    or None when the run has none (LAKE_TEST_SPARK_PORT unset)."""
    port = os.environ.get("LAKE_TEST_SPARK_PORT")
    skipped = os.path.join(os.environ.get("LAKE_TEST_SPARK_STATE", ""), "skipped")
    if not port or os.path.exists(skipped):  # no Java: tests/spark/server.sh said so loudly
        yield None
        return
    from pyspark.sql import SparkSession

    session = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").getOrCreate()
    yield session
    session.stop()
