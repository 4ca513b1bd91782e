# SPDX-License-Identifier: MIT
"""lakeorm's Avro container files against fastavro, an independent reader
and writer (tests/unit/avro/test_avro.c drives it):

  read FILE EXPECTED.json   fastavro reads FILE (lakeorm wrote it): every
                            record equals EXPECTED's, the metadata holds
                            EXPECTED's, the schema keeps its field ids
  write FILE CODEC N        fastavro writes N manifest-like records with CODEC
                            (null, deflate, zstandard) in blocks of 100, for
                            lakeorm to read back (the values are make(i))

Runs in the project's .venv Python (fastavro).
"""
import json
import sys

import fastavro

SCHEMA = {
    "type": "record", "name": "manifest_entry", "fields": [
        {"name": "status", "type": "int", "field-id": 0},
        {"name": "snapshot_id", "type": ["null", "long"], "default": None, "field-id": 1},
        {"name": "data_file", "field-id": 2, "type": {
            "type": "record", "name": "r2", "fields": [
                {"name": "file_path", "type": "string", "field-id": 100},
                {"name": "file_format", "type": "string", "field-id": 101},
                {"name": "record_count", "type": "long", "field-id": 103},
                {"name": "value_counts", "field-id": 109, "type": ["null", {
                    "type": "array", "logicalType": "map", "items": {
                        "type": "record", "name": "k119_v120", "fields": [
                            {"name": "key", "type": "int", "field-id": 119},
                            {"name": "value", "type": "long", "field-id": 120}]}}], "default": None},
                {"name": "lower_bounds", "field-id": 125, "type": ["null", {
                    "type": "map", "values": "bytes", "key-id": 126, "value-id": 127}], "default": None},
                {"name": "split_offsets", "field-id": 132,
                 "type": ["null", {"type": "array", "items": "long", "element-id": 133}], "default": None},
                {"name": "key_metadata", "type": ["null", {"type": "fixed", "name": "f16", "size": 16}],
                 "default": None, "field-id": 131},
                {"name": "kind", "type": {"type": "enum", "name": "kind", "symbols": ["DATA", "DELETES"]},
                 "field-id": 134},
                {"name": "ratio", "type": "float", "field-id": 135},
                {"name": "score", "type": "double", "field-id": 136},
                {"name": "live", "type": "boolean", "field-id": 137}]}}]}


def make(i):
    """The record number i, as both sides build it."""
    return {
        "status": i % 3,
        "snapshot_id": None if i % 4 == 0 else 3051729675574597004 + i,
        "data_file": {
            "file_path": f"s3://bucket/data/part-{i:05d}-caf\u00e9.parquet",
            "file_format": "PARQUET",
            "record_count": i * 1000 - 7,
            "value_counts": None if i % 5 == 0 else [{"key": k, "value": k * i} for k in range(1, 1 + i % 4)],
            "lower_bounds": None if i % 6 == 0 else {f"{k}": bytes([k, i % 256]) for k in range(i % 3)},
            "split_offsets": None if i % 2 else [4, 4 + i, -i],
            "key_metadata": None if i % 7 else bytes(range(16)),
            "kind": "DELETES" if i % 9 == 0 else "DATA",
            "ratio": 0.5 * (i % 8),
            "score": -1.25e300 if i == 3 else i / 3,
            "live": i % 2 == 0,
        },
    }


def normal(v):
    """Comparable form: bytes as lists, floats exact."""
    if isinstance(v, dict):
        return {k: normal(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normal(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return list(v)
    return v


def main():
    mode = sys.argv[1]
    if mode == "schema":
        print(json.dumps(SCHEMA))
    elif mode == "read":
        path, expected_path = sys.argv[2], sys.argv[3]
        with open(expected_path) as f:
            expected = json.load(f)
        with open(path, "rb") as f:
            reader = fastavro.reader(f)
            records = [normal(r) for r in reader]
            meta = reader.metadata
            schema = json.loads(meta["avro.schema"])
        assert len(records) == expected["count"], (len(records), expected["count"])
        for i, r in enumerate(records):
            want = normal(make(i))
            assert r == want, (i, r, want)
        for k, v in expected["metadata"].items():
            assert meta.get(k) == v, (k, meta.get(k), v)
        assert meta.get("avro.codec", "null") == expected["codec"], meta.get("avro.codec")
        assert schema["fields"][2]["field-id"] == 2 and schema["fields"][2]["type"]["fields"][4]["type"][1]["key-id"] == 126
        print(f"fastavro read {len(records)} records ({expected['codec']})")
    elif mode == "write":
        path, codec, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
        with open(path, "wb") as f:
            fastavro.writer(f, fastavro.parse_schema(SCHEMA), (make(i) for i in range(n)), codec=codec,
                            sync_interval=2000, metadata={"format-version": "2", "content": "data"})
    else:
        sys.exit("unknown mode " + mode)


main()
