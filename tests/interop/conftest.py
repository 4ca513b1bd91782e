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
