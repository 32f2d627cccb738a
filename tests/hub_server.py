"""A local stand-in for the Hugging Face Hub HTTP API (stdlib only).

``HubStandIn`` serves in-memory repositories over plain HTTP on 127.0.0.1 so that
the *real* ``huggingface_hub`` client (checked against 2.4.0) can download and
upload files without any network access::

    with HubStandIn() as hub:
        sha = hub.add_folder("user/model", "path/to/folder", message="v1")
        path = hf_hub_download("user/model", "config.json", revision=sha,
                               cache_dir=tmp, endpoint=hub.url)

API
---
``HubStandIn()``                      context manager (``start()`` / ``stop()``)
``start()``                           bind 127.0.0.1 on a free port, serve in a daemon thread
``stop()``                            shut down and close the socket (then connections are refused)
``url``                               ``"http://127.0.0.1:PORT"``
``create_repo(repo_id)``              create an empty repo (no commit yet)
``add_folder(repo_id, folder, message="upload")``
                                      commit every file of ``folder`` (recursively, posix
                                      relative paths) on top of ``main``; returns the commit sha
``add_files(repo_id, {path: bytes}, message="upload")``  same, from a dict
``head(repo_id, branch="main")``      current commit sha of a branch (``None`` if no commit)
``commit_tree(repo_id, sha)``         ``{path: bytes}`` snapshot of a commit
``commit_sha(parent, message, files)``  static; the id rule below
``tamper(repo_id, filename, data)``   serve ``data`` instead of the committed bytes, at every
                                      revision (``data=None`` undoes it)
``fail_commits(repo_id, status=500, times=1)``
                                      the next ``times`` commit POSTs to the repo answer
                                      ``status`` (an upload failing midway, after its preupload)
``requests`` / ``clear_requests()``   every ``(method, raw_path_without_query)`` received
``use_as_default(monkeypatch)``       point ``huggingface_hub`` (already imported) at this server

Commits and revisions
---------------------
Commits stack on the branch ``main``; a commit's file tree is its parent's tree plus
the committed files (deletions only through the HTTP commit API).  Commit ids are
deterministic::

    sha1( parent + "\\0" + message + "\\0" + "".join(f"{path}\\0{sha256(bytes)}\\n"
                                                   for path in sorted(full_tree)) )

where ``parent`` is ``""`` for the first commit and the list covers the *full* tree
of the new commit (not only the changed files), so ``add_folder`` and
``HfApi.upload_folder`` of the same folder on the same parent with the same message
give the same id.  Every past commit sha and ``"main"`` are valid revisions.

Endpoints served (``{t}`` = models/datasets/spaces)
---------------------------------------------------
* ``HEAD|GET /{repo}/resolve/{rev}/{file}`` (``/datasets/{repo}/...`` etc. too):
  ``X-Repo-Commit``, ``ETag`` = quoted git blob sha1 of the served bytes (like a
  regular, non-LFS file on the Hub), ``Content-Length``; single ``Range: bytes=a-b``
  honoured.  No ``X-Xet-*`` / ``Link`` headers, so the client uses plain HTTP even
  with ``hf_xet`` installed.  Errors are 404 with ``X-Error-Code`` ``RepoNotFound`` /
  ``RevisionNotFound`` / ``EntryNotFound`` (the last one with ``X-Repo-Commit``),
  which the client turns into ``RepositoryNotFoundError`` / ``RevisionNotFoundError``
  / ``RemoteEntryNotFoundError`` (a subclass of ``EntryNotFoundError``).
* ``GET /api/{t}/{repo}`` and ``/api/{t}/{repo}/revision/{rev}`` (``repo_info``:
  ``id``, ``sha``, ``siblings``).
* ``GET /api/{t}/{repo}/tree/{rev}[/{path}]`` (``list_repo_files`` / ``list_repo_tree``,
  ``recursive`` honoured, no pagination).
* ``POST /api/repos/create`` (409 with a ``url`` body when it exists, which
  ``create_repo(exist_ok=True)`` needs), ``POST /api/validate-yaml`` (always valid;
  sent for a ``README.md``), ``POST /api/{t}/{repo}/preupload/{rev}`` (answers
  ``uploadMode: "regular"`` for every file, plus the current blob ``oid`` so that the
  client drops unchanged files), ``POST /api/{t}/{repo}/commit/{rev}`` (ndjson:
  ``header``, ``file`` base64, ``deletedFile``, ``deletedFolder``; ``lfsFile`` is
  rejected with 400, ``parentCommit`` mismatch gives 412; only branch revisions).
  The 2.4.0 client never forces LFS by size or extension: the upload mode comes only
  from the preupload answer (empty files are always "regular"), so no LFS/xet
  upload path is needed.  With ``hf_xet`` installed, ``upload_folder`` goes through
  the pipelined uploader (``_upload_pipeline.py``: same preupload/commit calls, but
  batches of at most 256 files per commit, later ones titled "<message> (part N)",
  and the returned ``oid`` is the last commit); patching
  ``huggingface_hub.constants.HF_HUB_DISABLE_XET = True`` selects the classic
  single-commit ``create_commit`` path.  Both are served.
* Anything else is a plain 404 (no error code).  Note that the first
  ``build_hf_headers`` of a process (to detect "AI agent" harnesses for the
  user-agent) does ``GET {constants.ENDPOINT}/api/agent-harnesses`` unless a fresh
  copy is cached under ``HF_HOME``; it then shows up in ``requests`` once.  The 404
  makes the client fall back to an empty registry without writing anything.

Pointing huggingface_hub 2.4.0 at the stand-in
----------------------------------------------
``huggingface_hub.constants`` reads ``HF_ENDPOINT`` (and ``HF_HUB_OFFLINE``,
``HF_HUB_DISABLE_XET``...) once, **at import**.  Three mechanisms work:

1. Environment variable ``HF_ENDPOINT=<hub.url>`` set *before* ``huggingface_hub`` is
   imported (i.e. in a subprocess, or before anything - keras included - imports
   it).  Then every default resolves to the stand-in.
2. Per call: ``hf_hub_download(..., endpoint=hub.url)`` and
   ``HfApi(endpoint=hub.url)``.
3. At runtime in an already-imported process: patch **both**
   ``huggingface_hub.constants.ENDPOINT`` and
   ``huggingface_hub.constants.HUGGINGFACE_CO_URL_TEMPLATE`` (``hub.url +
   "/{repo_id}/resolve/{revision}/{filename}"``); ``use_as_default(monkeypatch)``
   does exactly that (and sets ``HF_ENDPOINT`` for subprocesses).  Patching
   ``ENDPOINT`` alone is NOT enough: ``hf_hub_url`` builds download URLs from
   ``HUGGINGFACE_CO_URL_TEMPLATE``, frozen at import, and only rewrites it when an
   explicit ``endpoint=`` is passed, so ``hf_hub_download(..., endpoint=None)`` would
   still go to https://huggingface.co.  ``HfApi()`` (no endpoint) reads
   ``constants.ENDPOINT`` when constructed, so it follows the patch.

Offline mode at runtime: ``constants.is_offline_mode()`` returns the module global
``constants.HF_HUB_OFFLINE`` at call time, and every HTTP request of the shared
client goes through a hook that raises ``OfflineModeIsEnabled`` when it is true, so
``monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)`` switches
offline mode on (cached files are served from ``refs/<branch>`` / ``snapshots``, no
request is sent).  Setting the ``HF_HUB_OFFLINE`` env var only works before import.
``local_files_only=True`` is the per-call equivalent.

A download with ``revision=<40-hex commit sha>`` whose file is already in the cache
returns the snapshot path before any HTTP request is made (not even a HEAD).
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["HubStandIn", "git_blob_sha1"]

_REPO_TYPES = {"model": "models", "dataset": "datasets", "space": "spaces"}
_URL_PREFIX_TO_TYPE = {"datasets": "dataset", "spaces": "space"}
_API_TYPE_TO_TYPE = {v: k for k, v in _REPO_TYPES.items()}
_API_KEYWORDS = {"revision", "tree", "preupload", "commit"}
_HEX = set("0123456789abcdef")


def git_blob_sha1(data: bytes) -> str:
    """Git blob id of ``data`` (what the Hub uses as ETag/oid of a regular file)."""
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def _is_sha(rev: str) -> bool:
    return len(rev) == 40 and set(rev) <= _HEX


class _HubError(Exception):
    def __init__(self, status, message, code=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


class _Commit:
    __slots__ = ("message", "parent", "sha", "tree")

    def __init__(self, sha, parent, message, tree):
        self.sha = sha
        self.parent = parent
        self.message = message
        self.tree = tree  # {path: bytes}, full snapshot


class _Repo:
    def __init__(self, repo_type, repo_id):
        self.repo_type = repo_type
        self.repo_id = repo_id
        self.commits: dict[str, _Commit] = {}
        self.branches: dict[str, str | None] = {"main": None}


class HubStandIn:
    """In-memory Hugging Face Hub stand-in served on 127.0.0.1 (see module docstring)."""

    def __init__(self):
        self._lock = threading.RLock()
        self._repos: dict[tuple[str, str], _Repo] = {}
        self._tampered: dict[tuple[str, str, str], bytes] = {}
        # (type, repo, file) -> [GETs left to cut, bytes sent before the cut]
        self._drops: dict[tuple[str, str, str], list] = {}
        self._slow: dict[tuple[str, str, str], float] = {}  # seconds before a body
        self._commit_faults: dict[tuple[str, str], list] = {}  # (type, repo) -> [times, status]
        self._requests: list[tuple[str, str]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> HubStandIn:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.hub = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="hub-stand-in",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> HubStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("HubStandIn is not running")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def use_as_default(self, monkeypatch) -> None:
        """Make ``huggingface_hub`` defaults (``endpoint=None``) point here, via pytest's
        ``monkeypatch`` (undone at test teardown).  Works after import; see module docstring."""
        monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", self.url)
        monkeypatch.setattr(
            "huggingface_hub.constants.HUGGINGFACE_CO_URL_TEMPLATE",
            self.url + "/{repo_id}/resolve/{revision}/{filename}",
        )
        monkeypatch.setenv("HF_ENDPOINT", self.url)  # for subprocesses

    # ------------------------------------------------------------------ requests log

    @property
    def requests(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _log(self, method, path):
        with self._lock:
            self._requests.append((method, path))

    # ------------------------------------------------------------------ repo state

    @staticmethod
    def commit_sha(parent: str | None, message: str, files) -> str:
        """Deterministic commit id from the parent id, message and full file tree.

        ``files``: ``{path: bytes}`` or an iterable of ``(path, sha256_hex)``."""
        if isinstance(files, dict):
            entries = [(p, hashlib.sha256(b).hexdigest()) for p, b in files.items()]
        else:
            entries = list(files)
        h = hashlib.sha1()
        h.update((parent or "").encode() + b"\0" + message.encode() + b"\0")
        for path, digest in sorted(entries):
            h.update(f"{path}\0{digest}\n".encode())
        return h.hexdigest()

    def create_repo(self, repo_id: str, repo_type: str = "model") -> bool:
        """Create an empty repo; returns False if it already existed."""
        _check_type(repo_type)
        with self._lock:
            key = (repo_type, repo_id)
            if key in self._repos:
                return False
            self._repos[key] = _Repo(repo_type, repo_id)
            return True

    def add_folder(
        self, repo_id: str, folder, message: str = "upload", repo_type: str = "model"
    ) -> str:
        """Commit every file under ``folder`` to ``main`` (creating the repo if needed)."""
        root = Path(folder)
        if not root.is_dir():
            raise NotADirectoryError(str(root))
        files = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }
        return self.add_files(repo_id, files, message=message, repo_type=repo_type)

    def add_files(
        self, repo_id: str, files: dict, message: str = "upload", repo_type: str = "model"
    ) -> str:
        """Commit ``{path_in_repo: bytes}`` to ``main`` (creating the repo if needed)."""
        _check_type(repo_type)
        with self._lock:
            self.create_repo(repo_id, repo_type)
            repo = self._repos[(repo_type, repo_id)]
            return self._commit(repo, "main", {p: bytes(b) for p, b in files.items()}, [], message)

    def head(self, repo_id: str, branch: str = "main", repo_type: str = "model") -> str | None:
        with self._lock:
            return self._repos[(repo_type, repo_id)].branches[branch]

    def commit_tree(self, repo_id: str, sha: str, repo_type: str = "model") -> dict:
        with self._lock:
            return dict(self._repos[(repo_type, repo_id)].commits[sha].tree)

    def tamper(
        self, repo_id: str, filename: str, data: bytes | None, repo_type: str = "model"
    ) -> None:
        """Serve ``data`` for ``filename`` at every revision from now on (``None`` restores)."""
        with self._lock:
            key = (repo_type, repo_id, filename)
            if data is None:
                self._tampered.pop(key, None)
            else:
                self._tampered[key] = bytes(data)

    def drop_connection(self, repo_id: str, filename: str, after_bytes: int, times: int = 1,
                        repo_type: str = "model") -> None:
        """The next ``times`` GETs of the file send the full Content-Length, then only
        ``after_bytes`` bytes, and close the connection (a network cut mid-file)."""
        with self._lock:
            self._drops[(repo_type, repo_id, filename)] = [times, after_bytes]

    def slow_down(self, repo_id: str, filename: str, seconds: float,
                  repo_type: str = "model") -> None:
        """Wait ``seconds`` before sending the file's body (to make downloads overlap)."""
        with self._lock:
            self._slow[(repo_type, repo_id, filename)] = seconds

    def fail_commits(self, repo_id: str, status: int = 500, times: int = 1,
                     repo_type: str = "model") -> None:
        """The next ``times`` commit POSTs to the repo answer ``status`` with no commit made
        (an upload that fails midway, after its preupload); ``times=0`` undoes it."""
        with self._lock:
            self._commit_faults[(repo_type, repo_id)] = [times, status]

    def _commit_fault(self, repo_type, repo_id):
        """The status this commit POST fails with, or ``None``."""
        with self._lock:
            fault = self._commit_faults.get((repo_type, repo_id))
            if fault and fault[0] > 0:
                fault[0] -= 1
                return fault[1]
            return None

    def _fault(self, repo_type, repo_id, filename):
        """``(bytes to send before cutting, or None; seconds to wait)`` for this GET."""
        with self._lock:
            key = (repo_type, repo_id, filename)
            cut = None
            drop = self._drops.get(key)
            if drop and drop[0] > 0:
                drop[0] -= 1
                cut = drop[1]
            return cut, self._slow.get(key, 0.0)

    def _commit(self, repo, branch, additions, deletions, message, parent_commit=None):
        # caller holds the lock
        parent = repo.branches[branch]
        if parent_commit is not None and parent_commit != parent:
            raise _HubError(412, "A commit has happened since. Please refresh and try again.")
        tree = dict(repo.commits[parent].tree) if parent else {}
        for path, is_folder in deletions:
            if is_folder:
                prefix = path.rstrip("/") + "/"
                doomed = [p for p in tree if p.startswith(prefix)]
                if not doomed:
                    raise _HubError(
                        404, f"A folder with this name doesn't exist: {path}", "EntryNotFound"
                    )
                for p in doomed:
                    del tree[p]
            else:
                if path not in tree:
                    raise _HubError(
                        404, f"A file with this name doesn't exist: {path}", "EntryNotFound"
                    )
                del tree[path]
        tree.update(additions)
        sha = self.commit_sha(parent, message, tree)
        repo.commits[sha] = _Commit(sha, parent, message, tree)
        repo.branches[branch] = sha
        return sha

    def _get_repo(self, repo_type, repo_id):
        repo = self._repos.get((repo_type, repo_id))
        if repo is None:
            raise _HubError(404, "Repository not found", "RepoNotFound")
        return repo

    def _resolve(self, repo, rev, allow_empty=False):
        """Return the commit for ``rev`` (or ``None`` for an empty branch if allowed)."""
        if rev in repo.branches:
            sha = repo.branches[rev]
            if sha is None:
                if allow_empty:
                    return None
                raise _HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")
            return repo.commits[sha]
        if _is_sha(rev) and rev in repo.commits:
            return repo.commits[rev]
        raise _HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")

    def _served(self, repo, commit, path):
        return self._tampered.get((repo.repo_type, repo.repo_id, path), commit.tree[path])

    def _repo_url(self, repo_type, repo_id):
        prefix = "" if repo_type == "model" else _REPO_TYPES[repo_type] + "/"
        return f"{self.url}/{prefix}{repo_id}"


