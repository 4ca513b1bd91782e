# SPDX-License-Identifier: MIT
"""The Databricks Files API over a local folder standing for Unity Catalog volumes, for server.py.

/Volumes/<catalog>/<schema>/<volume>/<path> is <root>/<catalog>/<schema>/<volume>/<path>; every volume
exists (made on first use). Reproduced, from docs.databricks.com/api/workspace/files/...:
- upload: PUT /api/2.0/fs/files{path}?overwrite=true|false, the body is the file (raw bytes, at most 5 GiB);
  no response body. overwrite=false on an existing file: 409 ALREADY_EXISTS.
- download: GET /api/2.0/fs/files{path} -> the bytes (application/octet-stream); getmetadata: HEAD the same
  -> Content-Length, Content-Type, Last-Modified, no body.
- delete: DELETE /api/2.0/fs/files{path}.
- listdirectorycontents: GET /api/2.0/fs/directories{path}?page_size=&page_token= -> {contents: [{path,
  is_directory, file_size, last_modified (ms), name}], next_page_token} while more entries follow; the token
  is opaque and only valid with the same other parameters. page_size at most 1000 (larger is coerced).
- createdirectory: PUT /api/2.0/fs/directories{path} makes its missing parents too (mkdir -p).
- deletedirectory: DELETE /api/2.0/fs/directories{path} deletes an empty directory only.
- Missing paths: 404 RESOURCE_DOES_NOT_EXIST. Paths are percent-encoded in the URL.
Deliberately different / chosen where the reference says nothing:
- An upload whose parent directory is missing is refused with 404 RESOURCE_DOES_NOT_EXIST (the reference does
  not say whether uploads make parents; refusing exercises a client's create-then-retry).
- A non-empty directory's deletion: 409 DIRECTORY_NOT_EMPTY (the reference names no status).
- Pages hold at most --page-size entries (server option) so that tests see several; entries are sorted by name.
- A path with an empty, "." or ".." segment, or outside /Volumes/<c>/<s>/<v>: 400 INVALID_PARAMETER_VALUE.
"""
import base64, email.utils, os, re, tempfile
from urllib.parse import parse_qs, unquote

UPLOAD_LIMIT = 5 << 30
COUNTERS = ("files_put", "files_got", "files_deleted", "directory_pages", "directories_made", "directories_deleted")


class Volumes:
    def __init__(self, root, page_size, error):
        self.root, self.page_size, self.error = os.path.abspath(root), page_size, error

    def local(self, path, file):
        """The local path of a /Volumes path; file: it names a file, so it is below the volume itself."""
        parts = path.split("/")
        if path[:9] != "/Volumes/" or any(p in ("", ".", "..") for p in parts[1:]) or len(parts) < (6 if file else 5):
            raise self.error(400, "INVALID_PARAMETER_VALUE", f"'{path}' is not a path in a Unity Catalog volume")
        os.makedirs(os.path.join(self.root, *parts[2:5]), exist_ok=True)
        return os.path.join(self.root, *parts[2:])

    def missing(self, path):
        return self.error(404, "RESOURCE_DOES_NOT_EXIST", f"The file or directory '{path}' does not exist.")

    def sql_paths(self, text):
        """A statement's /Volumes paths (quoted, optionally dbfs:) as local ones: Spark has no volumes."""
        return re.sub(r"(?<=[`'\"])(?:dbfs:)?/Volumes/", lambda _: self.root + "/", text)

    def route(self, method, path, query, body, count):
        """(status, payload, content type, headers) of a Files API request; path is still percent-encoded."""
        m = re.fullmatch(r"/api/2\.0/fs/(files|directories)(/.*)", path)
        if not m:
            return None
        kind, vpath = m.group(1), unquote(m.group(2))
        q = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if kind == "files":
            return self.file(method, vpath, q, body, count)
        return self.directory(method, vpath.rstrip("/") or "/", q, count)

    def file(self, method, vpath, q, body, count):
        local = self.local(vpath, True)
        if method == "PUT":
            if len(body) > UPLOAD_LIMIT:
                raise self.error(413, "INVALID_PARAMETER_VALUE", "A file uploaded in one request is at most 5 GiB")
            if not os.path.isdir(os.path.dirname(local)):
                raise self.missing(os.path.dirname(vpath))
            if os.path.isdir(local):
                raise self.error(409, "ALREADY_EXISTS", f"'{vpath}' is a directory")
            if q.get("overwrite", "true") == "false" and os.path.exists(local):
                raise self.error(409, "ALREADY_EXISTS", f"The file '{vpath}' already exists.")
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(local), prefix=".upload-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, local)  # a reader sees the old file or the new one
            count("files_put")
            return 204, b"", None, ()
        if not os.path.isfile(local):
            raise self.missing(vpath)
        if method == "DELETE":
            os.remove(local)
            count("files_deleted")
            return 204, b"", None, ()
        st = os.stat(local)
        headers = (("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True)),)
        if method == "HEAD":
            return 200, None, "application/octet-stream", headers + (("Content-Length", str(st.st_size)),)
        if method == "GET":
            count("files_got")
            with open(local, "rb") as fh:
                return 200, fh.read(), "application/octet-stream", headers
        raise self.error(405, "METHOD_NOT_ALLOWED", f"{method} is not a Files API method for files")

    def directory(self, method, vpath, q, count):
        local = self.local(vpath, False)
        if method == "PUT":
            if os.path.isfile(local):
                raise self.error(409, "RESOURCE_ALREADY_EXISTS", f"'{vpath}' is a file")
            os.makedirs(local, exist_ok=True)
            count("directories_made")
            return 204, b"", None, ()
        if not os.path.isdir(local):
            raise self.missing(vpath)
        names = sorted(n for n in os.listdir(local) if not n.startswith(".upload-"))
        if method == "DELETE":
            if len(vpath.split("/")) < 6:
                raise self.error(400, "INVALID_PARAMETER_VALUE", "A volume's root directory cannot be deleted")
            if names:
                raise self.error(409, "DIRECTORY_NOT_EMPTY", f"The directory '{vpath}' is not empty.")
            os.rmdir(local)
            count("directories_deleted")
            return 204, b"", None, ()
        if method != "GET":
            raise self.error(405, "METHOD_NOT_ALLOWED", f"{method} is not a Files API method for directories")
        size = min(int(q.get("page_size") or 1000), 1000, self.page_size)
        after = ""
        if q.get("page_token"):
            try:
                after = base64.urlsafe_b64decode(q["page_token"].encode()).decode()
            except ValueError:
                raise self.error(400, "INVALID_PARAMETER_VALUE", "Invalid page_token")
        rest = [n for n in names if n > after]
        page, out = rest[:size], {}
        contents = []
        for n in page:
            p = os.path.join(local, n)
            st = os.stat(p)
            e = {"path": f"{vpath}/{n}", "is_directory": os.path.isdir(p), "name": n,
                 "last_modified": int(st.st_mtime * 1000)}
            if not e["is_directory"]:
                e["file_size"] = st.st_size
            contents.append(e)
        if contents:
            out["contents"] = contents
        if len(rest) > size:
            out["next_page_token"] = base64.urlsafe_b64encode(page[-1].encode()).decode()
        count("directory_pages")
        return 200, out, "application/json", ()
