# SPDX-License-Identifier: MIT
"""A proxy before an Iceberg REST catalog server that vends storage
credentials, as Polaris, Unity, Glue and Lakekeeper do and Iceberg's own
RESTCatalogServer does not: every request passes through unchanged, and the
answer to a table load (GET .../tables/<name>) or create (POST .../tables)
asked with `X-Iceberg-Access-Delegation: vended-credentials` gets the
properties given, as the LoadTableResult's "config" or its
"storage-credentials" (a list of {prefix, config}). Standard library only.
"""
import http.client
import http.server
import json
import re
import threading
from urllib.parse import urlsplit

LOAD = re.compile(r"/v1/(.+/)?namespaces/[^/]+/tables/[^/?]+$")
CREATE = re.compile(r"/v1/(.+/)?namespaces/[^/]+/tables$")


class VendingProxy:
    """config: a dict for "config", or None; credentials: a list of
    {"prefix", "config"} for "storage-credentials", or None. Counts the
    table answers asked to vend (asked) and those it changed (vended)."""

    def __init__(self, upstream, config=None, credentials=None):
        up = urlsplit(upstream)
        self.config, self.credentials = config, credentials
        self.asked = self.vended = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                con = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "accept-encoding")}
                con.request(self.command, self.path, body=body or None, headers=headers)
                resp = con.getresponse()
                data = resp.read()
                con.close()
                path = urlsplit(self.path).path
                table = (self.command == "GET" and LOAD.search(path)) or (self.command == "POST" and CREATE.search(path))
                asked = self.headers.get("X-Iceberg-Access-Delegation") == "vended-credentials"
                if table and asked:
                    proxy.asked += 1
                if table and asked and resp.status == 200 and (proxy.config or proxy.credentials):
                    answer = json.loads(data)
                    if proxy.config:
                        answer["config"] = {**answer.get("config", {}), **proxy.config}
                    if proxy.credentials:
                        answer["storage-credentials"] = proxy.credentials
                    data = json.dumps(answer).encode()
                    proxy.vended += 1
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_HEAD = do_DELETE = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
