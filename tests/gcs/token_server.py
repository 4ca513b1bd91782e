# SPDX-License-Identifier: MIT
"""An OAuth2 token endpoint that checks a service-account JWT the way Google
does, for the GCS tests (no Google endpoint is reachable here).

Usage: token_server.py PORT PUBLIC_KEY_PEM CLIENT_EMAIL
POST /token: form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and
assertion=<JWT>; the RS256 signature is checked with `openssl dgst -verify`,
then alg, iss, aud, scope and exp. Answers {"access_token":"tok-lakeorm-1",
"expires_in":3600} or 400 {"error":"invalid_grant"}.
GET /storage/v1/b/lake/o: 200 with an empty listing when the request carries
"Authorization: Bearer tok-lakeorm-1", 401 otherwise. Standard library only.
"""
import base64
import http.server
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse

PORT, PUBLIC_KEY, EMAIL = int(sys.argv[1]), sys.argv[2], sys.argv[3]
TOKEN = "tok-lakeorm-1"


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(jwt):
    head, claims, sig = jwt.split(".")
    with tempfile.NamedTemporaryFile() as data, tempfile.NamedTemporaryFile() as signature:
        data.write(f"{head}.{claims}".encode())
        data.flush()
        signature.write(b64url(sig))
        signature.flush()
        ok = subprocess.run(["openssl", "dgst", "-sha256", "-verify", PUBLIC_KEY, "-signature", signature.name, data.name],
                            capture_output=True).returncode == 0
    header, body = json.loads(b64url(head)), json.loads(b64url(claims))
    now = time.time()
    return (ok and header.get("alg") == "RS256" and body.get("iss") == EMAIL
            and body.get("aud") == f"http://127.0.0.1:{PORT}/token"
            and "devstorage" in body.get("scope", "") and body["iat"] <= now + 60 < body["exp"] + 60)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        good = (self.path == "/token" and form.get("grant_type") == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
                and verify(form.get("assertion", [".."])[0]))
        self.answer(200, {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}) if good \
            else self.answer(400, {"error": "invalid_grant"})

    def do_GET(self):
        if self.headers.get("Authorization") == f"Bearer {TOKEN}":
            self.answer(200, {"kind": "storage#objects"})
        else:
            self.answer(401, {"error": {"code": 401, "message": "Anonymous caller does not have storage.objects.list access"}})


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
