# SPDX-License-Identifier: MIT
"""Proxies before an Iceberg REST catalog server, for what the real server
does not do on its own: RestProxy passes every request on and lets a hook
change the answer; VendingProxy vends storage credentials, as Polaris,
Unity, Glue and Lakekeeper do and Iceberg's RESTCatalogServer does not: the
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
HOP_BY_HOP = ("transfer-encoding", "connection", "content-length")


class RestProxy:
    """Serves on loopback (self.url) and forwards to upstream; answer(method,
    path, request_headers, status, headers, body) returns the (status,
    headers, body) to send back."""

    def __init__(self, upstream, answer):
        up = urlsplit(upstream)

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
                kept = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
                status, kept, data = answer(self.command, self.path, self.headers, resp.status, kept, data)
                self.send_response(status)
                for k, v in kept:
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


class VendingProxy(RestProxy):
    """config: a dict for "config", or None; credentials: a list of
    {"prefix", "config"} for "storage-credentials", or None. Counts the
    table answers asked to vend (asked) and those it changed (vended)."""

    def __init__(self, upstream, config=None, credentials=None):
        self.config, self.credentials = config, credentials
        self.asked = self.vended = 0
        super().__init__(upstream, self.vend)

    def vend(self, method, path, request_headers, status, headers, data):
        path = urlsplit(path).path
        table = (method == "GET" and LOAD.search(path)) or (method == "POST" and CREATE.search(path))
        asked = request_headers.get("X-Iceberg-Access-Delegation") == "vended-credentials"
        if table and asked:
            self.asked += 1
        if table and asked and status == 200 and (self.config or self.credentials):
            answer = json.loads(data)
            if self.config:
                answer["config"] = {**answer.get("config", {}), **self.config}
            if self.credentials:
                answer["storage-credentials"] = self.credentials
            data = json.dumps(answer).encode()
            self.vended += 1
        return status, headers, data
