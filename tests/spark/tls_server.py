# SPDX-License-Identifier: MIT
"""A TLS gRPC endpoint that answers Spark Connect's AnalyzePlan with a Spark
version and records the metadata of every call: what Databricks Connect (or
any TLS Spark Connect endpoint behind a token) sees from lakeorm.

Usage: tls_server.py CERT KEY PORT_FILE METADATA_FILE
Writes the port it listens on (loopback) to PORT_FILE, then serves until
killed; each call appends "key: value" lines and a blank line to METADATA_FILE.
"""
import sys
from concurrent import futures

import grpc

VERSION = b"4.0.1-tls-test"


def analyze_response():
    # AnalyzePlanResponse{ spark_version (8) { version (1) } }
    inner = b"\x0a" + bytes([len(VERSION)]) + VERSION
    return b"\x42" + bytes([len(inner)]) + inner


def main():
    cert, key, port_file, metadata_file = sys.argv[1:5]

    def analyze(request, context):
        with open(metadata_file, "a") as f:
            for k, v in context.invocation_metadata():
                f.write(f"{k}: {v}\n")
            f.write("\n")
        return analyze_response()

    handler = grpc.method_handlers_generic_handler("spark.connect.SparkConnectService", {
        "AnalyzePlan": grpc.unary_unary_rpc_method_handler(analyze),  # raw bytes in and out
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers((handler,))
    creds = grpc.ssl_server_credentials([(open(key, "rb").read(), open(cert, "rb").read())])
    port = server.add_secure_port("127.0.0.1:0", creds)
    server.start()
    with open(port_file, "w") as f:
        f.write(str(port))
    server.wait_for_termination()


if __name__ == "__main__":
    main()
