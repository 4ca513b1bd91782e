# SPDX-License-Identifier: MIT
"""An HTTP proxy in front of the S3 test server that misbehaves on purpose.

Usage: fault_proxy.py PORT UPSTREAM MODE
  MODE  storm:N   the first N requests get 503 SlowDown, then all pass
        storm:all every request gets 503
        slow:S    every request waits S seconds before it is forwarded
        cut:B     a request whose body exceeds B bytes has its connection
                  closed after B bytes (a server dying mid-upload); others pass
Requests are forwarded byte for byte (Host included, so signatures hold).
Ready once it accepts connections. Standard library only.
"""
import http.client
import http.server
import socket
import sys
import threading
import time

PORT, UPSTREAM, MODE = int(sys.argv[1]), sys.argv[2].replace("http://", ""), sys.argv[3]
kind, _, arg = MODE.partition(":")
lock = threading.Lock()
served = 0
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        global served
        with lock:
            served += 1
            n = served
        length = int(self.headers.get("Content-Length") or 0)
        if kind == "cut" and length > int(arg):
            self.rfile.read(int(arg))
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        if kind == "storm" and (arg == "all" or n <= int(arg)):
            payload = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                       b'<Message>Please reduce your request rate.</Message><RequestId>proxy-%d</RequestId></Error>' % n)
            self.send_response(503)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if kind == "slow":
            time.sleep(float(arg))
        conn = http.client.HTTPConnection(UPSTREAM, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
server.serve_forever()
