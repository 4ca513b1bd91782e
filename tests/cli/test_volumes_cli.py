# SPDX-License-Identifier: MIT
"""`lakeorm cleanup-staging --url` over a Unity Catalog volume: a Databricks
warehouse URL whose staging is /Volumes/..., served by the fake workspace's
Files API (tests/databricks/server.py --volumes, without Spark). What a crashed
insert left is removed, folders included, what is young or not lakeorm's
stays; a wrong token is refused with the workspace's words.

  test_volumes_cli.py LAKEORM EXAMPLES PYTHON SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import time

from clitest import case, finish, run

PYTHON, SOURCE = sys.argv[3], sys.argv[4]
TOKEN = "dapi-test"
OLD = "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"  # a UUIDv7 of 2024


def young():
    """A UUIDv7 of now, as an insert under way names its folder."""
    ms = int(time.time() * 1000)
    h = f"{ms:012x}"
    return f"{h[:8]}-{h[8:]}-7000-8000-000000000001"


def start(folder):
    port_file = os.path.join(folder, "port")
    server = subprocess.Popen([PYTHON, os.path.join(SOURCE, "tests/databricks/server.py"), "--port-file", port_file,
                               "--pat", TOKEN, "--volumes", os.path.join(folder, "volumes"), "--page-size", "2"])
    for _ in range(300):
        if os.path.exists(port_file) or server.poll() is not None:
            break
        time.sleep(0.1)
    assert os.path.exists(port_file), "the Databricks fake did not start"
    with open(port_file) as f:
        return server, int(f.read())


def put(folder, key, data=b"PAR1"):
    path = os.path.join(folder, "volumes", "main", "lake", "stage", key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


@case
def cleanup_staging_over_a_volume(d):
    server, port = start(d)
    try:
        url = f"http://127.0.0.1:{port}/sql/1.0/warehouses/wh-test?staging=/Volumes/main/lake/stage"
        fresh = young()
        for n in range(3):
            put(d, f"_staging/{OLD}/part-{n:05d}.parquet")
        put(d, f"_staging/{fresh}/part-00000.parquet")
        put(d, "_staging/not-an-ingest/part-00000.parquet")
        code, out, err = run("cleanup-staging", "--url", url, "--older-than", "1h", "--json",
                             env={"DATABRICKS_TOKEN": TOKEN})
        assert code == 1, (code, out, err)  # the foreign folder is reported and left
        assert json.loads(out) == {"scanned": 3, "deleted": 1, "failed": 1, "objects": 3}, out
        staging = os.path.join(d, "volumes", "main", "lake", "stage", "_staging")
        assert sorted(os.listdir(staging)) == sorted([fresh, "not-an-ingest"]), os.listdir(staging)

        code, out, err = run("cleanup-staging", "--url", url, "--json", env={"DATABRICKS_TOKEN": "dapi-wrong"})
        assert code != 0 and out == "", (code, out, err)
        assert "HTTP 401 UNAUTHENTICATED" in err and "check the token" in err, err
        assert "dapi-wrong" not in err, err
    finally:
        server.terminate()
        server.wait()


finish()
