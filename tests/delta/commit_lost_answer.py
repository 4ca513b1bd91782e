# SPDX-License-Identifier: MIT
"""A proxy in front of the S3 test server that loses one answer: the first
PUT of a Delta log entry (a key under _delta_log/ ending in .json) reaches
the server, which stores it, and the client is told 500 InternalError, as
a store whose reply was lost on the way. The client's retry then finds the
entry taken by its own first try. Everything else passes through.

Usage: commit_lost_answer.py UPSTREAM
Listens on a free port of 127.0.0.1 and prints "PORT PID" once ready.
Standard library only.
"""
import http.client
import http.server
import os
import sys
import threading

UPSTREAM = sys.argv[1].replace("http://", "")
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
lost = threading.Event()


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        upstream = http.client.HTTPConnection(UPSTREAM, timeout=60)
        upstream.request(self.command, self.path, body=body,
                         headers={k: v for k, v in self.headers.items() if k.lower() not in HOP})
        reply = upstream.getresponse()
        data = reply.read()
        upstream.close()
        path = self.path.split("?")[0]
        if (self.command == "PUT" and "/_delta_log/" in path and path.endswith(".json") and reply.status == 200
                and not lost.is_set()):
            lost.set()
            error = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code></Error>"
            self.answer(500, [("Content-Type", "application/xml")], error)
            return
        self.answer(reply.status, reply.getheaders(), data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
server.daemon_threads = True
print(server.server_address[1], os.getpid(), flush=True)
server.serve_forever()