def _check_type(repo_type):
    if repo_type not in _REPO_TYPES:
        raise ValueError(f"unsupported repo_type {repo_type!r}")


def _split_repo(segs):
    """Split ``[ns, name, keyword, ...]`` / ``[name, keyword, ...]`` into (repo_id, rest)."""
    if len(segs) >= 3 and segs[2] in _API_KEYWORDS:
        return "/".join(segs[:2]), segs[2:]
    if len(segs) >= 2 and segs[1] in _API_KEYWORDS:
        return segs[0], segs[1:]
    if len(segs) <= 2:
        return "/".join(segs), []
    return "/".join(segs[:2]), segs[2:]


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so no keep-alive connection survives stop().
    protocol_version = "HTTP/1.0"
    server_version = "HubStandIn/1.0"

    def log_message(self, format, *args):  # silence stderr logging
        pass

    @property
    def hub(self) -> HubStandIn:
        return self.server.hub  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- dispatch

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method):
        parts = urlsplit(self.path)
        raw_path = parts.path
        self.hub._log(method, raw_path)
        self.query = parse_qs(parts.query)
        body = self._read_body() if method in ("POST", "PUT") else b""
        segs = [s for s in raw_path.split("/") if s]
        try:
            if segs[:1] == ["api"]:
                self._api(method, segs[1:], body)
            else:
                self._resolve_file(method, segs)
        except _HubError as e:
            self._send_error(method, e)
        except (ValueError, KeyError, TypeError) as e:
            self._send_error(method, _HubError(400, f"Bad request: {e}"))

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # ---------------------------------------------------------------- responses

    def _send(self, method, status, body=b"", headers=None, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if method != "HEAD" and body:
            self.wfile.write(body)

    def _send_json(self, method, obj, status=200, headers=None):
        self._send(method, status, json.dumps(obj).encode(), headers)

    def _send_error(self, method, err: _HubError):
        headers = dict(err.headers)
        if err.code:
            headers["X-Error-Code"] = err.code
        headers["X-Error-Message"] = err.message.encode("ascii", "replace").decode()
        self._send_json(method, {"error": err.message}, err.status, headers)

    # ---------------------------------------------------------------- /resolve

    def _resolve_file(self, method, segs):
        if method not in ("GET", "HEAD"):
            raise _HubError(404, "Not found")
        repo_type = "model"
        if segs and segs[0] in _URL_PREFIX_TO_TYPE:
            repo_type, segs = _URL_PREFIX_TO_TYPE[segs[0]], segs[1:]
        if len(segs) >= 4 and segs[2] == "resolve":
            repo_id, rest = "/".join(segs[:2]), segs[3:]
        elif len(segs) >= 3 and segs[1] == "resolve":
            repo_id, rest = segs[0], segs[2:]
        else:
            raise _HubError(404, "Not found")
        if len(rest) < 2:
            raise _HubError(404, "Not found")
        rev = unquote(rest[0])
        filename = unquote("/".join(rest[1:]))
        hub = self.hub
        with hub._lock:
            repo = hub._get_repo(repo_type, unquote(repo_id))
            commit = hub._resolve(repo, rev)
            if filename not in commit.tree:
                raise _HubError(
                    404,
                    f"Entry not found: {filename}",
                    "EntryNotFound",
                    {"X-Repo-Commit": commit.sha},
                )
            data = hub._served(repo, commit, filename)
        headers = {
            "X-Repo-Commit": commit.sha,
            "ETag": f'"{git_blob_sha1(data)}"',
            "Accept-Ranges": "bytes",
        }
        status, payload = 200, data
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and "," not in rng:
            start_s, _, end_s = rng[len("bytes=") :].partition("-")
            try:
                if start_s:
                    start = int(start_s)
                    end = int(end_s) if end_s else len(data) - 1
                else:  # suffix range
                    start, end = max(len(data) - int(end_s), 0), len(data) - 1
            except ValueError:
                start = end = None
            if start is not None:
                end = min(end, len(data) - 1)
                if start > end:
                    headers["Content-Range"] = f"bytes */{len(data)}"
                    self._send(method, 416, b"", headers, "application/octet-stream")
                    return
                status, payload = 206, data[start : end + 1]
                headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        if method == "GET":
            cut, wait = hub._fault(repo_type, unquote(repo_id), filename)
            if wait:
                time.sleep(wait)
            if cut is not None and cut < len(payload):
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload[:cut])
                self.wfile.flush()
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
        self._send(method, status, payload, headers, "application/octet-stream")

    # ---------------------------------------------------------------- /api

    def _api(self, method, segs, body):
        if segs == ["repos", "create"] and method == "POST":
            return self._create_repo(method, body)
        if segs == ["validate-yaml"] and method == "POST":
            return self._send_json(method, {"errors": [], "warnings": []})
        if not segs or segs[0] not in _API_TYPE_TO_TYPE:
            raise _HubError(404, "Not found")
        repo_type = _API_TYPE_TO_TYPE[segs[0]]
        repo_id, rest = _split_repo(segs[1:])
        repo_id = unquote(repo_id)
        if not repo_id:
            raise _HubError(404, "Not found")
        kind = rest[0] if rest else None
        hub = self.hub
        with hub._lock:
            repo = hub._get_repo(repo_type, repo_id)
            if kind is None and method == "GET":
                return self._info(method, repo, "main")
            if kind == "revision" and method == "GET" and len(rest) == 2:
                return self._info(method, repo, unquote(rest[1]))
            if kind == "tree" and method == "GET" and len(rest) >= 2:
                return self._tree(method, repo, unquote(rest[1]), unquote("/".join(rest[2:])))
            if kind == "preupload" and method == "POST" and len(rest) == 2:
                return self._preupload(method, repo, unquote(rest[1]), body)
            if kind == "commit" and method == "POST" and len(rest) == 2:
                return self._commit(method, repo, unquote(rest[1]), body)
        raise _HubError(404, "Not found")

    def _create_repo(self, method, body):
        payload = json.loads(body or b"{}")
        name, org = payload["name"], payload.get("organization")
        repo_type = payload.get("type") or "model"
        if repo_type not in _REPO_TYPES:
            raise _HubError(400, f"Invalid repo type {repo_type}")
        repo_id = f"{org}/{name}" if org else name
        created = self.hub.create_repo(repo_id, repo_type)
        url = self.hub._repo_url(repo_type, repo_id)
        if not created:
            return self._send_json(
                method, {"error": f"You already created this {repo_type} repo", "url": url}, 409
            )
        return self._send_json(method, {"url": url, "name": repo_id, "id": repo_id})

    def _info(self, method, repo, rev):
        commit = self.hub._resolve(repo, rev, allow_empty=(rev == "main"))
        tree = commit.tree if commit else {}
        self._send_json(
            method,
            {
                "id": repo.repo_id,
                "modelId": repo.repo_id,
                "sha": commit.sha if commit else None,
                "private": False,
                "disabled": False,
                "gated": False,
                "tags": [],
                "siblings": [{"rfilename": p} for p in sorted(tree)],
            },
        )

    def _tree(self, method, repo, rev, base):
        commit = self.hub._resolve(repo, rev)
        recursive = self.query.get("recursive", ["false"])[0].lower() in ("1", "true")
        prefix = base.strip("/") + "/" if base.strip("/") else ""
        if prefix and not any(p.startswith(prefix) for p in commit.tree):
            raise _HubError(
                404, f"Entry not found: {base}", "EntryNotFound", {"X-Repo-Commit": commit.sha}
            )
        entries, dirs = [], set()
        for path in sorted(commit.tree):
            if not path.startswith(prefix):
                continue
            rel_parts = path[len(prefix) :].split("/")
            for i in range(1, len(rel_parts)):
                d = prefix + "/".join(rel_parts[:i])
                if recursive or i == 1:
                    dirs.add(d)
            if recursive or len(rel_parts) == 1:
                data = self.hub._served(repo, commit, path)
                entries.append(
                    {"type": "file", "oid": git_blob_sha1(data), "size": len(data), "path": path}
                )
        folders = [
            {"type": "directory", "oid": hashlib.sha1(d.encode()).hexdigest(), "size": 0, "path": d}
            for d in sorted(dirs)
        ]
        self._send_json(method, folders + entries)

    def _branch_for_write(self, repo, rev):
        if rev in repo.branches:
            return rev
        if _is_sha(rev) and rev in repo.commits:
            raise _HubError(400, f"Cannot commit on a commit sha, use a branch: {rev}")
        raise _HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")

    def _preupload(self, method, repo, rev, body):
        commit = self.hub._resolve(repo, rev, allow_empty=rev in repo.branches)
        tree = commit.tree if commit else {}
        payload = json.loads(body or b"{}")
        files = []
        for f in payload["files"]:
            path = f["path"]
            files.append(
                {
                    "path": path,
                    "uploadMode": "regular",
                    "shouldIgnore": False,
                    "oid": git_blob_sha1(tree[path]) if path in tree else None,
                }
            )
        self._send_json(method, {"files": files, "commitOid": commit.sha if commit else None})

    def _commit(self, method, repo, rev, body):
        branch = self._branch_for_write(repo, rev)
        failure = self.hub._commit_fault(repo.repo_type, repo.repo_id)
        if failure is not None:
            raise _HubError(failure, "Internal Error - We're working hard to fix this as soon "
                            "as possible! (stand-in fault)")
        summary, parent_commit = None, None
        additions, deletions = {}, []
        for line in body.splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            key, value = item["key"], item["value"]
            if key == "header":
                summary = value.get("summary")
                parent_commit = value.get("parentCommit")
            elif key == "file":
                content = value["content"]
                if value.get("encoding", "base64") == "base64":
                    data = base64.b64decode(content)
                else:
                    data = content.encode()
                additions[value["path"]] = data
            elif key == "deletedFile":
                deletions.append((value["path"], False))
            elif key == "deletedFolder":
                deletions.append((value["path"], True))
            elif key == "lfsFile":
                raise _HubError(400, "LFS files are not supported by this stand-in")
            else:
                raise _HubError(400, f"Unknown commit operation {key!r}")
        if not summary:
            raise _HubError(400, "Missing commit header / summary")
        sha = self.hub._commit(repo, branch, additions, deletions, summary, parent_commit)
        self._send_json(
            method,
            {
                "success": True,
                "commitOid": sha,
                "commitUrl": f"{self.hub._repo_url(repo.repo_type, repo.repo_id)}/commit/{sha}",
                "pullRequestUrl": None,
            },
        )


def isolate_huggingface_hub(monkeypatch, tmp_dir):
    """Fresh huggingface_hub cache under `tmp_dir`, online, no progress bars, no xet logs
    in the user's home. Pair with `HubStandIn.use_as_default(monkeypatch)`."""
    import os

    import huggingface_hub.constants as constants

    monkeypatch.setenv("HF_XET_CACHE", os.path.join(str(tmp_dir), "xet"))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", os.path.join(str(tmp_dir), "hf-cache"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_PROGRESS_BARS", True)
